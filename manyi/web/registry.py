"""The home page's cards and the inbox's sources, registered by the apps that own them.

Each app adds its own in its ``AppConfig.ready`` (``cases/home.py``, ``surveys/home.py``,
…), so the care, improvement and people work adds cards and inbox sources without
touching the home page; ``web`` imports no app. Every card and source says whom it is
for with a permission predicate, reads rollups or indexed counts only, and gives
``None`` when it has nothing to show (a card) so the page leaves it out. A card of
figures no click of its reader changes (whole months, the nightly models) says so with
``keep``: it is then drawn once per user and language for that many seconds.
"""

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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
    # Seconds the rendered card may be shown again: for figures of whole months or of
    # the nightly models, which no click of the user changes. 0: drawn afresh each time.
    keep: int = 0


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
    keep: int = 0,
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


def _kept_key(card: HomeCard, user: Any) -> str:
    # A move to another unit or role draws the card afresh.
    where = f"{user.pk}:{user.role}:{user.unit_id}"
    return f"web:home-card:{card.key}:{where}:{translation.get_language()}"


@dataclass(frozen=True)
class ShownCard:
    card: HomeCard
    html: str
    context: dict[str, Any] | None  # None when the card was kept from an earlier drawing


def rendered_cards(user: Any) -> list[ShownCard]:
    """The user's home cards as HTML, in order: a card that may be kept is drawn once
    for its ``keep`` seconds (all such read from the cache in one call)."""
    shown = sorted(
        (card for card in CARDS.values() if card.shown_to(user)), key=lambda card: card.order
    )
    kept = cache.get_many([_kept_key(card, user) for card in shown if card.keep])
    cards = []
    for card in shown:
        html = kept.get(_kept_key(card, user)) if card.keep else None
        context = None
        if html is None:
            context = card.context(user)
            html = "" if context is None else _render(card, context, user)
            if card.keep:
                cache.set(_kept_key(card, user), html, timeout=card.keep)
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


def inbox_count(user: Any) -> int:
    """How many things wait for the user, all sources together (the top bar's badge)."""
    return sum(_count(source.waiting(user)) for source in SOURCES.values() if source.shown_to(user))
