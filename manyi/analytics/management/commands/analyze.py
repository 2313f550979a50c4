"""``manyi analyze <method> --data FILE …``: the statistics core on a CSV, as JSON.

For analysts, and for checking manyi's numbers against other tools. Bad input gives
one line on stderr and exit code 2.
"""

import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand

from manyi.analytics.tables import Table, TableError, complete_rows, pairwise_correlation
from manyi.stats.did import cells_of
from manyi.stats.did import did as did_of
from manyi.stats.drivers import drivers_from_correlation, drivers_of
from manyi.stats.gaps import gap_of
from manyi.stats.nps import nps_of
from manyi.stats.pls import SCHEMES, Construct, check_model, pls_bootstrap, pls_of
from manyi.stats.reliability import cronbach_alpha_of
from manyi.stats.retention import BGNBD, MBGCNBD, expected_visits, fit, p_alive, visit_summary

PERIODS = {"day": 1.0, "week": 7.0, "month": 30.4375}  # in days


def _names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise TableError("give at least one column name")
    return names


def alpha(table: Table, options: dict[str, Any]) -> dict[str, Any]:
    items = _names(options["items"] or "")
    data = complete_rows(table.numbers(items))
    result = cronbach_alpha_of(data, items)
    return {"alpha": result.alpha, "n": result.n, "alpha_if_deleted": result.alpha_if_deleted}


def nps(table: Table, options: dict[str, Any]) -> dict[str, Any]:
    column = _names(options["column"] or "")[0]
    values = table.numbers([column])[:, 0]
    values = values[~np.isnan(values)]
    if np.any(values != np.round(values)):
        raise TableError(f"column {column!r}: NPS answers are whole numbers from 0 to 10")
    result = nps_of(values.astype(int))
    return {"nps": result.nps, "ci_low": result.ci_low, "ci_high": result.ci_high, "n": result.n}


def drivers(table: Table, options: dict[str, Any]) -> dict[str, Any]:
    items = _names(options["items"] or "")
    target = _names(options["target"] or "")[0]
    data = table.numbers([*items, target])
    if options["missing"] == "pairwise":
        correlation, n = pairwise_correlation(data)
        result = drivers_from_correlation(correlation, items, n)
    else:
        complete = complete_rows(data)
        result = drivers_of(complete[:, :-1], complete[:, -1], items)
    return {
        "r2": result.r2,
        "importance": result.importance,
        "method": "relative_weights",
        "raw_weights": result.raw_weights,
        "betas": result.betas,
        "correlations": result.correlations,
        "n": result.n,
    }


def gaps(table: Table, options: dict[str, Any]) -> dict[str, Any]:
    result = {}
    for pair in _names(options["pairs"] or ""):
        expectation, _colon, perception = pair.partition(":")
        if not perception:
            raise TableError(f"pair {pair!r}: write EXPECTATION:PERCEPTION")
        data = table.numbers([expectation, perception])
        gap = gap_of(data[:, 0], data[:, 1])
        result[pair] = {"gap": gap.gap, "t": gap.t, "p": gap.p, "n": gap.n}
    return result


def _model(path: Any) -> tuple[list[Construct], list[tuple[str, str]]]:
    if path is None:
        raise TableError("give the model with --model MODEL.json")
    try:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
        constructs = [
            Construct(name, tuple(block.get("indicators", ())), block.get("mode", "A"))
            for name, block in spec["constructs"].items()
        ]
        paths = [(str(source), str(target)) for source, target in spec["paths"]]
    except OSError as error:
        raise TableError(f"{path}: {error.strerror}") from error
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise TableError(
            f'{path}: write {{"constructs": {{NAME: {{"indicators": [...], "mode": "A"}}}}, '
            f'"paths": [[FROM, TO], ...]}}'
        ) from error
    return constructs, paths


def pls(table: Table, options: dict[str, Any]) -> dict[str, Any]:
    constructs, paths = _model(options["model"])
    check_model(constructs, paths)
    indicators = [i for c in constructs for i in c.indicators]
    data = complete_rows(table.numbers(indicators))
    scheme = options["scheme"]
    result = pls_of(data, indicators, constructs, paths, scheme=scheme)
    answer: dict[str, Any] = {
        "paths": {f"{s} -> {t}": value for (s, t), value in result.paths.items()},
        "r2": result.r2,
        "loadings": result.loadings,
        "weights": result.weights,
        "n": result.n,
        "scheme": scheme,
    }
    if options["bootstrap"]:
        intervals = pls_bootstrap(
            data, indicators, constructs, paths,
            samples=options["bootstrap"], seed=options["seed"], scheme=scheme,
        )  # fmt: skip
        answer["intervals"] = {
            f"{s} -> {t}": {"low": i.low, "high": i.high} for (s, t), i in intervals.items()
        }
    return answer


def _day(text: str, where: str) -> int:
    try:
        return date.fromisoformat(text[:10]).toordinal()
    except ValueError as error:
        raise TableError(f"{where}: {text!r} is not a date (YYYY-MM-DD)") from error


