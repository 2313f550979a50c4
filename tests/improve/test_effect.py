"""An action's effect read from the rollup cells equals the regression on the raw answers:
the same difference in differences and the same classical, HC1 and store-clustered
errors as statsmodels gives; each comparison store's placebo; the pre-trend.

Store A acted between two months; stores B to F did not."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from manyi.analytics.services import rollups_fold
from manyi.improve import effect
from manyi.org.services import unit_create
from manyi.surveys.models import Response
from manyi.surveys.services.responses import create_scored
from tests.analytics.report_fixtures import CSI_ITEMS, last_month_start
from tests.surveys.fixtures import GOOD_ANSWERS

sm = pytest.importorskip("statsmodels.api")


@pytest.fixture
def answers(network, csi_version):
    stores = [network.store_a, network.store_b, network.store_c]
    stores += [
        unit_create(actor=None, code=f"S-{c}", name=f"Store {c}", level="store", kind="dealer",
                    parent=network.east)
        for c in "DEF"
    ]  # fmt: skip
    rng = np.random.default_rng(9)
    after = last_month_start() + timedelta(days=3)
    months = [after - timedelta(days=62), after - timedelta(days=31), after]
    for number, store in enumerate(stores):
        for month_index, when in enumerate(months):
            lift = 1.2 if number == 0 and month_index == 2 else 0.0
            for _ in range(25):
                mood = rng.normal(scale=0.8) + lift + 0.2 * number
                answers = {code: int(np.clip(round(7.5 + mood + rng.normal(scale=0.8)), 1, 10))
                           for code in CSI_ITEMS}  # fmt: skip
                create_scored(version_id=csi_version.pk, answers={**GOOD_ANSWERS, **answers},
                              unit_id=store.pk, channel="import", submitted_at=when)  # fmt: skip
    rollups_fold(limit=200)  # part folded, part still raw: the figures must not care
    return stores, [m.date().replace(day=1) for m in months]


def _raw(stores, months, treated):
    rows = Response.objects.filter(unit__in=stores).values_list("unit_id", "submitted_at",
                                                                "index")  # fmt: skip
    y, t, a, g = [], [], [], []
    for unit_id, submitted, index in rows:
        month = timezone.localtime(submitted).date().replace(day=1)
        if month == months[0]:
            continue  # only the last two months are compared here
        y.append(index)
        t.append(int(unit_id in treated))
        a.append(int(month == months[2]))
        g.append(unit_id)
    X = sm.add_constant(np.column_stack([t, a, np.multiply(t, a)]).astype(float))
    return sm.OLS(np.array(y), X), g


def test_the_effect_from_the_cells_is_the_regression_on_the_answers(answers, csi_version):
    stores, months = answers
    found = effect.effect_of(version_id=csi_version.pk, variable="@index",
                             treated=[stores[0].pk], comparison=[s.pk for s in stores[1:]],
                             before=[months[1]], after=[months[2]])  # fmt: skip
    model, _groups = _raw(stores, months, {stores[0].pk})
    plain = model.fit()
    assert found.result.estimate == pytest.approx(plain.params[3], rel=1e-9)
    assert found.result.se == pytest.approx(plain.bse[3], rel=1e-9)
    assert found.result.se_robust == pytest.approx(model.fit(cov_type="HC1").bse[3], rel=1e-9)
    assert found.result.se_cluster is None  # one treated store: the placebos judge
    assert len(found.placebos) == 5 and found.verdict is None  # five are too few to judge
    assert [month for month, _a, _b in found.trend] == [months[1], months[2]]


def test_a_programme_of_actions_is_clustered_by_store(answers, csi_version, monkeypatch):
    stores, months = answers
    monkeypatch.setattr(effect, "CLUSTERED_FROM", 2)  # a programme, at test scale
    treated = {stores[0].pk, stores[1].pk}
    found = effect.effect_of(version_id=csi_version.pk, variable="@index",
                             treated=sorted(treated), comparison=[s.pk for s in stores[2:]],
                             before=[months[1]], after=[months[2]])  # fmt: skip
    model, groups = _raw(stores, months, treated)
    clustered = model.fit(cov_type="cluster", cov_kwds={"groups": np.array(groups)})
    assert found.result.se_cluster == pytest.approx(clustered.bse[3], rel=1e-9)


def test_a_figure_the_questionnaire_lacks_is_refused(answers, csi_version):
    stores, months = answers
    with pytest.raises(ValueError, match="not a figure"):
        effect.effect_of(version_id=csi_version.pk, variable="factor:parking",
                         treated=[stores[0].pk], comparison=[stores[1].pk],
                         before=[months[1]], after=[months[2]])  # fmt: skip
