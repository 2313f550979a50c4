"""Report periods: whole months from the cells, the cut edges of a date range from the
raw answers — and the figures of any range equal those of its raw answers."""

from datetime import date, datetime, timedelta

import numpy as np
import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from manyi.analytics import cells
from manyi.analytics.models import Rollup
from manyi.analytics.periods import Span, comparison_span, whole_months
from manyi.analytics.query import ReportQueryError, report_query
from manyi.analytics.selectors import slice_of, unit_summaries
from manyi.analytics.services import rollups_fold
from manyi.stats.moments import Moments
from manyi.surveys.models import Response
from manyi.surveys.services.responses import create_scored
from tests.surveys.fixtures import GOOD_ANSWERS


def test_the_default_period_ends_with_the_last_whole_month():
    assert whole_months(3, date(2026, 1, 20)) == [
        date(2025, 10, 1),
        date(2025, 11, 1),
        date(2025, 12, 1),
    ]


def test_a_report_without_dates_leaves_out_the_month_just_begun(hq_analyst, programme):
    query = report_query(hq_analyst, period="3")
    this_month = timezone.localdate().replace(day=1)
    assert this_month not in query.months.months and len(query.months.months) == 3
    assert query.months.last == this_month - timedelta(days=1)


def test_a_range_that_cuts_months_keeps_the_whole_ones_for_the_cells():
    span = Span.of_dates(date(2026, 1, 15), date(2026, 3, 10))
    assert span.months == (date(2026, 2, 1),)
    (first_since, first_until), (last_since, last_until) = span.edges
    assert (first_since.date(), first_until.date()) == (date(2026, 1, 15), date(2026, 2, 1))
    assert (last_since.date(), last_until.date()) == (date(2026, 3, 1), date(2026, 3, 11))
    assert [month for month, _piece in span.pieces()] == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert first_since.utcoffset() == timedelta(hours=8)  # the day starts in Shanghai


def test_a_range_is_compared_with_as_many_days_before_or_a_year_earlier():
    span = Span.of_dates(date(2026, 1, 15), date(2026, 3, 10))
    before = comparison_span(span, "previous")  # 55 days, ending the day before
    assert (before.first, before.last) == (date(2025, 11, 21), date(2026, 1, 14))
    leap = comparison_span(Span.of_dates(date(2028, 2, 10), date(2028, 2, 29)), "year")
    assert (leap.first, leap.last) == (date(2027, 2, 10), date(2027, 2, 28))
    whole = comparison_span(Span.of_months([date(2026, 1, 1), date(2026, 2, 1)]), "year")
    assert whole.months == (date(2025, 1, 1), date(2025, 2, 1)) and not whole.edges


def test_a_bad_date_range_gets_a_clear_error(hq_analyst, programme):
    for since, until in (
        ("2026-03-01", "2026-02-01"),
        ("2026-02-30", "2026-03-01"),
        ("2026-01-01", ""),
        ("2020-01-01", "2026-01-01"),
    ):
        with pytest.raises(ReportQueryError) as raised:
            report_query(hq_analyst, since=since, until=until)
        assert raised.value.status == 400 and str(raised.value)


def _answer(version, unit, when, quality):
    return create_scored(
        version_id=version.pk,
        answers={**GOOD_ANSWERS, "SQ1": quality, "OVERALL": quality},
        unit_id=unit.pk,
        channel="import",
        submitted_at=when,
    )


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    days=st.lists(st.integers(0, 75), min_size=1, max_size=14),
    qualities=st.lists(st.integers(1, 10), min_size=14, max_size=14),
    folded=st.integers(0, 14),
    start=st.integers(0, 75),
    length=st.integers(0, 75),
)
def test_any_date_range_equals_the_moments_of_its_raw_answers(
    csi_version, network, days, qualities, folded, start, length
):
    Response.objects.all().delete()
    Rollup.objects.all().delete()
    today = timezone.localdate()
    noon = timezone.get_current_timezone()
    made = []
    for index, back in enumerate(days):
        day = today - timedelta(days=back)
        when = datetime(day.year, day.month, day.day, 12, tzinfo=noon)
        unit = network.store_a if index % 2 else network.store_c
        made.append(_answer(csi_version, unit, when, qualities[index]))
    rollups_fold(limit=folded)  # some in cells, some not yet
    first = today - timedelta(days=start)
    span = Span.of_dates(first, min(first + timedelta(days=length), today))
    inside = [r for r in made if span.first <= timezone.localdate(r.submitted_at) <= span.last]
    names = cells.variables(csi_version.parsed())
    got = slice_of(version_id=csi_version.pk, months=span, unit_id=network.north.pk)
    north = [r for r in inside if r.unit_id == network.store_a.pk]
    expected = Moments.of(
        names, np.array([cells.row(csi_version.parsed(), names, r) for r in north])
    )
    assert got.responses == len(north)
    assert got.moments.count == pytest.approx(expected.count)
    assert got.moments.products == pytest.approx(expected.products, abs=1e-6)
    summaries = unit_summaries(
        version_id=csi_version.pk, months=span, unit_ids=[network.store_c.pk]
    )
    index = names.index("@index")
    east = [r.index for r in inside if r.unit_id == network.store_c.pk]
    assert summaries[network.store_c.pk][0, index] == len(east)
    assert summaries[network.store_c.pk][1, index] == pytest.approx(sum(east))
