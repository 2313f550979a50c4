"""Rollup moments: sums over any split equal the whole; covariances are pandas' pairwise ones."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manyi.stats.moments import Moments

VARIABLES = ("SI1", "SQ1", "OVERALL")
RNG = np.random.default_rng(8)
DATA = RNG.integers(1, 11, size=(300, 3)).astype(float)
DATA[RNG.random(size=DATA.shape) < 0.15] = np.nan  # unanswered and "not applicable"


def test_pairwise_covariance_and_correlation_match_pandas():
    moments = Moments.of(VARIABLES, DATA)
    frame = pd.DataFrame(DATA, columns=VARIABLES)
    assert moments.covariance() == pytest.approx(frame.cov().to_numpy(), abs=1e-10)
    assert moments.correlation() == pytest.approx(frame.corr().to_numpy(), abs=1e-12)
    assert moments.mean("SQ1") == pytest.approx(frame["SQ1"].mean(), abs=1e-12)
    assert moments.n("SQ1") == frame["SQ1"].count()


rows = st.lists(
    st.tuples(*(st.one_of(st.none(), st.integers(0, 10)) for _ in VARIABLES)), max_size=40
)


@settings(max_examples=60, deadline=None)
@given(rows, rows, rows)
def test_the_moments_of_parts_add_up_to_the_moments_of_the_whole(first, second, third):
    def matrix(part):
        return np.array(
            [[np.nan if v is None else v for v in row] for row in part], dtype=float
        ).reshape(-1, len(VARIABLES))

    parts = [Moments.of(VARIABLES, matrix(part)) for part in (first, second, third)]
    whole = Moments.of(VARIABLES, matrix(first + second + third))
    total = parts[0] + parts[1] + parts[2]
    for name in ("count", "sums", "squares", "products"):
        assert getattr(total, name) == pytest.approx(getattr(whole, name), abs=1e-9)


def test_packing_keeps_every_number():
    moments = Moments.of(VARIABLES, DATA)
    again = Moments.unpack(VARIABLES, moments.pack())
    assert np.array_equal(again.products, moments.products)
    assert np.array_equal(again.count, moments.count)


def test_moments_of_other_variables_do_not_add():
    with pytest.raises(ValueError, match="different variables"):
        Moments.empty(VARIABLES) + Moments.empty(("A",))
