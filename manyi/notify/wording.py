"""What a message to a customer says, by template code.

SMS providers in China send only templates approved in advance: a message is a code and
its parameters, and the provider puts them together. Each wording here is such a
template — its code, what the outbox calls its purpose, whether it is marketing, and its
text with ``%(name)s`` parameters, translated like every other string and rendered in the
customer's language. Apps register their wordings when they load.
"""

from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.functional import Promise


@dataclass(frozen=True)
class Wording:
    code: str
    purpose: str  # the outbox purpose (PURPOSES in notify.models)
    text: Promise | str
    subject: Promise | str = ""
    marketing: bool = False
    # Sent even in the quiet hours: the customer is waiting for it (a reply to their case).
    anytime: bool = False


WORDINGS: dict[str, Wording] = {}


def wording_register(wording: Wording) -> Wording:
    WORDINGS[wording.code] = wording
    return wording


def wording_render(code: str, params: dict[str, Any], language: str) -> tuple[str, str]:
    """The subject and body of template ``code`` with ``params``, in ``language``."""
    found = WORDINGS[code]
    with translation.override(language):
        body = str(found.text) % params
        subject = str(found.subject) % params if found.subject else ""
    return subject, body
