"""The register of personal data: what manyi holds about a customer, and where.

Each app declares, in its own ``personal_data.py``, the model fields that hold a
customer's personal data, how a row reaches the customer (``path``), how it is erased
and which retention period purges it; and the fields that only look personal (a
store's name, the audit log's masked labels), with why. A customer's data export, an
erasure and the retention purge walk this register, so they cover everything; a test
fails on any field that looks personal and appears in neither list.

Erasure keeps the anonymous facts the figures are made of (scores, dates, units,
kinds) and removes what names or describes the person: ``"blank"`` empties the fields,
``"delete"`` removes the rows, a function does anything else.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.functional import Promise


class Retention:
    """The retention periods a declaration can fall under (see RetentionPolicy)."""

    CONTACT = "contact"
    FREE_TEXT = "free_text"
    ATTACHMENTS = "attachments"


@dataclass(frozen=True)
class Subject:
    """The customer a request is about, with the phones and e-mail addresses they
    had when it began (texts and messages are found by address, not by customer)."""

    customer: Any
    phones: frozenset[str]
    emails: frozenset[str]

    @property
    def addresses(self) -> frozenset[str]:
        return self.phones | self.emails


Eraser = str | Callable[[QuerySet, "Subject"], int]
Purger = Callable[[datetime], int]


@dataclass(frozen=True)
class PersonalData:
    model: str  # "app_label.Model"
    fields: tuple[str, ...]
    label: Promise  # what it is, in the words of the register page
    path: str = ""  # lookup from the model to the customer's id; "" = found by ``rows``
    rows: Callable[[Subject], QuerySet] | None = None
    erase: Eraser = "blank"
    retention: str = ""
    dated_by: str = ""  # the date the retention period runs from
    purge: Purger | None = None
    exported: tuple[str, ...] = ()  # more fields the export shows (what happened, when)

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def of(self, subject: Subject) -> QuerySet:
        """The rows of this model that are about ``subject``."""
        if self.rows is not None:
            return self.rows(subject)
        return self.model_class._default_manager.filter(**{self.path: subject.customer.pk})


@dataclass
class Register:
    declared: list[PersonalData] = field(default_factory=list)
    exempt: dict[tuple[str, str], str] = field(default_factory=dict)

    def declare(self, model: str, *fields: str, label: Promise, **how: Any) -> PersonalData:
        entry = PersonalData(model, tuple(fields), label, **how)
        self.declared.append(entry)
        return entry

    def exempt_fields(self, model: str, *fields: str, why: str) -> None:
        for name in fields:
            self.exempt[(model, name)] = why

    def declared_fields(self) -> set[tuple[str, str]]:
        return {(entry.model, name) for entry in self.declared for name in entry.fields}


REGISTER = Register()
declare = REGISTER.declare
exempt = REGISTER.exempt_fields


# --- the generic ways to export, erase and purge ------------------------------------
def blank_value(model_field: models.Field) -> Any:
    if isinstance(model_field, models.JSONField):
        return model_field.get_default()
    if model_field.null:
        return None
    return ""


def blanked(entry: PersonalData) -> dict[str, Any]:
    meta = entry.model_class._meta
    return {name: blank_value(meta.get_field(name)) for name in entry.fields}


def not_yet_blank(entry: PersonalData) -> Q:
    """Rows where some declared field still holds something."""
    where = Q()
    for name, empty in blanked(entry).items():
        where |= ~Q(**{name: empty}) if empty is not None else Q(**{f"{name}__isnull": False})
    return where


def erase_rows(entry: PersonalData, rows: QuerySet, subject: Subject) -> int:
    if callable(entry.erase):
        return entry.erase(rows, subject)
    if entry.erase == "delete":
        return rows.delete()[1].get(entry.model, 0)
    if not entry.fields:
        return 0  # held about them, exported, nothing personal in it
    return blank_rows(entry, rows)


def blank_rows(entry: PersonalData, rows: QuerySet) -> int:
    """Blank the declared fields of ``rows``; how many still held something."""
    return rows.filter(not_yet_blank(entry)).update(**blanked(entry))


def purge_rows(entry: PersonalData, cutoff: datetime) -> int:
    """Blank the declared fields of rows older than ``cutoff``."""
    if entry.purge is not None:
        return entry.purge(cutoff)
    rows = entry.model_class._default_manager.filter(**{f"{entry.dated_by}__lt": cutoff})
    return blank_rows(entry, rows)


def plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def export_rows(entry: PersonalData, subject: Subject) -> list[dict[str, Any]]:
    names = ["id", *entry.exported, *entry.fields]
    return [
        {name: plain(value) for name, value in row.items()}
        for row in entry.of(subject).order_by("pk").values(*dict.fromkeys(names))
    ]


def entries(retention: str = "") -> Iterable[PersonalData]:
    return [entry for entry in REGISTER.declared if not retention or entry.retention == retention]
