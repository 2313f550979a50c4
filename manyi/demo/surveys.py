"""The demo network's survey history: CSI and NPS programmes with 18 months of answers.

Answers come from the hidden truth in ``structure``: weak stores score low on their
weak factors, better advisors lift their customers' scores, busy months dip, and
overall satisfaction and NPS follow the factors by their weights — so reliability,
drivers and shortfall analysis find what was planted. One store games its results (every
rating the best, clicked through in seconds, an advisor answering from his own phone),
so Surveys › Integrity has something to find.
"""

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from manyi.customers.models import Contact, EventKind, ServiceEvent
from manyi.demo.structure import (
    COMPLAINTS,
    NETWORK_SHORTFALL,
    PRAISE,
    RATER_OF_FACTOR,
    SATISFACTION_SEASON,
    TRIGGER_AGO,
    ActionStory,
    action_stories,
    advisor_skill,
    months_between,
    store_profile,
    story_effect,
)
from manyi.org.models import Staff, Unit
from manyi.surveys.definition import Definition
from manyi.surveys.integrity import current_policy, integrity_at_submit
from manyi.surveys.models import Alert, Invitation, InvitationStatus, Programme, Response, Wave
from manyi.surveys.scoring import score
from manyi.surveys.services import (
    invitation_create,
    open_link_create,
    programme_create,
    questionnaire_create,
    questionnaire_publish,
    wave_for,
)
from manyi.surveys.services.invitations import new_token
from manyi.surveys.services.responses import rule_reason
from manyi.surveys.timing import expected_seconds
from manyi.surveys.versions import definition_of

if TYPE_CHECKING:
    from manyi.demo.network import DemoSize

BATCH = 2000
CSI_KINDS = [EventKind.MAINTENANCE, EventKind.REPAIR, EventKind.WARRANTY]
CSI_RATE, NPS_RATE, RATER_RATE = 0.4, 0.1, 0.04
RESPONSE_RATE = 0.5
GAMED_SHARE = 0.08  # of the gaming store's answers
DELAY = timedelta(days=3)


def build_surveys(size: "DemoSize", log: Callable[[str], None]) -> None:
    log("Building survey programmes and their answers…")
    unit = Unit.objects.get(code="HQ")
    start = timezone.make_aware(datetime.combine(size.until, datetime.min.time()))
    first = start - timedelta(days=31 * size.months)
    programmes = []
    for code, template, name, kinds in [
        ("csi", "csi_5_factor", "售后 CSI 三日回访", CSI_KINDS),
        ("nps", "nps", "NPS 客户推荐度", []),
        ("rater", "servqual_22", "服务质量 RATER 调查", []),
    ]:
        questionnaire = questionnaire_create(actor=None, code=code, name=name, template=template)
        version = questionnaire_publish(actor=None, questionnaire=questionnaire)
        programme = programme_create(
            actor=None,
            code=f"{code}-follow-up",
            name=name,
            version=version,
            units=[unit],
            event_kinds=list(kinds),
            channels=["sms", "email"],
            sampling="random",
            sample_rate={"csi": CSI_RATE, "nps": NPS_RATE, "rater": RATER_RATE}[code] * 100,
        )
        # The live sweep carries on from where the history stops.
        Programme.objects.filter(pk=programme.pk).update(
            created_at=first, triggered_until=start - DELAY
        )
        programme.refresh_from_db()
        programmes.append(programme)
    gaming = Unit.objects.filter(level="store").order_by("code")[1:2].first()
    _answer_history(size, programmes, start, gaming)
    if gaming is not None:
        _advisor_answers_for_a_customer(gaming)
    _fieldwork_now(programmes[0], start)


