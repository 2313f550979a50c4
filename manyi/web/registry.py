"""The home page's cards and the inbox's sources, registered by the apps that own them.

Each app adds its own in its ``AppConfig.ready`` (``cases/home.py``, ``surveys/home.py``,
…), so the care, improvement and people work adds cards and inbox sources without
touching the home page; ``web`` imports no app. Every card and source says whom it is
for with a permission predicate, reads rollups or indexed counts only, and gives
``None`` when it has nothing to show (a card) so the page leaves it out.

A drawn card is shown again for a while instead of being drawn for every visit: live
cards (counts of work that anyone's click may change) for ``HOME_LIVE_SECONDS``, cards of
whole months or the nightly models for ``keep`` seconds, each per reader, role, unit and
language. A reader's own change (any write of theirs that succeeded, see
``web.middleware.ReaderChangesMiddleware``) draws all of their cards afresh, so what
one did is on one's next page; what others did shows within the live seconds. A card
that hands out the next piece of work says ``keep=0`` and is drawn every time.
"""

import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.safestring import mark_safe

Predicate = Callable[[Any], bool]


@dataclass(frozen=True)
class HomeCard:
    key: str
    order: int
    template: str
    shown_to: Predicate
    context: Callable[[Any], dict[str, Any] | None]
    wide: bool = False  # the whole row on a laptop, instead of half of it
    covers: tuple[str, ...] = ()  # inbox sources the card shows already (left off the home)
    # Seconds the drawn card may be shown again: KEEP_FIGURES for figures of whole
    # months or the nightly models; None for the live cards' setting; 0 never.
    keep: int | None = None


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for someone: what it is, where to act on it, by when."""

    title: str
    url: str
    detail: str = ""
    due: datetime | None = None
    overdue: bool = False


@dataclass(frozen=True)
class InboxSource:
    key: str
    order: int
    label: Promise
    shown_to: Predicate
    # What waits, most urgent first: a queryset or a list (counted, then cut).
    waiting: Callable[[Any], Any]
    item: Callable[[Any], InboxItem]
    more_url: str = ""  # the page with all of them


# How long a card of whole months' figures or of the nightly models may be shown again.
KEEP_FIGURES = 300

CARDS: dict[str, HomeCard] = {}
SOURCES: dict[str, InboxSource] = {}


def home_card(
    key: str,
    *,
    order: int,
    template: str,
    shown_to: Predicate,
    wide: bool = False,
    covers: tuple[str, ...] = (),
    keep: int | None = None,
) -> Callable[[Callable[[Any], dict[str, Any] | None]], Callable[[Any], dict[str, Any] | None]]:
    """Register the decorated function as the context of a home card: given the user,
    the template's context, or ``None`` to leave the card out."""

    def register(
        context: Callable[[Any], dict[str, Any] | None],
    ) -> Callable[[Any], dict[str, Any] | None]:
        CARDS[key] = HomeCard(key, order, template, shown_to, context, wide, covers, keep)
        return context

    return register


def inbox_source(source: InboxSource) -> InboxSource:
    SOURCES[source.key] = source
    return source


def cards_for(user: Any) -> list[tuple[HomeCard, dict[str, Any]]]:
    """The cards the user's home page shows, in order, each with its context."""
    shown = []
    for card in sorted(CARDS.values(), key=lambda card: card.order):
        if not card.shown_to(user):
            continue
        context = card.context(user)
        if context is not None:
            shown.append((card, context))
    return shown


# How long the reader's last change is remembered: longer than any card is kept.
CHANGE_MEMORY = 3600


def reader_changed(user: Any) -> None:
    """The reader changed something: their kept cards and counts are drawn afresh."""
    cache.set(f"web:reader-changed:{user.pk}", time.time_ns(), timeout=CHANGE_MEMORY)


def reader_view(user: Any) -> str:
    """The part of a kept drawing's key that says whose it is: a move to another unit
    or role, another language or the reader's own change draws it afresh."""
    changed = cache.get(f"web:reader-changed:{user.pk}", 0)
    return f"{user.pk}:{user.role}:{user.unit_id}:{translation.get_language()}:{changed}"


def live_seconds() -> int:
    return settings.HOME_LIVE_SECONDS


def _keep(card: HomeCard) -> int:
    return live_seconds() if card.keep is None else card.keep


@dataclass(frozen=True)
class ShownCard:
    card: HomeCard
    html: str
    context: dict[str, Any] | None  # None when the card was kept from an earlier drawing


def rendered_cards(user: Any, view: str) -> list[ShownCard]:
    """The user's home cards as HTML, in order: each drawn once for the seconds it may
    be kept (all kept ones read from the cache in one call). ``view`` is
    ``reader_view(user)``."""
    shown = sorted(
        (card for card in CARDS.values() if card.shown_to(user)), key=lambda card: card.order
    )
    keys = {card.key: f"web:home-card:{card.key}:{view}" for card in shown if _keep(card)}
    kept = cache.get_many(list(keys.values()))
    cards = []
    for card in shown:
        html = kept.get(keys[card.key]) if card.key in keys else None
        context = None
        if html is None:
            context = card.context(user)
            html = "" if context is None else _render(card, context, user)
            if card.key in keys:
                cache.set(keys[card.key], html, timeout=_keep(card))
        if html:
            cards.append(ShownCard(card, mark_safe(html), context))  # noqa: S308 - our template
    return cards


def _render(card: HomeCard, context: dict[str, Any], user: Any) -> str:
    return render_to_string(card.template, {"card": context, "user": user})


@dataclass(frozen=True)
class InboxSection:
    source: InboxSource
    count: int
    items: Sequence[InboxItem]


def _count(waiting: Any) -> int:
    return len(waiting) if isinstance(waiting, list | tuple) else waiting.count()


def inbox_for(user: Any, *, limit: int = 5, skip: Collection[str] = ()) -> list[InboxSection]:
    """What waits for the user, source by source: how many, and the first ``limit``;
    the sources in ``skip`` (shown by a card already) are not asked."""
    sections = []
    for source in sorted(SOURCES.values(), key=lambda source: source.order):
        if source.key in skip or not source.shown_to(user):
            continue
        waiting = source.waiting(user)
        count = _count(waiting)
        items = [source.item(entry) for entry in waiting[:limit]] if count else []
        sections.append(InboxSection(source, count, items))
    return sections


@dataclass(frozen=True)
class ShownInbox:
    html: str  # empty when nothing waits
    sections: list[InboxSection] | None  # None when kept from an earlier drawing


def rendered_inbox(user: Any, view: str, *, skip: Collection[str] = ()) -> ShownInbox:
    """The home page's "waiting for you": the first three of each source that has any,
    drawn once for the live cards' seconds. ``view`` is ``reader_view(user)``."""
    seconds = live_seconds()
    key = f"web:home-inbox:{view}:{','.join(sorted(skip))}"
    html = cache.get(key) if seconds else None
    if html is not None:
        return ShownInbox(mark_safe(html), None)  # noqa: S308 - our template
    sections = [section for section in inbox_for(user, limit=3, skip=skip) if section.count]
    html = render_to_string("web/home_inbox.html", {"inbox": sections}) if sections else ""
    if seconds:
        cache.set(key, html, timeout=seconds)
    return ShownInbox(mark_safe(html), sections)  # noqa: S308 - our template


def inbox_count(user: Any) -> int:
    """How many things wait for the user, all sources together (the top bar's badge)."""
    return sum(_count(source.waiting(user)) for source in SOURCES.values() if source.shown_to(user))
