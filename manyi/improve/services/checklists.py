"""Checklists built from the standards, and the competitor stores mystery shoppers visit —
both kept by headquarters, each change audited."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.errors import DomainError
from manyi.improve.models import Checklist, ChecklistItem, Competitor, Standard
from manyi.org.models import Unit, UnitLevel
from manyi.org.permissions import may_see_unit, may_set_checklists

SCORED_OUT_OF = 5  # a scored item: 0–5, passed from 3
PASSES_FROM = 3
LONGEST = 80  # standards on one checklist at most


class ChecklistError(DomainError):
    """A checklist or a competitor store that cannot be saved."""


def _check(actor: Any) -> None:
    if not may_set_checklists(actor):
        raise ChecklistError(_("Only headquarters builds checklists."))


@transaction.atomic
def checklist_save(
    *,
    actor: Any,
    name: str,
    standards: Iterable[Standard],
    scored: Iterable[Standard] = (),
    name_en: str = "",
    checklist: Checklist | None = None,
) -> Checklist:
    """Build a checklist of ``standards`` (in force), in the order of the service cycle;
    those in ``scored`` are scored 0–5 (passed from 3), the rest answered yes or no.
    Saving an existing one replaces its items; checks already made keep theirs."""
    _check(actor)
    name = name.strip()
    if not name:
        raise ChecklistError(_("Give the checklist a name."))
    chosen = sorted(
        {standard.pk: standard for standard in standards}.values(),
        key=lambda standard: (standard.step.order, standard.step_id, standard.code),
    )
    if not chosen:
        raise ChecklistError(_("Choose the standards the checklist looks at."))
    if len(chosen) > LONGEST:
        raise ChecklistError(_("A checklist looks at no more than 80 standards."))
    retired = [standard.code for standard in chosen if not standard.is_active]
    if retired:
        raise ChecklistError(
            _("Retired standards cannot be checked: %(codes)s.") % {"codes": ", ".join(retired)}
        )
    scored_ids = {standard.pk for standard in scored}
    if scored_ids - {standard.pk for standard in chosen}:
        raise ChecklistError(_("A scored standard must be one the checklist looks at."))
    if checklist is None:
        checklist = Checklist.objects.create(name=name, name_en=name_en.strip(), created_by=actor)
        action = "checklist.create"
    else:
        checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
        checklist.name, checklist.name_en = name, name_en.strip()
        checklist.save(update_fields=["name", "name_en"])
        checklist.items.all().delete()
        action = "checklist.change"
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            checklist=checklist, standard=standard, order=order,
            points=SCORED_OUT_OF if standard.pk in scored_ids else 0,
            pass_mark=PASSES_FROM if standard.pk in scored_ids else 0,
        )
        for order, standard in enumerate(chosen)
    )  # fmt: skip
    audit_record(
        actor=actor, action=action, obj=checklist,
        changes={"standards": [standard.code for standard in chosen],
                 "scored": sorted(s.code for s in chosen if s.pk in scored_ids)},
    )  # fmt: skip
    return checklist


@transaction.atomic
def checklist_retire(*, actor: Any, checklist: Checklist) -> Checklist:
    """Stop using a checklist: no new checks; the ones made and planned stay."""
    _check(actor)
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if not checklist.is_active:
        raise ChecklistError(_("That checklist is out of use already."))
    checklist.is_active = False
    checklist.save(update_fields=["is_active"])
    audit_record(actor=actor, action="checklist.retire", obj=checklist)
    return checklist


@transaction.atomic
def competitor_save(
    *,
    actor: Any,
    name: str,
    near: Unit,
    brand: str = "",
    is_active: bool = True,
    competitor: Competitor | None = None,
) -> Competitor:
    """Add a competitor's store, compared with our store ``near``, or change one."""
    _check(actor)
    name = name.strip()
    if not name:
        raise ChecklistError(_("Give the competitor store a name."))
    if near.level != UnitLevel.STORE or not may_see_unit(actor, near):
        raise ChecklistError(_("A competitor store is compared with one of our stores."))
    competitor = competitor or Competitor()
    competitor.name, competitor.brand = name, brand.strip()
    competitor.near, competitor.is_active = near, is_active
    created = competitor.pk is None
    competitor.save()
    audit_record(
        actor=actor, action="competitor.create" if created else "competitor.change",
        obj=competitor, unit=near, changes={"name": name, "near": near.pk, "shopped": is_active},
    )  # fmt: skip
    return competitor