def _fieldwork_now(programme: Programme, start: datetime) -> None:
    """Phone interviews due today for the call centre, and a counter QR code per store."""
    events = list(
        ServiceEvent.objects.filter(
            closed_at__lt=start - DELAY, kind__in=CSI_KINDS, customer__contacts__channel="phone"
        )
        .exclude(invitations__programme=programme)
        .select_related("customer", "unit", "staff")
        .order_by("-closed_at")
        .distinct()[:40]
    )
    for event in events:
        invitation_create(
            programme=programme,
            customer=event.customer,
            event=event,
            channel="phone",
            address="",
        )
    for unit in Unit.objects.filter(level="store").order_by("code")[:3]:
        open_link_create(actor=None, programme=programme, unit=unit)


def _advisor_answers_for_a_customer(store: Unit) -> None:
    """An advisor of the gaming store gave a customer's record his own mobile number, so
    the answers sent to that customer came back from staff."""
    answered = (
        Contact.objects.filter(
            channel="phone",
            customer__responses__unit=store,
            customer__responses__staff__isnull=False,
        )
        .values_list("customer__responses__staff_id", "value")
        .order_by("customer_id")
        .first()
    )
    if answered is not None:
        staff_id, phone = answered
        Staff.objects.filter(pk=staff_id).update(phone=phone)


def _gamed(
    rng: random.Random, invitation: Invitation, answers: dict[str, Any], definition: Definition
) -> dict[str, Any]:
    """Every rating the best, finished in well under a second an item."""
    best = {
        item.code: item.scale.max
        for item in definition.items
        if item.type == "rating" or item.type == "nps"
    }
    invitation.completed_at = invitation.opened_at + timedelta(seconds=rng.randint(5, 12))
    return {**answers, **best}


def _answer_history(
    size: "DemoSize", programmes: list[Programme], start: datetime, gaming: Unit | None
) -> None:
    csi, nps, rater = programmes
    rng = random.Random(f"{size.seed}:surveys")
    codes = dict(Staff.objects.values_list("pk", "code"))
    profiles = {
        pk: store_profile(size.seed, code) for pk, code in Unit.objects.values_list("pk", "code")
    }
    definitions = {p.pk: p.version.parsed() for p in programmes}
    store_codes = dict(Unit.objects.filter(level="store").values_list("code", "pk"))
    stories = {
        store_codes[code]: story
        for code, story in action_stories(size.seed, list(store_codes)).items()
    }
    trigger = (size.until.year, size.until.month - TRIGGER_AGO)
    rules = {p.pk: list(p.alert_rules.all()) for p in programmes}
    waves: dict[tuple[int, Any], Wave] = {}
    last_invited: dict[int, datetime] = {}
    invitations: list[Invitation] = []
    answered: list[tuple[Invitation, dict[str, Any], datetime]] = []
    events = (
        ServiceEvent.objects.filter(closed_at__lt=start - DELAY)
        .order_by("closed_at", "pk")
        .values_list("pk", "kind", "unit_id", "staff_id", "customer_id", "closed_at")
    )
    for pk, kind, unit_id, staff_id, customer_id, closed_at in events.iterator(chunk_size=5000):
        draw = rng.random()
        if kind in CSI_KINDS and draw < CSI_RATE:
            programme = csi
        elif CSI_RATE <= draw < CSI_RATE + NPS_RATE:
            programme = nps
        elif CSI_RATE + NPS_RATE <= draw < CSI_RATE + NPS_RATE + RATER_RATE:
            programme = rater
        else:
            continue
        invited_at = closed_at + DELAY
        previous = last_invited.get(customer_id)
        if previous and invited_at - previous < timedelta(days=programme.exclude_recent_days):
            continue
        last_invited[customer_id] = invited_at
        day = timezone.localdate(invited_at).replace(day=1)
        if (programme.pk, day) not in waves:
            waves[programme.pk, day] = wave_for(programme, day)
        invitation = _invitation(
            rng, programme, pk, unit_id, staff_id, customer_id, invited_at, start
        )
        invitation.wave = waves[programme.pk, day]
        invitations.append(invitation)
        if invitation.status == InvitationStatus.COMPLETED:
            latent = _latent(rng, size.seed, profiles[unit_id], codes.get(staff_id, ""), invited_at)
            weak = profiles[unit_id].weak_factors
            if unit_id in stories:
                latent, weak = _as_the_story_goes(
                    stories[unit_id], latent, weak, invited_at, trigger
                )
            answers = _answers(rng, definitions[programme.pk], latent, weak)
            if gaming is not None and unit_id == gaming.pk and rng.random() < GAMED_SHARE:
                answers = _gamed(rng, invitation, answers, definitions[programme.pk])
            answered.append((invitation, answers, invitation.completed_at))
        if len(invitations) >= BATCH:
            _flush(invitations, answered, definitions, rules)
            invitations, answered = [], []
    _flush(invitations, answered, definitions, rules)


