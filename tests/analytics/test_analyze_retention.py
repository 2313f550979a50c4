"""``manyi analyze retention`` on CDNOW's raw purchases (the sample of 2,357 customers
that ships with lifetimes): the published BG/NBD fit from dates alone, each customer's
figures as CSV, and bad input as one line with exit code 2."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

lifetimes = pytest.importorskip("lifetimes")
RAW = Path(lifetimes.__file__).parent / "datasets" / "CDNOW_sample.txt"


def analyze(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "manyi.cli", "analyze", "retention", *arguments],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def visits(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cdnow") / "visits.csv"
    with RAW.open() as raw, path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["customer", "date", "amount"])
        for line in raw:
            _id, customer, day, _quantity, amount = line.split()
            writer.writerow([f"C{customer}", f"{day[:4]}-{day[4:6]}-{day[6:]}", amount])
    return path


def test_the_cdnow_purchases_give_the_published_fit_and_each_customers_figures(visits, tmp_path):
    out = tmp_path / "customers.csv"
    done = analyze(
        *("--data", str(visits), "--customer", "customer", "--date", "date"),
        *("--until", "1997-09-30", "--horizon", "39", "--customers-out", str(out)),
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["model"], result["period"], result["k"]) == ("bgnbd", "week", 1)
    assert (result["customers"], result["repeat_visits"]) == (2357, 2457)
    params = {name: round(value, 3) for name, value in result["params"].items()}
    assert params == {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # FHL (2005)
    assert result["log_likelihood"] == pytest.approx(-9582.4, abs=0.05)
    assert result["aic"] == pytest.approx(8 - 2 * result["log_likelihood"])
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 2357 and list(rows[0]) == ["customer", "x", "t_x", "T", "p_alive",
                                                  "expected"]  # fmt: skip
    first = rows[0]  # bought on 1 Jan, 18 Jan and 2 Aug 1997 (and after the window)
    assert (first["customer"], first["x"]) == ("C0001", "2")
    assert float(first["t_x"]) == pytest.approx(213 / 7) and float(first["T"]) == 272 / 7
    assert 0 < float(first["p_alive"]) < 1 and float(first["expected"]) > 0


def test_months_scale_alpha_and_not_the_rest(visits):
    common = ("--data", str(visits), "--customer", "customer", "--date", "date")
    weeks = json.loads(analyze(*common, "--until", "1997-09-30").stdout)
    months = json.loads(analyze(*common, "--until", "1997-09-30", "--period", "month").stdout)
    # Time is continuous: a month is 30.4375 days, so alpha moves by that ratio alone.
    assert months["params"]["alpha"] == pytest.approx(
        weeks["params"]["alpha"] * 7 / 30.4375, rel=1e-3
    )
    assert months["params"]["r"] == pytest.approx(weeks["params"]["r"], rel=1e-3)


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--until", "1997-13-01"], "--until: '1997-13-01' is not a date"),
        (["--until", "1997-09-30", "--date", "amount"], "row 2, column 'amount'"),
        (["--until", "1997-09-30", "--model", "pareto"], "--model is bgnbd or mbgcnbd"),
        (["--until", "1996-01-01"], "no visit on or before 1996-01-01"),
        ([], "give the end of the window with --until"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(visits, arguments, said):
    base = ["--data", str(visits), "--customer", "customer", "--date", "date"]
    if "--date" in arguments:
        base = base[:-2]
    done = analyze(*base, *arguments)
    assert done.returncode == 2 and said in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
