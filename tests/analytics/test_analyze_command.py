"""``manyi analyze`` on a CSV: the numbers other tools give, and one-line errors."""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pingouin
import pytest

RNG = np.random.default_rng(3)
LATENT = RNG.normal(size=150)
FRAME = pd.DataFrame(
    {
        "A": np.round(7 + LATENT + RNG.normal(scale=0.8, size=150)),
        "B": np.round(7 + LATENT + RNG.normal(scale=1.0, size=150)),
        "C": np.round(7 + LATENT + RNG.normal(scale=1.5, size=150)),
        "NPS": RNG.integers(0, 11, size=150),
    }
)


def analyze(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "manyi.cli", "analyze", *arguments],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "answers.csv"
    frame = FRAME.astype(object)
    frame.loc[4, "B"] = ""  # one missing answer: listwise deletion drops the row
    frame.to_csv(path, index=False)
    return path


def test_alpha_is_pingouins(data_file):
    done = analyze("alpha", "--data", str(data_file), "--items", "A,B,C")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    theirs, _ci = pingouin.cronbach_alpha(data=FRAME[["A", "B", "C"]].drop(index=4))
    assert result["alpha"] == pytest.approx(theirs, abs=1e-8) and result["n"] == 149
    assert set(result["alpha_if_deleted"]) == {"A", "B", "C"}


def test_nps_counts_promoters_and_detractors(data_file):
    result = json.loads(analyze("nps", "--data", str(data_file), "--column", "NPS").stdout)
    answers = FRAME["NPS"]
    expected = 100 * ((answers >= 9).mean() - (answers <= 6).mean())
    assert result["nps"] == pytest.approx(expected, abs=1e-8) and result["n"] == 150
    assert result["ci_low"] < result["nps"] < result["ci_high"]


def test_an_unknown_column_is_one_line_and_exit_2(data_file):
    done = analyze("alpha", "--data", str(data_file), "--items", "A,Z")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "unknown column 'Z'" in done.stderr


def test_a_cell_that_is_not_a_number_names_row_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("A,B\n1,2\n3,good\n", encoding="utf-8")
    done = analyze("alpha", "--data", str(path), "--items", "A,B")
    assert done.returncode == 2 and "row 3, column 'B': 'good' is not a number" in done.stderr


def test_drivers_are_relative_weights_that_sum_to_one(data_file):
    done = analyze("drivers", "--data", str(data_file), "--target", "C", "--items", "A,B")
    result = json.loads(done.stdout)
    assert result["method"] == "relative_weights" and result["n"] == 149
    assert sum(result["importance"].values()) == pytest.approx(1)
    complete = FRAME.drop(index=4)
    r = np.corrcoef(complete[["A", "B", "C"]].to_numpy(float), rowvar=False)
    beta = np.linalg.solve(r[:2, :2], r[:2, 2])
    assert result["r2"] == pytest.approx(float(r[:2, 2] @ beta), abs=1e-10)


def test_pairwise_drivers_use_every_answered_pair(data_file):
    done = analyze(
        "drivers",
        "--data",
        str(data_file),
        "--target",
        "C",
        "--items",
        "A,B",
        "--missing",
        "pairwise",
    )
    result = json.loads(done.stdout)
    assert result["n"] == 149  # the least pairwise n
    assert result["correlations"]["A"] == pytest.approx(FRAME["A"].corr(FRAME["C"]), abs=1e-10)


def test_gaps_are_paired_tests(tmp_path):
    from scipy.stats import ttest_rel

    path = tmp_path / "servqual.csv"
    FRAME.rename(columns={"A": "E1", "B": "P1"}).to_csv(path, index=False)
    result = json.loads(analyze("gaps", "--data", str(path), "--pairs", "E1:P1").stdout)
    theirs = ttest_rel(FRAME["B"], FRAME["A"])
    assert result["E1:P1"]["t"] == pytest.approx(theirs.statistic, abs=1e-10)
    assert result["E1:P1"]["n"] == 150


def test_a_copied_item_makes_drivers_fail_with_exit_2(tmp_path):
    path = tmp_path / "copy.csv"
    FRAME.assign(A2=FRAME["A"] * 2).to_csv(path, index=False)
    done = analyze("drivers", "--data", str(path), "--target", "C", "--items", "A,A2")
    assert done.returncode == 2 and "linearly dependent" in done.stderr


@pytest.fixture
def ecsi(tmp_path):
    from tests.stats.test_pls import FRAME as ECSI
    from tests.stats.test_pls import LATENT, PATHS

    data = tmp_path / "ecsi.csv"
    ECSI.to_csv(data, index=False)
    model = tmp_path / "model.json"
    model.write_text(
        json.dumps(
            {
                "constructs": {
                    name: {"indicators": [f"{name}{i}" for i in (1, 2, 3)], "mode": "A"}
                    for name in LATENT
                },
                "paths": PATHS,
            }
        )
    )
    return data, model


def test_pls_prints_paths_r2_loadings_and_intervals(ecsi):
    from manyi.stats.pls import Construct, pls_of
    from tests.stats.test_pls import FRAME as ECSI
    from tests.stats.test_pls import LATENT, PATHS

    data, model = ecsi
    done = analyze(
        "pls",
        "--data",
        str(data),
        "--model",
        str(model),
        "--scheme",
        "centroid",
        "--bootstrap",
        "20",
        "--seed",
        "1",
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    constructs = [Construct(n, tuple(f"{n}{i}" for i in (1, 2, 3))) for n in LATENT]
    fit = pls_of(ECSI.to_numpy(), list(ECSI), constructs, PATHS, scheme="centroid")
    assert result["paths"]["PERQ -> CUSA"] == pytest.approx(fit.paths["PERQ", "CUSA"], abs=1e-10)
    assert set(result["r2"]) == {"CUEX", "PERQ", "CUSA", "LOY"} and result["n"] == 250
    interval = result["intervals"]["PERQ -> CUSA"]
    assert interval["low"] < result["paths"]["PERQ -> CUSA"] < interval["high"]


def test_a_model_with_a_cycle_fails_with_exit_2(ecsi, tmp_path):
    data, model = ecsi
    spec = json.loads(model.read_text())
    spec["paths"].append(["LOY", "IMAG"])
    model.write_text(json.dumps(spec))
    done = analyze("pls", "--data", str(data), "--model", str(model))
    assert done.returncode == 2 and "cycle" in done.stderr