def _invitation(
    rng: random.Random,
    programme: Programme,
    event_id: int,
    unit_id: int,
    staff_id: int | None,
    customer_id: int,
    at: datetime,
    now: datetime,
) -> Invitation:
    sent = at + timedelta(minutes=rng.randint(1, 30))
    expires = at + timedelta(days=programme.expire_after_days)
    invitation = Invitation(
        programme=programme,
        version_id=programme.version_id,
        customer_id=customer_id,
        event_id=event_id,
        unit_id=unit_id,
        staff_id=staff_id,
        token=new_token(),
        channel="sms",
        created_at=at,
        sent_at=sent,
        expires_at=expires,
        status=InvitationStatus.SENT,
    )
    fate = rng.random()
    if fate < 0.03:
        invitation.status, invitation.sent_at, invitation.failed_at = "failed", None, sent
    elif fate < 0.05:
        invitation.status, invitation.opted_out_at = "opted_out", sent + timedelta(hours=2)
    elif fate < 0.05 + RESPONSE_RATE:
        opened = sent + timedelta(hours=rng.expovariate(1 / 20))
        # As long as the questionnaire takes, give or take: some read slowly, some skip.
        # (Drawn apart from ``rng`` so the answers drawn after it stay as they were.)
        spread = random.Random(event_id).lognormvariate(0, 0.4)
        took = expected_seconds(definition_of(programme.version_id)) * spread
        done = opened + timedelta(seconds=took)
        if done < now:
            invitation.status = InvitationStatus.COMPLETED
            invitation.opened_at, invitation.started_at, invitation.completed_at = (
                opened,
                opened,
                done,
            )
    elif fate < 0.8:
        invitation.opened_at = sent + timedelta(hours=rng.expovariate(1 / 30))
        invitation.status = "opened"
    if invitation.status not in ("completed", "failed", "opted_out") and expires <= now:
        invitation.status = InvitationStatus.EXPIRED
    return invitation


def _as_the_story_goes(
    story: ActionStory,
    latent: float,
    weak: tuple[str, ...],
    at: datetime,
    trigger: tuple[int, int],
) -> tuple[float, tuple[str, ...]]:
    """A planted action's store: its bad month, or its weak factor fixed once done."""
    local = timezone.localtime(at)
    shift, fixed = story_effect(story, months_between(trigger, (local.year, local.month)))
    if fixed:
        weak = tuple(factor for factor in weak if f"factor:{factor}" != story.figure)
    return latent + shift, weak


def _latent(rng: random.Random, seed: int, profile: Any, advisor: str, at: datetime) -> float:
    """The customer's satisfaction in standard deviations around the network's level."""
    month = timezone.localtime(at).month
    skill = advisor_skill(seed, advisor) if advisor else 0.0
    return (
        0.5 * profile.quality
        + 0.45 * skill
        + SATISFACTION_SEASON.get(month, 0.0)
        + rng.gauss(0, 0.6)
    )


def _rating(z: float, low: int, high: int, centre: float, spread: float) -> int:
    return max(low, min(high, round(centre + spread * z)))


