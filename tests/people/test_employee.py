"""The anonymous employee survey: nothing links an answer to its person, groups under
the threshold are never shown, nor by difference, and employee satisfaction is set
beside the stores' customers (3S) with Pearson's r as SciPy computes it."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone
from scipy import stats

from manyi.audit.models import AuditEntry
from manyi.notify.models import Message
from manyi.org.models import Role
from manyi.org.services import unit_create
from manyi.people.models import EmployeeAnswer, EmployeeInvitation
from manyi.people.selectors.employee import hidden_groups, survey_groups, three_s
from manyi.people.services.employee import (
    EmployeeLinkClosed,
    EmployeeSurveyError,
    employee_answer_submit,
    employee_survey_start,
)
from manyi.surveys.services import questionnaire_create, questionnaire_publish
from manyi.surveys.services.responses import create_scored
from tests.conftest import _person
from tests.people.scorecard_fixtures import close_survey
from tests.surveys.fixtures import GOOD_ANSWERS


@pytest.fixture
def employee_version(hq_analyst):
    made = questionnaire_create(actor=hq_analyst, code="es", name="ES", template="employee")
    return questionnaire_publish(actor=hq_analyst, questionnaire=made)


def _answers(level: int) -> dict:
    """Every item of the 1–5 employee questionnaire answered ``level``."""
    answers = {f"E{i:02d}": level for i in range(1, 13)}
    return {
        **answers,
        "OVERALL": level,
        "NPS": min(level + 3, 10),
        "SUGGEST": f"多一些培训 {level}",
    }


def _start(hq_analyst, version, units):
    today = timezone.localdate()
    return employee_survey_start(actor=hq_analyst, title="2026 员工满意度", version=version,
                                 opens_on=today, closes_on=today + timedelta(days=14),
                                 units=units)  # fmt: skip


def _staff(unit, count, prefix):
    return [_person(f"{prefix}{i}", unit, Role.ADVISOR, email=f"{prefix}{i}@example.com")
            for i in range(count)]  # fmt: skip


def test_an_answer_holds_its_unit_and_day_and_nothing_that_leads_to_its_person(
    network, hq_analyst, employee_version
):
    _staff(network.store_a, 5, "a")
    started = _start(hq_analyst, employee_version, [network.store_a])
    audit, messages = AuditEntry.objects.count(), Message.objects.count()
    token = next(iter(started.tokens.values()))
    employee_answer_submit(token=token, answers=_answers(4))
    fields = {f.name for f in EmployeeAnswer._meta.get_fields()}
    assert fields == {"id", "survey", "unit", "day", "answers", "scores", "index"}
    assert (AuditEntry.objects.count(), Message.objects.count()) == (audit, messages)
    invitation = EmployeeInvitation.objects.get(used=True)
    assert {f.name for f in EmployeeInvitation._meta.get_fields()} == {
        "id", "survey", "staff", "unit", "token_hash", "used"}  # fmt: skip
    assert invitation.unit_id == EmployeeAnswer.objects.get().unit_id


def test_a_link_answers_once_and_a_second_send_stores_nothing(network, hq_analyst,
                                                              employee_version):  # fmt: skip
    _staff(network.store_a, 1, "a")
    token = next(iter(_start(hq_analyst, employee_version, [network.store_a]).tokens.values()))
    employee_answer_submit(token=token, answers=_answers(3))
    with pytest.raises(EmployeeLinkClosed):
        employee_answer_submit(token=token, answers=_answers(5))
    assert EmployeeAnswer.objects.count() == 1


def test_a_failed_write_frees_the_link_again(network, hq_analyst, employee_version, monkeypatch):
    _staff(network.store_a, 1, "a")
    token = next(iter(_start(hq_analyst, employee_version, [network.store_a]).tokens.values()))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(EmployeeAnswer.objects, "create", broken)
    with pytest.raises(RuntimeError):
        employee_answer_submit(token=token, answers=_answers(3))
    assert not EmployeeInvitation.objects.filter(used=True).exists()


@pytest.mark.parametrize(
    ("n", "hidden"),
    [
        ({1: 9, 2: 9, 3: 6, 4: 3}, {3, 4}),  # B has 3: A hidden too, or region − A = B
        ({1: 14, 2: 14, 3: 6, 4: 6}, {3}),  # 2 at the region's own office: hide a store
        ({1: 30, 2: 12, 3: 6, 4: 6, 5: 18, 6: 9, 7: 9}, set()),
        ({1: 12, 2: 12, 3: 12, 4: 0}, set()),  # an empty store reveals nothing
        # A region of 3 is hidden with its store, and so is the other region: the network
        # less it would give the first.
        ({1: 13, 2: 3, 3: 3, 5: 10, 6: 10}, {2, 3, 5, 6}),
        # Two answers at the top office itself: a whole region goes, stores and all.
        ({1: 32, 2: 20, 3: 10, 4: 10, 5: 10, 6: 10}, {5, 6}),
    ],
)
def test_groups_under_the_threshold_are_hidden_and_so_is_any_difference_that_reveals_one(n, hidden):
    parents = {1: None, 2: 1, 3: 2, 4: 2, 5: 1, 6: 5, 7: 5}
    found = hidden_groups(n, parents, 5)
    assert found == hidden
    shown = {unit for unit in parents if n.get(unit) and unit not in found}
    for unit in shown:  # what shown groups below it leave of it: none, or five or more
        below = [u for u in shown if u != unit and _under(u, unit, parents)
                 and not any(_under(u, v, parents) for v in shown if v not in (u, unit)
                             and _under(v, unit, parents))]  # fmt: skip
        left = n[unit] - sum(n[u] for u in below)
        assert left == 0 or left >= 5


def _under(unit, ancestor, parents):
    while parents.get(unit) is not None:
        unit = parents[unit]
        if unit == ancestor:
            return True
    return False


def test_a_store_under_the_threshold_is_never_shown_nor_derivable(
    client, network, hq_analyst, store_a_manager, employee_version
):
    people = _staff(network.store_a, 6, "a") + _staff(network.store_b, 3, "b")
    started = _start(hq_analyst, employee_version, [network.north])
    for person in people:
        employee_answer_submit(token=started.tokens[person.pk], answers=_answers(4))
    client.force_login(hq_analyst)
    assert (
        "hidden-group" not in client.get(f"/people/employee/{started.survey.pk}/").content.decode()
    )
    close_survey(started.survey)
    groups = survey_groups(started.survey)
    assert not groups[network.store_b.pk].shown and not groups[network.store_a.pk].shown
    assert groups[network.north.pk].shown
    page = client.get(f"/people/employee/{started.survey.pk}/").content.decode()
    assert page.count('data-testid="hidden-group"') == 2
    assert "多一些培训" not in page  # no shown store: no words either


def test_the_form_opens_stores_once_and_refuses_an_unknown_link(client, network, hq_analyst,
                                                                employee_version):  # fmt: skip
    _staff(network.store_a, 1, "a")
    token = next(iter(_start(hq_analyst, employee_version, [network.store_a]).tokens.values()))
    assert client.get(f"/e/{token}/").status_code == 200
    posted = {f"a-{code}": value for code, value in _answers(2).items()}
    assert 'data-testid="thanks"' in client.post(f"/e/{token}/", posted).content.decode()
    assert 'data-testid="thanks"' in client.post(f"/e/{token}/", posted).content.decode()
    assert EmployeeAnswer.objects.count() == 1
    assert client.get("/e/not-a-link/").status_code == 404


def test_staff_without_an_address_are_counted_not_sent(network, hq_analyst, employee_version):
    _person("nomail", network.store_a, Role.ADVISOR)
    started = _start(hq_analyst, employee_version, [network.store_a])
    assert started.unreachable >= 1 and started.invited >= started.unreachable


def test_only_headquarters_starts_one_and_never_below_five(
    network, hq_analyst, store_a_manager, employee_version
):
    today = timezone.localdate()
    with pytest.raises(EmployeeSurveyError):
        employee_survey_start(actor=store_a_manager, title="x", version=employee_version,
                              opens_on=today, closes_on=today, units=[network.store_a])  # fmt: skip
    with pytest.raises(EmployeeSurveyError, match="at least 5"):
        employee_survey_start(actor=hq_analyst, title="x", version=employee_version,
                              opens_on=today, closes_on=today, units=[network.store_a],
                              min_group=3)  # fmt: skip


def test_three_s_is_pearsons_r_of_the_stores_shown(network, hq_analyst, employee_version,
                                                   csi_version, programme):  # fmt: skip
    extra = [unit_create(actor=None, code=f"S-{c}", name=f"Store {c}", level="store",
                         kind="dealer", parent=network.east) for c in "DEF"]  # fmt: skip
    stores = [network.store_a, network.store_b, network.store_c, *extra]
    rng = np.random.default_rng(3)
    levels = {store.pk: int(rng.integers(1, 6)) for store in stores}
    people = {store.pk: _staff(store, 5, f"s{store.pk}-") for store in stores}
    started = _start(hq_analyst, employee_version, [network.hq])
    for store in stores:
        for person in people[store.pk]:
            employee_answer_submit(token=started.tokens[person.pk],
                                   answers=_answers(levels[store.pk]))  # fmt: skip
        for _ in range(6):
            mood = int(np.clip(2 * levels[store.pk] + rng.integers(-1, 2), 1, 10))
            create_scored(version_id=csi_version.pk, answers={**GOOD_ANSWERS, "SQ1": mood},
                          unit_id=store.pk, channel="import",
                          submitted_at=timezone.now())  # fmt: skip
    assert three_s(hq_analyst, started.survey).points == []  # not while it is open
    close_survey(started.survey)
    found = three_s(hq_analyst, started.survey)
    assert len(found.points) == len(stores)
    es = [point[1] for point in found.points]
    cs = [point[2] for point in found.points]
    reference = stats.pearsonr(es, cs)
    interval = reference.confidence_interval()
    assert found.correlation.r == pytest.approx(reference.statistic, abs=1e-12)
    assert (found.correlation.low, found.correlation.high) == pytest.approx(
        (interval.low, interval.high), abs=1e-12)  # fmt: skip
