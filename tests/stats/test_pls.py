"""PLS path models checked against the plspm package on an ECSI-shaped model."""

import numpy as np
import pandas as pd
import plspm.config as c
import pytest
from plspm.mode import Mode
from plspm.plspm import Plspm
from plspm.scheme import Scheme

from manyi.stats.pls import Construct, ModelError, pls_bootstrap, pls_of

RNG = np.random.default_rng(2005)
N = 250
IMAGE = RNG.normal(size=N)
EXPECT = 0.6 * IMAGE + RNG.normal(scale=0.8, size=N)
QUALITY = 0.3 * IMAGE + 0.4 * EXPECT + RNG.normal(scale=0.8, size=N)
SATISFACTION = 0.2 * EXPECT + 0.6 * QUALITY + RNG.normal(scale=0.6, size=N)
LOYALTY = 0.7 * SATISFACTION + 0.1 * IMAGE + RNG.normal(scale=0.7, size=N)
LATENT = {"IMAG": IMAGE, "CUEX": EXPECT, "PERQ": QUALITY, "CUSA": SATISFACTION, "LOY": LOYALTY}
COLUMNS = {}
for name, latent in LATENT.items():
    for i, load in enumerate((0.9, 0.8, 0.7), start=1):
        COLUMNS[f"{name}{i}"] = load * latent + RNG.normal(scale=0.5, size=N)
FRAME = pd.DataFrame(COLUMNS)
PATHS = [
    ("IMAG", "CUEX"), ("IMAG", "PERQ"), ("CUEX", "PERQ"), ("CUEX", "CUSA"),
    ("PERQ", "CUSA"), ("IMAG", "LOY"), ("CUSA", "LOY"),
]  # fmt: skip


def constructs(mode_of=lambda name: "A"):
    return [
        Construct(name, tuple(f"{name}{i}" for i in (1, 2, 3)), mode_of(name)) for name in LATENT
    ]


def theirs(scheme, mode_of=lambda name: "A"):
    structure = c.Structure()
    for source, target in PATHS:
        structure.add_path([source], [target])
    config = c.Config(structure.path(), scaled=True)
    for name in LATENT:
        mode = Mode.A if mode_of(name) == "A" else Mode.B
        config.add_lv(name, mode, *(c.MV(f"{name}{i}") for i in (1, 2, 3)))
    # plspm multiplies its weights into the data as given, so give it standardised data.
    standardised = (FRAME - FRAME.mean()) / FRAME.std()
    return Plspm(standardised, config, scheme, iterations=300, tolerance=1e-10)


@pytest.mark.parametrize(
    ("scheme", "reference"),
    [("path", Scheme.PATH), ("centroid", Scheme.CENTROID), ("factorial", Scheme.FACTORIAL)],
)
def test_paths_loadings_and_r2_match_plspm(scheme, reference):
    ours = pls_of(FRAME.to_numpy(), list(FRAME), constructs(), PATHS, scheme=scheme)
    fit = theirs(reference)
    coefficients = fit.path_coefficients()
    for (source, target), value in ours.paths.items():
        assert value == pytest.approx(coefficients.loc[target, source], abs=1e-5)
    outer = fit.outer_model()
    for loadings in ours.loadings.values():
        for indicator, value in loadings.items():
            assert value == pytest.approx(outer.loc[indicator, "loading"], abs=1e-5)
    summary = fit.inner_summary()
    for name, value in ours.r2.items():
        assert value == pytest.approx(summary.loc[name, "r_squared"], abs=1e-5)


def test_mode_b_weights_match_plspm_up_to_its_scale_convention():
    formative = {"IMAG", "PERQ"}
    mode_of = lambda name: "B" if name in formative else "A"  # noqa: E731
    ours = pls_of(FRAME.to_numpy(), list(FRAME), constructs(mode_of), PATHS)
    fit = theirs(Scheme.PATH, mode_of)
    outer = fit.outer_model()
    # plspm scales every construct by one common variance convention of its own, so
    # its weights are ours times one constant: the same weights up to that factor.
    ratios = [
        outer.loc[indicator, "weight"] / value
        for weights in ours.weights.values()
        for indicator, value in weights.items()
    ]
    assert ratios == pytest.approx([ratios[0]] * len(ratios), abs=1e-5)
    assert ratios[0] == pytest.approx(1, abs=0.01)
    coefficients = fit.path_coefficients()
    for (source, target), value in ours.paths.items():
        assert value == pytest.approx(coefficients.loc[target, source], abs=1e-5)


def test_the_bootstrap_interval_contains_the_estimate_and_is_reproducible():
    first = pls_bootstrap(FRAME.to_numpy(), list(FRAME), constructs(), PATHS, samples=60, seed=4)
    again = pls_bootstrap(FRAME.to_numpy(), list(FRAME), constructs(), PATHS, samples=60, seed=4)
    assert first == again
    quality = first["PERQ", "CUSA"]
    assert quality.low < quality.estimate < quality.high


def test_a_cycle_an_empty_construct_and_an_unknown_name_are_refused():
    with pytest.raises(ModelError, match="cycle"):
        pls_of(FRAME.to_numpy(), list(FRAME), constructs(), [*PATHS, ("LOY", "IMAG")])
    with pytest.raises(ModelError, match="no indicators"):
        pls_of(FRAME.to_numpy(), list(FRAME), [*constructs(), Construct("X", ())], PATHS)
    with pytest.raises(ModelError, match="unknown construct"):
        pls_of(FRAME.to_numpy(), list(FRAME), constructs(), [("IMAG", "VALUE")])