def _answers(
    rng: random.Random, definition: Definition, latent: float, weak: tuple[str, ...]
) -> dict[str, Any]:
    factor_z = {
        factor.code: latent + rng.gauss(0, 0.5) - (1.3 if factor.code in weak else 0.0)
        for factor in definition.factors
    }
    weights = {factor.code: factor.weight for factor in definition.factors}
    overall_z = (
        sum(weights[code] * z for code, z in factor_z.items()) + rng.gauss(0, 0.35)
        if factor_z
        else latent
    )
    answers: dict[str, Any] = {}
    for item in definition.items:
        if item.type == "rating" and item.factor:
            z = factor_z[item.factor] + rng.gauss(0, 0.55)
            answers[item.code] = _rating(z, item.scale.min, item.scale.max, 8.4, 1.3)
        elif item.type == "rating":
            answers[item.code] = _rating(overall_z, item.scale.min, item.scale.max, 8.3, 1.5)
        elif item.type == "servqual":
            answers[item.code] = _expected_and_perceived(rng, item.dimension, latent, weak)
        elif item.type == "nps":
            answers[item.code] = _rating(overall_z + rng.gauss(0, 0.3), 0, 10, 8.2, 1.9)
        elif item.type == "yesno":
            answers[item.code] = overall_z < -1.6 and rng.random() < 0.5
        elif item.type == "text" and item.code == "REASON":
            if overall_z < -0.8 and rng.random() < 0.6:
                answers[item.code] = rng.choice(COMPLAINTS[rng.choice(weak or list(COMPLAINTS))])
            elif overall_z > 0.8 and rng.random() < 0.2:
                answers[item.code] = rng.choice(PRAISE)
    return answers


def _expected_and_perceived(
    rng: random.Random, dimension: str, latent: float, weak: tuple[str, ...]
) -> dict[str, int]:
    """Customers expect much everywhere; a store weak on a CSI factor falls short on its
    RATER dimension, and the whole network on responsiveness."""
    short = 1.2 if dimension in {RATER_OF_FACTOR[f] for f in weak} else 0.0
    short += 0.5 if dimension == NETWORK_SHORTFALL else 0.0
    expected = _rating(rng.gauss(0, 0.8), 1, 7, 6.3, 0.7)
    perceived = _rating(latent - short + rng.gauss(0, 0.6), 1, 7, 5.8, 0.9)
    return {"e": expected, "p": perceived}


@transaction.atomic
def _flush(
    invitations: list[Invitation],
    answered: list[tuple[Invitation, dict[str, Any], datetime]],
    definitions: dict[int, Definition],
    rules: dict[int, list[Any]],
) -> None:
    Invitation.objects.bulk_create(invitations)
    policy = current_policy()
    responses = []
    for invitation, answers, at in answered:
        definition = definitions[invitation.programme_id]
        scores = score(definition, answers)
        overall = definition.role("overall")
        integrity = integrity_at_submit(
            definition=definition,
            answers=answers,
            opened_at=invitation.opened_at,
            channel="sms",
            now=at,
            policy=policy,
        )
        responses.append(
            Response(
                version_id=invitation.version_id,
                programme_id=invitation.programme_id,
                invitation=invitation,
                customer_id=invitation.customer_id,
                event_id=invitation.event_id,
                unit_id=invitation.unit_id,
                staff_id=invitation.staff_id,
                channel="sms",
                submitted_at=at,
                answers=answers,
                scores=scores.as_dict(),
                index=scores.index,
                nps=scores.nps,
                nps_class=scores.nps_class,
                overall=scores.items.get(overall.code) if overall else None,
                **integrity,
            )
        )
    Response.objects.bulk_create(responses)
    alerts = []
    for response in responses:
        definition = definitions[response.programme_id]
        for rule in rules[response.programme_id]:
            reason = rule_reason(rule, definition, response)
            if reason:
                alerts.append(
                    Alert(
                        response=response,
                        rule=rule,
                        unit_id=response.unit_id,
                        reason=reason[:300],
                        status="closed" if response.submitted_at < _recent() else "open",
                        created_at=response.submitted_at,
                    )
                )
    Alert.objects.bulk_create(alerts)


def _recent() -> datetime:
    return timezone.now() - timedelta(days=14)
