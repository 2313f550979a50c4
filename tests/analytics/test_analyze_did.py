"""``manyi analyze did`` on a CSV of answers: the interaction of
``outcome ~ treated + after + treated×after`` with its classical, HC1 and store-clustered
errors as statsmodels gives them; bad input as one line with exit code 2."""

import csv
import json
import subprocess
import sys

import numpy as np
import pytest

sm = pytest.importorskip("statsmodels.api")


def analyze(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "manyi.cli", "analyze", "did", *arguments],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    rng = np.random.default_rng(12)
    store = rng.integers(0, 12, 900)
    treated, after = (store < 4).astype(int), rng.integers(0, 2, 900)
    y = 780 + rng.normal(0, 20, 12)[store] + 30 * treated * after + rng.normal(0, 70, 900)
    path = tmp_path_factory.mktemp("did") / "answers.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["csi", "treated", "after", "store"])
        writer.writerows(zip(y.round(3), treated, after, [f"S{s:02d}" for s in store],
                             strict=True))  # fmt: skip
        writer.writerow(["", "1", "", "S01"])  # an unanswered row is left out
    return path, y.round(3), treated, after, store


def test_the_command_prints_what_statsmodels_finds(answers):
    path, y, treated, after, store = answers
    done = analyze("--data", str(path), "--outcome", "csi", "--treated", "treated",
                   "--after", "after", "--cluster", "store")  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    X = sm.add_constant(np.column_stack([treated, after, treated * after]).astype(float))
    model = sm.OLS(y, X)
    plain = model.fit()
    assert result["estimate"] == pytest.approx(plain.params[3])
    assert result["se"] == pytest.approx(plain.bse[3])
    assert result["se_robust"] == pytest.approx(model.fit(cov_type="HC1").bse[3])
    clustered = model.fit(cov_type="cluster", cov_kwds={"groups": store})
    assert result["se_cluster"] == pytest.approx(clustered.bse[3])
    assert result["ci_low"] == pytest.approx(plain.conf_int()[3][0])
    assert result["p"] == pytest.approx(plain.pvalues[3]) and result["n"] == 900


def test_without_a_cluster_column_the_clustered_error_is_null(answers):
    path = answers[0]
    done = analyze("--data", str(path), "--outcome", "csi", "--treated", "treated",
                   "--after", "after")  # fmt: skip
    assert json.loads(done.stdout)["se_cluster"] is None


def test_a_flag_that_is_not_zero_or_one_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("csi,treated,after\n800,1,0\n810,2,1\n", encoding="utf-8")
    done = analyze("--data", str(path), "--outcome", "csi", "--treated", "treated",
                   "--after", "after")  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip() == "manyi analyze did: row 3, column 'treated': give 0 or 1"
