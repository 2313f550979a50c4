"""Awards (评优): a manager puts forward a ranked card of an ended period; headquarters
awards it, or not, once the period is closed."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.errors import DomainError
from manyi.org.permissions import may_review_scorecards, may_see_unit, may_set_scorecards
from manyi.people.models import (
    AwardCategory,
    Nomination,
    NominationStatus,
    Scorecard,
    Subject,
)


class AwardError(DomainError):
    """A nomination or award that cannot be made."""


@transaction.atomic
def nomination_make(*, actor: Any, card: Scorecard, reason: str = "") -> Nomination:
    """Put ``card`` forward for its period's award: a staff member's or a store's. Only
    a ranked card of the current version of a closed period, in the actor's part, not
    the actor's own; a person or store once a period."""
    if not may_review_scorecards(actor) or not may_see_unit(actor, card.unit_id):
        raise AwardError(_("You may not put this card forward."))
    if card.staff_id is not None and card.staff_id == actor.pk:
        raise AwardError(_("Someone else puts your own card forward."))
    if card.version != card.period.version:
        raise AwardError(_("That is an earlier version of the card."))
    if not card.period.is_closed:
        raise AwardError(_("Awards are for a period reviewed and closed: its cards are locked."))
    if card.rank is None:
        raise AwardError(_("Only a ranked card may be put forward: this one has too few answers."))
    category = (
        AwardCategory.STAFF if card.template.subject == Subject.STAFF else AwardCategory.STORE
    )
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                period=card.period, category=category, card=card, staff=card.staff,
                unit=card.unit, reason=reason.strip()[:300], nominated_by=actor,
            )  # fmt: skip
    except IntegrityError as error:
        raise AwardError(_("They have been put forward for this period already.")) from error
    audit_record(actor=actor, action="award.nominate", obj=nomination, unit=card.unit)
    return nomination


@transaction.atomic
def nomination_decide(*, actor: Any, nomination: Nomination, award: bool) -> Nomination:
    """Award a nomination, or not: headquarters, once the period is closed."""
    if not may_set_scorecards(actor):
        raise AwardError(_("You may not decide on awards."))
    nomination = (
        Nomination.objects.select_for_update().select_related("period", "card")
        .get(pk=nomination.pk)
    )  # fmt: skip
    if not nomination.period.is_closed:
        raise AwardError(_("Close the period first: awards are given from locked cards."))
    if nomination.card.version != nomination.period.version:
        raise AwardError(_("The cards were issued again since: put the new card forward."))
    if nomination.status != NominationStatus.NOMINATED:
        raise AwardError(_("That nomination has been decided already."))
    nomination.status = NominationStatus.AWARDED if award else NominationStatus.DECLINED
    nomination.decided_by, nomination.decided_at = actor, timezone.now()
    nomination.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, action="award.decide", obj=nomination, unit_id=nomination.unit_id,
                 changes={"status": nomination.status})  # fmt: skip
    return nomination
