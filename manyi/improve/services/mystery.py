"""Mystery shopping (神秘顾客) by an outside agency: headquarters orders a visit to one of
our stores or a competitor's, with its scenario, and hands the agency a one-time link;
the shopper's answers, photos and recordings arrive through it — each change audited."""

import hashlib
import secrets
import uuid
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.improve.models import (
    Checklist,
    Competitor,
    Inspection,
    InspectionKind,
    InspectionStatus,
)
from manyi.improve.services.inspections import Given, InspectionError, record
from manyi.org.models import Unit, UnitLevel
from manyi.org.permissions import may_order_mystery_shops, may_see_unit
from manyi.org.selectors import scope_unit

LINK_DAYS = 45  # a link may be used until this many days after the planned visit


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def mystery_shop_order(
    *,
    actor: Any,
    checklist: Checklist,
    planned_for: date,
    agency: str,
    scenario: str,
    unit: Unit | None = None,
    competitor: Competitor | None = None,
    now: datetime | None = None,
) -> tuple[Inspection, str]:
    """Order a mystery shop of ``unit`` (one of our stores) or of ``competitor``'s
    store; returns it with its one-time link's token, shown once and kept only hashed."""
    if not may_order_mystery_shops(actor):
        raise InspectionError(_("You may not order mystery shops."))
    if (unit is None) == (competitor is None):
        raise InspectionError(_("Shop one of our stores or a competitor's, not both."))
    if competitor is not None:
        if not competitor.is_active:
            raise InspectionError(_("That competitor store is no longer shopped."))
        unit = competitor.near
    if unit.level != UnitLevel.STORE or not may_see_unit(actor, unit):
        raise InspectionError(_("Mystery shoppers visit one of the stores of your part."))
    if not checklist.is_active:
        raise InspectionError(_("That checklist is out of use."))
    today = timezone.localdate(now or timezone.now())
    if planned_for < today:
        raise InspectionError(_("That day has passed already."))
    if (planned_for - today).days > 366:
        raise InspectionError(_("A mystery shop is ordered for the next twelve months."))
    if not agency.strip() or not scenario.strip():
        raise InspectionError(_("Name the agency and describe the scenario for the shopper."))
    token = secrets.token_urlsafe(24)
    expires = datetime.combine(
        planned_for + timedelta(days=LINK_DAYS), datetime.max.time(),
        tzinfo=timezone.get_current_timezone(),
    )  # fmt: skip
    shop = Inspection.objects.create(
        checklist=checklist, kind=InspectionKind.MYSTERY, unit=unit, competitor=competitor,
        planned_for=planned_for, agency=agency.strip()[:120], scenario=scenario.strip()[:2000],
        token_hash=token_hash(token), link_expires_at=expires, created_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, action="mystery_shop.order", obj=shop, unit=scope_unit(actor),
        changes={"agency": shop.agency, "competitor": competitor.pk if competitor else None,
                 "planned_for": planned_for.isoformat()},
    )  # fmt: skip
    return shop, token


def mystery_shop_by_link(token: str, *, now: datetime | None = None) -> Inspection | None:
    """The planned mystery shop a link leads to, while the link is valid."""
    if not token or len(token) > 64:
        return None
    return (
        Inspection.objects.select_related("checklist", "unit", "competitor")
        .filter(
            token_hash=token_hash(token),
            status=InspectionStatus.PLANNED,
            link_expires_at__gte=now or timezone.now(),
        )
        .first()
    )


@transaction.atomic
def mystery_shop_record(
    *, token: str, answers: dict[int, Given], submission_key: UUID, now: datetime | None = None
) -> Inspection:
    """The shopper's report through the link: stored once; the link then leads nowhere
    (the same report sent again is accepted and stored once)."""
    shop = mystery_shop_by_link(token, now=now)
    if shop is None:
        done = Inspection.objects.filter(submission_key=submission_key, kind="mystery").first()
        if done is not None:  # the same report, sent again after a lost connection
            return done
        raise InspectionError(_("This link has been used or has expired."))
    locked = Inspection.objects.select_for_update().get(pk=shop.pk)
    return record(actor=None, inspection=locked, answers=answers,
                  submission_key=submission_key, now=now)  # fmt: skip


IMPORTED = uuid.UUID("6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f")  # namespace of imported visits


def imported_key(agency: str, visit: str) -> UUID:
    """The submission key of an agency's visit in a spreadsheet: the same visit imported
    again has the same key, and is refused rather than stored twice."""
    return uuid.uuid5(IMPORTED, f"{agency.strip()}\n{visit.strip()}")


def mystery_shop_import(
    *,
    actor: Any,
    checklist: Checklist,
    agency: str,
    visit: str,
    visited_on: date,
    answers: dict[int, Given],
    unit: Unit | None = None,
    competitor: Competitor | None = None,
    now: datetime | None = None,
) -> Inspection:
    """One visit of an agency's spreadsheet (in the caller's transaction, which the
    import makes one for the whole file): a done mystery shop of ``unit`` or of
    ``competitor``'s store, its answers checked like a shopper's."""
    if not may_order_mystery_shops(actor):
        raise InspectionError(_("You may not order mystery shops."))
    if competitor is not None:
        unit = competitor.near
    if unit is None or unit.level != UnitLevel.STORE or not may_see_unit(actor, unit):
        raise InspectionError(_("Mystery shoppers visit one of the stores of your part."))
    key = imported_key(agency, visit)
    if Inspection.objects.filter(submission_key=key).exists():
        raise InspectionError(_("This visit of the agency has been imported already."))
    shop = Inspection.objects.create(
        checklist=checklist, kind=InspectionKind.MYSTERY, unit=unit, competitor=competitor,
        planned_for=visited_on, agency=agency.strip()[:120], created_by=actor,
    )  # fmt: skip
    return record(actor=actor, inspection=shop, answers=answers, submission_key=key, now=now)
