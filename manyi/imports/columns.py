"""Columns of an import: header names in both languages and the parser of each cell."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%d/%m/%Y")
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
)


@dataclass(frozen=True)
class Column:
    """One column: ``name`` is the header in templates; ``label`` (translated) also matches."""

    name: str
    label: Any
    parse: Callable[[Any], Any] = str
    required: bool = False
    example: str = ""
    aliases: tuple[str, ...] = field(default=())

    def header_names(self) -> set[str]:
        from django.utils import translation

        names = {self.name.lower(), *(alias.lower() for alias in self.aliases)}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names.add(str(self.label).lower())
        return names


def text(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        result = _as_text(value)
        if len(result) > max_length:
            raise ValueError(_("longer than %(n)s characters") % {"n": max_length})
        return result

    return parse


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet turns 1001 into 1001.0
    return str(value).strip()


def choice(choices: type[models.TextChoices]) -> Callable[[Any], str]:
    """Accept a choice's code or its label in either language."""
    names: dict[str, str] = {}

    def parse(value: Any) -> str:
        if not names:
            from django.utils import translation

            for code, label in choices.choices:
                names[code.lower()] = code
                for language in ("en", "zh-hans"):
                    with translation.override(language):
                        names[str(label).lower()] = code
        try:
            return names[_as_text(value).lower()]
        except KeyError:
            raise ValueError(
                _("must be one of: %(codes)s") % {"codes": ", ".join(choices.values)}
            ) from None

    return parse


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = _as_text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("not a date (use YYYY-MM-DD)"))


def parse_datetime(value: Any) -> datetime:
    """A naive time is read in the server's zone (Asia/Shanghai unless set otherwise)."""
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime.combine(value, time())
    else:
        raw = _as_text(value)
        result = None
        try:
            result = datetime.fromisoformat(raw)
        except ValueError:
            for fmt in (*DATETIME_FORMATS, *DATE_FORMATS):
                try:
                    result = datetime.strptime(raw, fmt)
                    break
                except ValueError:
                    continue
        if result is None:
            raise ValueError(_("not a date and time (use YYYY-MM-DD HH:MM)"))
    if result.tzinfo is None:
        result = result.replace(tzinfo=timezone.get_default_timezone())
    return result


def parse_decimal(value: Any) -> Decimal:
    raw = value if isinstance(value, str) else _as_text(value)
    try:
        number = Decimal(raw)
    except InvalidOperation:
        cleaned = raw.strip().replace(",", "").replace("¥", "").replace("￥", "")
        try:
            number = Decimal(cleaned)
        except InvalidOperation as error:
            raise ValueError(_("not a number")) from error
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        raise ValueError(_("not a number"))
    return number.quantize(CENTS)


CENTS = Decimal("0.01")


def parse_kilometres(value: Any) -> int:
    """An odometer reading in whole kilometres ("45,120" and "45120 km" too)."""
    raw = _as_text(value).strip().lower().replace(",", "").replace("km", "").replace("公里", "")
    try:
        number = int(Decimal(raw.strip()))
    except (InvalidOperation, ValueError) as error:
        raise ValueError(_("not a number of kilometres")) from error
    if not 0 <= number < 10_000_000:
        raise ValueError(_("not a number of kilometres"))
    return number


TRUE_WORDS = {"1", "true", "yes", "y", "是", "真", "x", "✓"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "假"}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raw = _as_text(value).lower()
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ValueError(_("must be yes or no"))


EXTERNAL_ID = Column(
    "external_id", gettext_lazy("External id"), text(64), required=True, aliases=("id", "编号")
)
