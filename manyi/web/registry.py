"""The home page's cards and the inbox's sources, registered by the apps that own them.

Each app adds its own in its ``AppConfig.ready`` (``cases/home.py``, ``surveys/home.py``,
…), so the care, improvement and people work adds cards and inbox sources without
touching the home page; ``web`` imports no app. Every card and source says whom it is
for with a permission predicate, reads rollups or indexed counts only, and gives
``None`` when it has nothing to show (a card) so the page leaves it out. How long a
drawn card is shown again is the card's ``keep`` (``web/kept.py`` keeps them).
"""

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils.functional import Promise

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


def render_card(card: HomeCard, context: dict[str, Any], user: Any) -> str:
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