def retention(table: Table, options: dict[str, Any]) -> dict[str, Any]:
    """BG/NBD or MBG/CNBD-k on visit rows (a customer and a date each)."""
    if not options["until"]:
        raise TableError("give the end of the window with --until YYYY-MM-DD")
    until = _day(options["until"], "--until")
    model = options["model"] or BGNBD
    if model not in (BGNBD, MBGCNBD):
        raise TableError(f"--model is {BGNBD} or {MBGCNBD}")
    period = PERIODS[options["period"]]
    column = _names(options["date"] or "")[0]
    people = table.column(_names(options["customer"] or "")[0])
    days = [
        _day(cell, f"row {row + 2}, column {column!r}")
        for row, cell in enumerate(table.column(column))
    ]
    if not days:
        raise TableError("the file has no visits")
    names, numbers = np.unique(np.array(people), return_inverse=True)
    codes, summary = visit_summary(numbers, np.array(days), until=until, period=period)
    if not len(summary):
        raise TableError(f"no visit on or before {options['until']}")
    found = fit(summary, model=model)
    if options["customers_out"]:
        _customers_out(options["customers_out"], names[codes], summary, found, options)
    return {
        "model": found.model,
        "period": options["period"],
        "k": found.k,
        "customers": found.customers,
        "repeat_visits": found.repeat_visits,
        "params": {"r": found.r, "alpha": found.alpha, "a": found.a, "b": found.b},
        "log_likelihood": found.log_likelihood,
        "aic": found.aic,
    }


def _customers_out(path: Path, names: Any, summary: Any, found: Any, options: Any) -> None:
    alive = p_alive(found, summary)
    expected = expected_visits(found, summary, options["horizon"])
    try:
        with Path(path).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["customer", "x", "t_x", "T", "p_alive", "expected"])
            for row in zip(
                names, summary.x.astype(int), summary.t_x, summary.T, alive, expected,
                strict=True,
            ):  # fmt: skip
                writer.writerow(row)
    except OSError as error:
        raise TableError(f"{path}: {error.strerror}") from error


def did(table: Table, options: dict[str, Any]) -> dict[str, Any]:
    """``outcome ~ treated + after + treated×after`` by OLS: the interaction and its
    errors. Rows with an empty outcome are left out; treated and after must be 0 or 1."""
    outcome = _names(options["outcome"] or "")[0]
    flags = [_names(options[name] or "")[0] for name in ("treated", "after")]
    data = table.numbers([outcome, *flags])
    kept = ~np.isnan(data[:, 0])
    for column, name in enumerate(flags, start=1):
        wrong = kept & ~np.isin(data[:, column], (0, 1))
        if wrong.any():
            row = int(np.flatnonzero(wrong)[0]) + 2
            raise TableError(f"row {row}, column {name!r}: give 0 or 1")
    cluster = None
    if options["cluster"]:
        cluster = np.array(table.column(_names(options["cluster"])[0]), dtype=object)[kept]
        if any(value == "" for value in cluster):
            raise TableError(f"column {options['cluster']!r}: a row has no cluster")
    result = did_of(
        cells_of(data[kept, 0], data[kept, 1], data[kept, 2], cluster),
        clustered=cluster is not None,
    )
    return {
        "estimate": result.estimate,
        "se": result.se,
        "se_robust": result.se_robust,
        "se_cluster": result.se_cluster,
        "ci_low": result.ci_low,
        "ci_high": result.ci_high,
        "p": result.p,
        "n": result.n,
    }


METHODS = {
    "alpha": alpha,
    "did": did,
    "drivers": drivers,
    "gaps": gaps,
    "nps": nps,
    "pls": pls,
    "retention": retention,
}


class Command(BaseCommand):
    help = "Run a statistic of manyi on a CSV (one row per respondent) and print JSON."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("method", choices=sorted(METHODS))
        parser.add_argument("--data", type=Path, required=True, help="CSV file, UTF-8")
        parser.add_argument("--items", help="item columns, comma separated (alpha)")
        parser.add_argument("--column", help="the 0–10 recommendation column (nps)")
        parser.add_argument("--target", help="the outcome column (drivers)")
        parser.add_argument("--pairs", help="EXPECTATION:PERCEPTION columns, comma separated")
        parser.add_argument(
            "--model",
            help="MODEL.json with constructs and paths (pls); bgnbd or mbgcnbd (retention)",
        )
        parser.add_argument("--outcome", help="the outcome column (did)")
        parser.add_argument("--treated", help="the 0/1 column: the unit took the action (did)")
        parser.add_argument("--after", help="the 0/1 column: after the action (did)")
        parser.add_argument("--cluster", help="cluster column for CR1 errors, e.g. store (did)")
        parser.add_argument("--customer", help="the customer column (retention)")
        parser.add_argument("--date", help="the visit date column, YYYY-MM-DD (retention)")
        parser.add_argument("--until", help="end of the window, YYYY-MM-DD (retention)")
        parser.add_argument(
            "--period", choices=sorted(PERIODS), default="week", help="time unit (retention)"
        )
        parser.add_argument(
            "--horizon", type=float, default=52, help="periods ahead for expected (retention)"
        )
        parser.add_argument(
            "--customers-out", type=Path, help="CSV of each customer's figures (retention)"
        )
        parser.add_argument(
            "--scheme", choices=SCHEMES, default="path", help="inner weighting (pls)"
        )
        parser.add_argument(
            "--bootstrap", type=int, default=0, help="resamples for intervals (pls)"
        )
        parser.add_argument("--seed", type=int, default=0, help="seed of the resampling (pls)")
        parser.add_argument(
            "--missing",
            choices=["listwise", "pairwise"],
            default="listwise",
            help="rows with a missing answer: drop them (default) or use every pair (drivers)",
        )

    def handle(self, *args: Any, method: str, data: Path, **options: Any) -> None:
        try:
            result = METHODS[method](Table(data), options)
        except (TableError, ValueError) as error:
            sys.stderr.write(f"manyi analyze {method}: {error}\n")
            sys.exit(2)
        self.stdout.write(json.dumps(result, ensure_ascii=False))
