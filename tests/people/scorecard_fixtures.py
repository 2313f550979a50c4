"""Last month's scorecards of store A's and store B's advisors. Hana (headquarters)
sets the advisor's card — their customers' index (weight 60), praise (20) and deadlines
missed (20) — and the store's card. Alan (store A) has forty answers a little above his
store; Bo (store A) forty a little below; Cai (store B) has three perfect answers, a
raw mean that would top any list; Dan (store B) forty middling ones. Alan is praised
once; Bo missed a deadline."""

from datetime import timedelta

import numpy as np
import pytest

from manyi.analytics.services import rollups_fold
from manyi.cases.models import Case, DeadlineAction
from manyi.cases.services import case_open
from manyi.org.models import Role
from manyi.people.services.scorecards import MeasureRule, periods_ensure, template_save
from manyi.surveys.services.responses import create_scored
from tests.analytics.report_fixtures import CSI_ITEMS, QUALITY, last_month_start
from tests.conftest import _person
from tests.surveys.fixtures import GOOD_ANSWERS

ADVISOR_CARD = [
    MeasureRule("csi", 60, 700, 900, 10),
    MeasureRule("praise", 20, 0, 2, 0),
    MeasureRule("deadlines_missed", 20, 3, 0, 1),
]


@pytest.fixture
def cards_set(hq_analyst, programme):
    advisor = template_save(actor=hq_analyst, name="Advisor", subject="staff",
                            applies_to=Role.ADVISOR, programme=programme,
                            rules=ADVISOR_CARD)  # fmt: skip
    store = template_save(actor=hq_analyst, name="Store", subject="unit", applies_to="store",
                          programme=programme,
                          rules=[MeasureRule("csi", 70, 700, 900, 30),
                                 MeasureRule("callbacks", 30, 0.6, 0.95, 10)])  # fmt: skip
    return advisor, store


def _answers(rng, level: float) -> dict:
    mood = rng.normal(scale=0.5)
    answers = {
        code: int(np.clip(round(level + mood + rng.normal(scale=0.8)), 1, 10))
        for code in CSI_ITEMS + QUALITY
    }
    return {**GOOD_ANSWERS, **answers, "OVERALL": int(np.clip(round(level + mood), 1, 10))}


@pytest.fixture
def advisors(network, advisor_a, hui, csi_version, cards_set):
    """Alan (advisor_a), Bo, Cai and Dan with last month's answers, praise and a breach."""
    bo = _person("bo_advisor", network.store_a, Role.ADVISOR)
    cai = _person("cai_advisor", network.store_b, Role.ADVISOR)
    dan = _person("dan_advisor", network.store_b, Role.ADVISOR)
    rng = np.random.default_rng(11)
    when = last_month_start() + timedelta(days=3)
    for staff, unit, level, count in (
        (advisor_a, network.store_a, 8.6, 40), (bo, network.store_a, 7.6, 40),
        (dan, network.store_b, 7.8, 40),
    ):  # fmt: skip
        for _ in range(count):
            create_scored(version_id=csi_version.pk, answers=_answers(rng, level),
                          unit_id=unit.pk, channel="import", submitted_at=when,
                          staff_id=staff.pk)  # fmt: skip
    perfect = {**GOOD_ANSWERS, **{code: 10 for code in CSI_ITEMS + QUALITY}, "OVERALL": 10}
    for _ in range(3):
        create_scored(version_id=csi_version.pk, answers=perfect, unit_id=network.store_b.pk,
                      channel="import", submitted_at=when, staff_id=cai.pk)  # fmt: skip
    rollups_fold(limit=1000)
    case_open(actor=hui, kind="praise", unit=network.store_a, subject="Alan explained it all",
              channel="phone", staff=advisor_a, opened_at=when)  # fmt: skip
    late = case_open(actor=hui, kind="complaint", unit=network.store_a, subject="Car not ready",
                     channel="phone", owner=bo, opened_at=when)  # fmt: skip
    DeadlineAction.objects.create(case=late, deadline="first_response", due_at=when,
                                  action="breach", staff=bo)  # fmt: skip
    Case.objects.filter(pk=late.pk).update(first_response_due=when)
    return advisor_a, bo, cai, dan


@pytest.fixture
def five_ranked(network, advisors, csi_version):
    """Eve and Fay (store B) with forty answers each, a little below their store: with
    them five advisors are ranked, enough for a top fifth."""
    rng = np.random.default_rng(12)
    when = last_month_start() + timedelta(days=4)
    extra = [
        _person(name, network.store_b, Role.ADVISOR) for name in ("eve_advisor", "fay_advisor")
    ]
    for staff in extra:
        for _ in range(40):
            create_scored(version_id=csi_version.pk, answers=_answers(rng, 7.4),
                          unit_id=network.store_b.pk, channel="import", submitted_at=when,
                          staff_id=staff.pk)  # fmt: skip
    rollups_fold(limit=1000)
    return [*advisors, *extra]


def close_survey(survey) -> None:
    """Move a survey's days into the past: its results are read once it has closed."""
    from django.utils import timezone

    today = timezone.localdate()
    days = {"opens_on": today - timedelta(days=10), "closes_on": today - timedelta(days=1)}
    type(survey).objects.filter(pk=survey.pk).update(**days)
    survey.refresh_from_db()


@pytest.fixture
def last_month(advisors):
    """Last month's period (made as the worker makes it)."""
    from django.utils import timezone

    return periods_ensure(timezone.localdate())[0]


@pytest.fixture
def es_stores(network, hq_analyst, csi_version):
    """This month's employee survey of six stores, five staff answering in each, and
    their customers' answers: the 3S view has its six points."""
    from django.utils import timezone

    from manyi.org.services import unit_create
    from manyi.people.services.employee import employee_answer_submit, employee_survey_start
    from manyi.surveys.services import questionnaire_create, questionnaire_publish

    version = questionnaire_publish(actor=hq_analyst, questionnaire=questionnaire_create(
        actor=hq_analyst, code="es", name="ES", template="employee"))  # fmt: skip
    extra = [unit_create(actor=None, code=f"S-{c}", name=f"Store {c}", level="store",
                         kind="dealer", parent=network.east) for c in "DEF"]  # fmt: skip
    stores = [network.store_a, network.store_b, network.store_c, *extra]
    people = {s.pk: [_person(f"e{s.pk}-{i}", s, Role.ADVISOR) for i in range(5)] for s in stores}
    today = timezone.localdate()
    started = employee_survey_start(actor=hq_analyst, title="ES", version=version,
                                    opens_on=today, closes_on=today + timedelta(days=7),
                                    units=stores)  # fmt: skip
    for level, store in enumerate(stores, start=1):
        answers = {f"E{i:02d}": min(level, 5) for i in range(1, 13)} | {"OVERALL": min(level, 5)}
        for person in people[store.pk]:
            employee_answer_submit(token=started.tokens[person.pk], answers=answers)
        for _ in range(4):
            create_scored(version_id=csi_version.pk, answers={**GOOD_ANSWERS, "SQ1": level + 3},
                          unit_id=store.pk, channel="import",
                          submitted_at=timezone.now())  # fmt: skip
    close_survey(started.survey)
    return started.survey
