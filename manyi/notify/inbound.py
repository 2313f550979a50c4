"""Texts customers send back to our SMS. The gateway forwards each one; the first app
that recognises it acts on it — 回复TD退订 withdraws marketing consent, an answer to a
case reply goes onto that case. Apps register their readers when they load."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

# (sender in E.164, text, now) -> what was done, or "" when the text is not for this reader
Reader = Callable[[str, str, datetime], str]


@dataclass(frozen=True)
class _Registered:
    order: int
    read: Reader


READERS: list[_Registered] = []
UNREAD = "unread"


def on_sms_reply(order: int) -> Callable[[Reader], Reader]:
    """Register a reader of customers' texts; lower ``order`` reads first."""

    def register(read: Reader) -> Reader:
        READERS.append(_Registered(order, read))
        READERS.sort(key=lambda registered: registered.order)
        return read

    return register


def sms_reply_receive(*, sender: str, text: str, now: datetime) -> str:
    """Hand the text to the readers in order; what the first that took it did."""
    for registered in READERS:
        done = registered.read(sender, text, now)
        if done:
            return done
    return UNREAD
