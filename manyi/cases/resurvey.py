"""Closing the loop: once a case is resolved the customer is asked how it went (the
resolution-satisfaction programme of ``ResurveySetting``). What a poor result is comes
from that programme's alert rules; the alert it raises reopens and escalates the case
(from_alerts.py)."""

from typing import Any

from django.utils.translation import gettext as _

from manyi.cases.models import Case, EntryKind, ResurveySetting
from manyi.cases.timeline import entry_add
from manyi.privacy.consent import may_use_health_data
from manyi.surveys.models import Invitation, Response
from manyi.surveys.services.invitations import invitation_create, reachable_contacts


def resurvey_invite(case: Case, actor: Any = None) -> Invitation | None:
    """Invite the case's customer (inside the resolving transaction); a note on the
    timeline says when the customer cannot be reached. Once per resolution: a case
    resolved again after a poor answer asks again; one still unanswered is not
    asked twice."""
    setting = ResurveySetting.objects.select_related("programme__version").first()
    if setting is None or setting.programme is None or case.customer_id is None:
        return None
    if (
        case.resurvey_id is not None
        and not Response.objects.filter(invitation_id=case.resurvey_id).exists()
    ):
        return None
    if not may_use_health_data(case.customer_id, case.unit_id):
        entry_add(
            case,
            EntryKind.NOTE,
            body=_(
                "No resolution survey: the patient has not consented to the use of health data."
            ),
        )
        return None
    reachable = reachable_contacts({case.customer_id}, setting.channels)
    if case.customer_id not in reachable:
        entry_add(
            case,
            EntryKind.NOTE,
            body=_("The customer cannot be reached for the resolution survey."),
        )
        return None
    channel, address = reachable[case.customer_id]
    invitation = invitation_create(
        programme=setting.programme,
        customer=case.customer,
        channel=channel,
        address=address,
        unit=case.unit,
    )
    case.resurvey = invitation
    Case.objects.filter(pk=case.pk).update(resurvey=invitation)
    entry_add(
        case,
        EntryKind.NOTE,
        actor,
        _("Resolution survey sent by %(channel)s.") % {"channel": invitation.get_channel_display()},
    )
    return invitation
