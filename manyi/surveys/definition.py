"""A questionnaire version's content, as data: factors, items, scales, skip logic, index.

A published version is immutable, so everything that decides how a response is
asked and scored lives here (and not in code): a programme moves from the 4-factor
to the 5-factor CSI structure by publishing a new version. This module is plain
Python: it parses and checks the JSON stored on a version.
"""

from dataclasses import dataclass, field
from typing import Any

ITEM_TYPES = ("rating", "nps", "servqual", "single", "multiple", "yesno", "text")
SCORED_TYPES = ("rating", "nps", "servqual")
SHOW_IF_OPS = ("<=", "<", ">=", ">", "==", "!=")


class DefinitionError(ValueError):
    """The definition is not usable; ``problems`` lists each one with where it is."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Text:
    """A string in both languages; falls back to whichever exists."""

    zh: str = ""
    en: str = ""

    def get(self, language: str) -> str:
        first, second = (self.en, self.zh) if language.startswith("en") else (self.zh, self.en)
        return first or second

    @classmethod
    def parse(cls, raw: Any) -> "Text":
        if isinstance(raw, str):
            return cls(zh=raw, en=raw)
        raw = raw or {}
        return cls(zh=str(raw.get("zh", raw.get("zh-hans", ""))), en=str(raw.get("en", "")))

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class Scale:
    min: int
    max: int
    labels: dict[int, Text] = field(default_factory=dict)

    def points(self) -> list[int]:
        return list(range(self.min, self.max + 1))


@dataclass(frozen=True)
class Choice:
    code: str
    label: Text


@dataclass(frozen=True)
class ShowIf:
    """Ask the item only when ``item`` answered ``op value`` (e.g. A <= 6)."""

    item: str
    op: str
    value: Any

    def holds(self, answer: Any) -> bool:
        if answer is None or answer == "na":
            return False
        try:
            left, right = float(answer), float(self.value)
        except (TypeError, ValueError):
            left, right = answer, self.value
        return {
            "<=": lambda: left <= right,
            "<": lambda: left < right,
            ">=": lambda: left >= right,
            ">": lambda: left > right,
            "==": lambda: left == right,
            "!=": lambda: left != right,
        }[self.op]()


@dataclass(frozen=True)
class Item:
    code: str
    type: str
    text: Text
    section: str = ""
    required: bool = False
    factor: str = ""
    dimension: str = ""
    role: str = ""  # "overall", "loyalty", "contact_me", "reason"…
    scale: Scale | None = None
    reversed: bool = False
    allow_na: bool = False
    choices: tuple[Choice, ...] = ()
    show_if: ShowIf | None = None

    @property
    def scored(self) -> bool:
        return self.type in SCORED_TYPES


@dataclass(frozen=True)
class Factor:
    code: str
    name: Text
    weight: float


@dataclass(frozen=True)
class Section:
    code: str
    title: Text


@dataclass(frozen=True)
class Definition:
    title: Text  # as the programme's people know it ("CSI, 5 factors")
    intro: Text
    sections: tuple[Section, ...]
    factors: tuple[Factor, ...]
    dimensions: tuple[Factor, ...]
    items: tuple[Item, ...]
    index_scale: int = 1000
    top_box: int = 2
    # What the customer sees at the top of the form: no method names, no item counts.
    public_title: Text = Text()

    @property
    def customer_title(self) -> Text:
        return self.public_title if (self.public_title.zh or self.public_title.en) else self.title

    def item(self, code: str) -> Item:
        return self._by_code()[code]

    def _by_code(self) -> dict[str, Item]:
        return {item.code: item for item in self.items}

    def items_of(self, section: str) -> list[Item]:
        return [item for item in self.items if item.section == section]

    def role(self, role: str) -> Item | None:
        return next((item for item in self.items if item.role == role), None)

    def asked(self, item: Item, answers: dict[str, Any]) -> bool:
        """Whether ``item`` is shown, given the answers so far (its skip rule)."""
        return item.show_if is None or item.show_if.holds(answers.get(item.show_if.item))


def _scale(
    raw: dict[str, Any],
    where: str,
    problems: list[str],
    default: tuple[int, int],
) -> Scale:
    scale = raw.get("scale") or {}
    low, high = scale.get("min", default[0]), scale.get("max", default[1])
    if not (isinstance(low, int) and isinstance(high, int)) or low >= high:
        problems.append(f"{where}: the scale needs whole numbers min < max")
        low, high = default
    labels = {int(point): Text.parse(text) for point, text in (scale.get("labels") or {}).items()}
    return Scale(min=low, max=high, labels=labels)


def _item(raw: dict[str, Any], index: int, problems: list[str]) -> Item | None:
    code = str(raw.get("code", "")).strip()
    where = f"item {index + 1}" + (f" ({code})" if code else "")
    kind = raw.get("type")
    if not code:
        problems.append(f"{where}: every item needs a code")
    if kind not in ITEM_TYPES:
        problems.append(f"{where}: type must be one of {', '.join(ITEM_TYPES)}")
        return None
    scale = None
    if kind == "rating" or kind == "servqual":
        scale = _scale(raw, where, problems, (1, 10) if kind == "rating" else (1, 7))
    elif kind == "nps":
        scale = Scale(0, 10)
    choices = tuple(
        Choice(str(choice.get("code")), Text.parse(choice.get("label")))
        for choice in raw.get("choices") or ()
    )
    if kind in ("single", "multiple") and not choices:
        problems.append(f"{where}: a choice item needs choices")
    show_if = None
    if rule := raw.get("show_if"):
        if rule.get("op") not in SHOW_IF_OPS or "item" not in rule or "value" not in rule:
            problems.append(f"{where}: show_if needs item, op ({' '.join(SHOW_IF_OPS)}) and value")
        else:
            show_if = ShowIf(item=str(rule["item"]), op=rule["op"], value=rule["value"])
    return Item(
        code=code,
        type=kind,
        text=Text.parse(raw.get("text")),
        section=str(raw.get("section", "")),
        required=bool(raw.get("required", False)),
        factor=str(raw.get("factor", "")),
        dimension=str(raw.get("dimension", "")),
        role=str(raw.get("role", "")),
        scale=scale,
        reversed=bool(raw.get("reversed", False)),
        allow_na=bool(raw.get("allow_na", False)),
        choices=choices,
        show_if=show_if,
    )


def parse(raw: dict[str, Any]) -> Definition:
    """Parse and check a definition; raise ``DefinitionError`` listing every problem."""
    problems: list[str] = []
    sections = tuple(
        Section(str(s.get("code")), Text.parse(s.get("title"))) for s in raw.get("sections") or ()
    )
    factors = tuple(
        Factor(str(f.get("code")), Text.parse(f.get("name")), float(f.get("weight", 0)))
        for f in raw.get("factors") or ()
    )
    dimensions = tuple(
        Factor(str(d.get("code")), Text.parse(d.get("name")), 0.0)
        for d in raw.get("dimensions") or ()
    )
    numbered = [
        (index, item)
        for index, entry in enumerate(raw.get("items") or ())
        if (item := _item(entry, index, problems)) is not None
    ]
    items = tuple(item for _index, item in numbered)
    if not items:
        problems.append("the questionnaire has no items")
    codes = [item.code for item in items]
    for code in {code for code in codes if codes.count(code) > 1}:
        problems.append(f"item code {code} is used twice")
    factor_codes = {factor.code for factor in factors}
    dimension_codes = {dimension.code for dimension in dimensions}
    section_codes = {section.code for section in sections}
    for position, (index, item) in enumerate(numbered):
        where = f"item {index + 1} ({item.code})"
        if item.factor and item.factor not in factor_codes:
            problems.append(f"{where}: unknown factor {item.factor}")
        if item.factor and not item.scored:
            problems.append(f"{where}: only rating, NPS and SERVQUAL items can belong to a factor")
        if item.dimension and item.dimension not in dimension_codes:
            problems.append(f"{where}: unknown dimension {item.dimension}")
        if sections and item.section not in section_codes:
            problems.append(f"{where}: unknown section {item.section or '(none)'}")
        if item.show_if and item.show_if.item not in codes[:position]:
            problems.append(f"{where}: show_if must refer to an earlier item")
    if factors:
        total = sum(factor.weight for factor in factors)
        if abs(total - 1.0) > 1e-6 or any(factor.weight < 0 for factor in factors):
            problems.append(
                f"factor weights must be non-negative and sum to 1 (they sum to {total:g})"
            )
        for factor in factors:
            if not any(item.factor == factor.code for item in items):
                problems.append(f"factor {factor.code} has no items")
    if problems:
        raise DefinitionError(problems)
    return Definition(
        title=Text.parse(raw.get("title")),
        intro=Text.parse(raw.get("intro")),
        sections=sections,
        factors=factors,
        dimensions=dimensions,
        items=items,
        index_scale=int(raw.get("index_scale", 1000)),
        top_box=int(raw.get("top_box", 2)),
        public_title=Text.parse(raw.get("public_title")),
    )
