"""A programme of actions: HQ has twelve North stores roll out the same improvement after
the same month. Where it worked, the programme is credited on its clustered error; where
it did nothing, it is not — however many answers the stores have."""

from datetime import timedelta

import numpy as np
import pytest

from manyi.analytics.services import rollups_fold
from manyi.improve.programme_effect import programme_effect
from manyi.improve.services.actions import action_close, action_open
from manyi.org.services import unit_create
from manyi.surveys.services.responses import create_scored
from tests.analytics.report_fixtures import CSI_ITEMS
from tests.improve.conftest import MONTHS, TRIGGER, _moment
from tests.surveys.fixtures import GOOD_ANSWERS

TREATED, OTHERS = 12, 12


def _programme_of_actions(network, csi_version, programme, north_manager, *, lift, seed):
    stores = [
        unit_create(actor=None, code=f"S-P{k}", name=f"North P{k}", level="store",
                    kind="dealer", parent=network.north)
        for k in range(TREATED + OTHERS)
    ]  # fmt: skip
    rng = np.random.default_rng(seed)
    for number, store in enumerate(stores):
        for month in MONTHS:
            shift = rng.normal(scale=0.12) + (lift if number < TREATED and month > TRIGGER else 0)
            for k in range(8):
                mood = shift + rng.normal(scale=0.5)
                answers = {code: int(np.clip(round(7.6 + mood + rng.normal(scale=0.7)), 1, 10))
                           for code in CSI_ITEMS}  # fmt: skip
                create_scored(version_id=csi_version.pk, answers={**GOOD_ANSWERS, **answers},
                              unit_id=store.pk, channel="import",
                              submitted_at=_moment(month, 3 + k))  # fmt: skip
    rollups_fold(limit=100_000)
    plans = []
    for store in stores[:TREATED]:
        plan = action_open(
            actor=north_manager, unit=store, title="Explain the work first", owner=north_manager,
            due_on=TRIGGER + timedelta(days=25), programme=programme, variable="@index",
            trigger_month=TRIGGER, now=_moment(TRIGGER, 5),
        )  # fmt: skip
        plans.append(action_close(actor=north_manager, plan=plan, status="done",
                                  now=_moment(TRIGGER, 20)))  # fmt: skip
    return plans


@pytest.mark.parametrize(("lift", "credited"), [(0.8, True), (0.0, False)])
def test_a_programme_is_judged_on_its_clustered_error(
    client, api_as, network, csi_version, programme, north_manager, lift, credited
):
    plans = _programme_of_actions(network, csi_version, programme, north_manager, lift=lift,
                                  seed=11)  # fmt: skip
    joint = programme_effect(plans[3])
    assert joint is not None and joint.units == TREATED
    assert joint.comparison == OTHERS + 2  # and stores A and B, with no such action…
    assert joint.effect.result.clusters == TREATED + OTHERS  # …nor any answers
    assert joint.credited is credited
    assert (joint.p < 0.05) is credited
    client.force_login(north_manager)
    page = client.get(f"/improve/actions/{plans[3].pk}/").content.decode()
    verdict = "The programme moved its figure." if credited else "The programme is not credited"
    assert "one of 12 on the same figure" in page and verdict in page
    read = api_as(north_manager).get(f"/api/v1/improve/actions/{plans[3].pk}").json()
    assert read["programme_of_actions"]["credited"] is credited


def test_fewer_than_ten_actions_are_no_programme(network, csi_version, programme, north_manager):
    plans = _programme_of_actions(network, csi_version, programme, north_manager, lift=0.8,
                                  seed=3)  # fmt: skip
    for plan in plans[9:]:
        plan.delete()
    assert programme_effect(plans[0]) is None
