"""The anonymous employee survey: HQ invites the staff of a part of the network, one
link each; an answer is claimed against its link in one transaction and stored in
another, keeping its unit and day only, so nothing leads from an answer back to its
link or its person. No audit row is written for an answer: its time would be a link."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.errors import DomainError
from manyi.notify.services import FAILED, SENT, message_queue, on_result
from manyi.org.models import Role, Staff, Unit, UnitLevel
from manyi.org.permissions import may_run_employee_surveys
from manyi.people.models import (
    MIN_GROUP_FLOOR,
    EmployeeAnswer,
    EmployeeInvitation,
    EmployeeSurvey,
)
from manyi.surveys.answers import check_answers
from manyi.surveys.scoring import score
from manyi.surveys.versions import definition_of

LONGEST_OPEN = 92  # days a survey may stay open


class EmployeeSurveyError(DomainError):
    """An employee survey that cannot be run as asked."""


class EmployeeLinkClosed(Exception):
    """The link is unknown, used already, or its survey is not open: ``reason`` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def link_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Invited:
    survey: EmployeeSurvey
    invited: int
    unreachable: int  # no e-mail or phone to send the link to
    # Staff id: link token, for a caller that hands the links out itself (the demo, the
    # tests); the database keeps only their hashes, and the outbox forgets a link once sent.
    tokens: dict[int, str]


@transaction.atomic
def employee_survey_start(
    *, actor: Any, title: str, version: Any, opens_on: date, closes_on: date,
    units: list[Unit], min_group: int = MIN_GROUP_FLOOR,
) -> Invited:  # fmt: skip
    """Start a survey of the active staff of ``units`` (their whole subtrees): one link
    each, sent by e-mail or SMS when the day comes."""
    if not may_run_employee_surveys(actor):
        raise EmployeeSurveyError(_("You may not run the employee survey."))
    title = title.strip()[:120]
    if not title:
        raise EmployeeSurveyError(_("Give the survey a title."))
    if not definition_of(version.pk).items:
        raise EmployeeSurveyError(_("That questionnaire asks nothing."))
    today = timezone.localdate()
    if not (today <= opens_on <= closes_on and (closes_on - opens_on).days <= LONGEST_OPEN
            and opens_on <= today + timedelta(days=366)):  # fmt: skip
        raise EmployeeSurveyError(
            _("It opens from today to a year ahead and closes within %(days)s days.")
            % {"days": LONGEST_OPEN}
        )
    if min_group < MIN_GROUP_FLOOR:
        raise EmployeeSurveyError(
            _("The smallest group shown is at least %(n)s.") % {"n": MIN_GROUP_FLOOR}
        )
    if not units:
        raise EmployeeSurveyError(_("Choose whose staff to ask."))
    survey = EmployeeSurvey.objects.create(title=title, version=version, opens_on=opens_on,
                                           closes_on=closes_on, min_group=min_group,
                                           created_by=actor)  # fmt: skip
    within = Q()
    for unit in units:
        within |= Q(unit__path__startswith=unit.path)
    staff = Staff.objects.filter(within, is_active=True).exclude(role=Role.ADMIN).distinct()
    tokens, rows, unreachable = {}, [], 0
    store_of = answering_units()
    when = timezone.make_aware(datetime.combine(opens_on, time(9)))
    for person in staff.order_by("pk"):
        token = secrets.token_urlsafe(24)
        tokens[person.pk] = token
        rows.append(EmployeeInvitation(survey=survey, staff=person,
                                       unit_id=store_of.get(person.unit_id, person.unit_id),
                                       token_hash=link_hash(token)))  # fmt: skip
        link = f"{settings.PUBLIC_BASE_URL}{reverse('employee_form', args=[token])}"
        body = _("%(title)s — anonymous, about 5 minutes: %(link)s") % {"title": title,
                                                                       "link": link}  # fmt: skip
        channel, address = ("email", person.email) if person.email else ("sms", person.phone)
        if not address:
            unreachable += 1
            continue
        message_queue(channel=channel, recipient=address, body=body, subject=title,
                      purpose="employee_survey", ref=f"employee_survey:{survey.pk}",
                      send_after=max(when, timezone.now()))  # fmt: skip
    EmployeeInvitation.objects.bulk_create(rows)
    audit_record(actor=actor, action="employee_survey.start", obj=survey,
                 changes={"invited": len(rows), "units": [u.pk for u in units]})  # fmt: skip
    return Invited(survey, len(rows), unreachable, tokens)


def answering_units() -> dict[int, int]:
    """The unit an answer is kept under: a department's staff answer as their store."""
    rows = Unit.objects.filter(level=UnitLevel.DEPARTMENT).values_list("pk", "parent_id")
    return {pk: parent for pk, parent in rows if parent}


@on_result("employee_survey")
def employee_link_forget(message: Any, outcome: str) -> None:
    """Once an invitation has gone (or given up), its link leaves the outbox: whoever
    reads the outbox could otherwise answer in someone's name."""
    if outcome in (SENT, FAILED):
        type(message).objects.filter(pk=message.pk).update(
            body=re.sub(r"/e/[^/\s]+/", "/e/…/", message.body)
        )


def employee_link_open(token: str) -> tuple[EmployeeSurvey, EmployeeInvitation]:
    """The survey and invitation of an unused link whose survey is open."""
    invitation = (
        EmployeeInvitation.objects.select_related("survey").filter(token_hash=link_hash(token))
        .first()
    )  # fmt: skip
    if invitation is None:
        raise EmployeeLinkClosed("unknown")
    if invitation.used:
        raise EmployeeLinkClosed("completed")
    if not invitation.survey.is_open:
        raise EmployeeLinkClosed("expired")
    return invitation.survey, invitation


def employee_answer_submit(*, token: str, answers: dict[str, Any]) -> None:
    """Store one anonymous answer for an unused link. The link is marked used in its
    own transaction; the answer is written in another with its unit and day only; if
    writing it fails, the link is freed again. Raises ``AnswerError`` for answers that
    do not fit, ``EmployeeLinkClosed`` for a used or closed link.

    Not covered: a process killed between the two transactions leaves the link used
    with no answer (nothing may tie the two to repair it); and someone reading the
    database's own bookkeeping (PostgreSQL's transaction ids, SQLite's row order) could
    pair a claim with its answer — the application itself never can."""
    survey, invitation = employee_link_open(token)
    definition = definition_of(survey.version_id)
    clean = check_answers(definition, answers)
    scores = score(definition, clean)
    with transaction.atomic():
        claimed = EmployeeInvitation.objects.filter(pk=invitation.pk, used=False).update(used=True)
    if not claimed:
        raise EmployeeLinkClosed("completed")
    unit_id = invitation.unit_id
    del invitation  # from here on, nothing of the link goes with the answer
    try:
        with transaction.atomic():
            EmployeeAnswer.objects.create(survey=survey, unit_id=unit_id,
                                          day=timezone.localdate(), answers=clean,
                                          scores=scores.as_dict(), index=scores.index)  # fmt: skip
    except Exception:
        EmployeeInvitation.objects.filter(token_hash=link_hash(token)).update(used=False)
        raise
