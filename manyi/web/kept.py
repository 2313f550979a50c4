"""Home cards, the home inbox and the top bar's count, kept a moment per reader.

A drawn card is shown again for a while instead of being drawn at every visit: a live
card (counts of work that anyone's click may change) for ``HOME_LIVE_SECONDS``, a card of
whole months or the nightly models for its ``keep`` seconds, a card that hands out the
next piece of work (``keep=0``) never. A reader's own change (any write of theirs that
succeeded: ``web.middleware.ReaderChangesMiddleware``) draws all of their cards afresh,
so what one did is on one's next page; what others did shows within the live seconds.

Each drawing is stored under one key per reader, card and language with the signature
of the reader's view (role, unit, last change) beside it: a new view overwrites the old
drawing instead of leaving it behind for the cache to cull.
"""

import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from manyi.web.registry import CARDS, HomeCard, InboxSection, inbox_count, inbox_for, render_card

# How long the reader's last change is remembered: longer than any card is kept. A
# forgotten one is replaced by a new one, which draws everything afresh once.
CHANGE_MEMORY = 3600


def reader_changed(user: Any) -> None:
    """The reader changed something: their kept cards and counts are drawn afresh."""
    cache.set(_changed_key(user), time.time_ns(), timeout=CHANGE_MEMORY)


def reader_view(user: Any) -> str:
    """The signature of what the reader sees: a move to another unit or role, or their
    own change since, draws a kept drawing afresh."""
    changed = cache.get(_changed_key(user))
    if changed is None:
        changed = time.time_ns()
        if not cache.add(_changed_key(user), changed, timeout=CHANGE_MEMORY):
            changed = cache.get(_changed_key(user), changed)
    return f"{user.role}:{user.unit_id}:{changed}"


def _changed_key(user: Any) -> str:
    return f"web:reader-changed:{user.pk}"


def live_seconds() -> int:
    """How long a live card, the home inbox and the top bar's count are shown again."""
    return settings.HOME_LIVE_SECONDS


def _seconds(card: HomeCard) -> int:
    return live_seconds() if card.keep is None else card.keep


def _kept(stored: Any, view: str) -> Any:
    """What was stored for this view, or None (another view's, or nothing)."""
    return stored[1] if isinstance(stored, tuple) and stored[0] == view else None


@dataclass(frozen=True)
class ShownCard:
    card: HomeCard
    html: str
    context: dict[str, Any] | None  # None when the card was kept from an earlier drawing


def rendered_cards(user: Any, view: str) -> list[ShownCard]:
    """The user's home cards as HTML, in order: each drawn once for the seconds it may
    be kept (all kept ones read in one call). ``view`` is ``reader_view(user)``."""
    shown = sorted(
        (card for card in CARDS.values() if card.shown_to(user)), key=lambda card: card.order
    )
    language = translation.get_language()
    keys = {card.key: f"web:home-card:{card.key}:{user.pk}:{language}" for card in shown}
    kept = cache.get_many([keys[card.key] for card in shown if _seconds(card)])
    cards = []
    for card in shown:
        html = _kept(kept.get(keys[card.key]), view)
        context = None
        if html is None:
            context = card.context(user)
            html = "" if context is None else render_card(card, context, user)
            if _seconds(card):
                cache.set(keys[card.key], (view, html), timeout=_seconds(card))
        if html:
            cards.append(ShownCard(card, mark_safe(html), context))  # noqa: S308 - our template
    return cards


@dataclass(frozen=True)
class ShownInbox:
    html: str  # empty when nothing waits
    sections: list[InboxSection] | None  # None when kept from an earlier drawing


def rendered_inbox(user: Any, view: str, *, skip: Collection[str] = ()) -> ShownInbox:
    """The home page's "waiting for you": the first three of each source that has any
    (but those in ``skip``, which a card shows), kept as the live cards are."""
    seconds = live_seconds()
    key = f"web:home-inbox:{user.pk}:{translation.get_language()}"
    view = f"{view}:{','.join(sorted(skip))}"
    html = _kept(cache.get(key), view) if seconds else None
    if html is not None:
        return ShownInbox(mark_safe(html), None)  # noqa: S308 - our template
    sections = [section for section in inbox_for(user, limit=3, skip=skip) if section.count]
    html = render_to_string("web/home_inbox.html", {"inbox": sections}) if sections else ""
    if seconds:
        cache.set(key, (view, html), timeout=seconds)
    return ShownInbox(mark_safe(html), sections)  # noqa: S308 - our template


def kept_inbox_count(user: Any) -> int:
    """The top bar's count of what waits, kept as the live cards are (every page asks)."""
    seconds = live_seconds()
    view = reader_view(user)
    key = f"web:inbox-count:{user.pk}"
    count = _kept(cache.get(key), view) if seconds else None
    if count is None:
        count = inbox_count(user)
        if seconds:
            cache.set(key, (view, count), timeout=seconds)
    return count
