"""The network CSI report over a year of responses, against pandas on the raw answers.

    .venv/bin/python benchmarks/network_report.py [--responses 1000000] [--stores 500]
        [--database sqlite|postgres]

Generates a network (HQ, 10 regions, ``--stores`` stores) and a year of responses to
the 19-item dealer questionnaire (scored as on submit), folds them into the rollups,
then times the network report — CSI with its interval, factor scores, NPS, the
monthly trend, every store ranked (minimum n), drivers by relative weights and the
shortfall list — read from the rollups. The baseline, in the same run, loads the raw
answers into pandas and computes the same figures with pandas and statsmodels.
Prints both times, their ratio, and peak RSS. Target: ≤ 1 s, ≥ 20× the baseline,
≤ 1 GiB.
"""

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from import_events import RssSampler, rss_mib, setup_database  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
BATCH = 5000


def build(responses: int, stores: int) -> tuple[object, list[object], list[date]]:
    from manyi.org.services import unit_create
    from manyi.surveys.models import Response
    from manyi.surveys.scoring import score
    from manyi.surveys.services import (
        programme_create,
        questionnaire_create,
        questionnaire_publish,
    )

    hq = unit_create(actor=None, code="HQ", name="HQ", level="hq", kind="headquarters")
    regions = [
        unit_create(
            actor=None, code=f"R{r}", name=f"Region {r}", level="region", kind="region_office",
            parent=hq,
        )
        for r in range(10)
    ]  # fmt: skip
    units = [
        unit_create(
            actor=None, code=f"S{s:04d}", name=f"Store {s}", level="store", kind="dealer",
            parent=regions[s % 10],
        )
        for s in range(stores)
    ]  # fmt: skip
    questionnaire = questionnaire_create(
        actor=None, code="dealer", name="Dealer 19", template="dealer_19"
    )
    version = questionnaire_publish(actor=None, questionnaire=questionnaire)
    programme = programme_create(actor=None, code="csi", name="CSI", version=version, units=[hq])
    definition = version.parsed()
    items = [item for item in definition.items if item.type == "rating" and item.factor]
    rng = random.Random(42)
    level = {unit.pk: rng.gauss(0, 0.4) for unit in units}
    first = datetime(2025, 1, 1, tzinfo=TZ)
    batch = []
    for n in range(responses):
        unit = units[n % stores]
        mood = rng.gauss(level[unit.pk], 1)
        answers = {
            item.code: max(1, min(10, round(8.2 + 1.2 * mood + rng.gauss(0, 0.8))))
            for item in items
        }
        answers["OVERALL"] = max(1, min(10, round(8.2 + 1.3 * mood + rng.gauss(0, 0.5))))
        answers["NPS"] = max(0, min(10, round(8 + 1.8 * mood + rng.gauss(0, 0.6))))
        scores = score(definition, answers)
        batch.append(
            Response(
                version=version,
                programme=programme,
                unit_id=unit.pk,
                channel="sms",
                submitted_at=first + timedelta(minutes=rng.randrange(365 * 24 * 60)),
                answers=answers,
                scores=scores.as_dict(),
                index=scores.index,
                nps=scores.nps,
                nps_class=scores.nps_class,
            )
        )
        if len(batch) == BATCH:
            Response.objects.bulk_create(batch)
            batch = []
    Response.objects.bulk_create(batch)
    months = [date(2025, m, 1) for m in range(1, 13)]
    return version, units, months


def manyi_report(version: object, units: list[object], months: list[date]) -> dict:
    from manyi.analytics.reports.csi import _ranked, csi_report

    report = csi_report(version_id=version.pk, months=months, scope=None, min_n=30)
    ranking = _ranked(version.pk, months, units, 30)
    return {
        "csi": report.index.mean,
        "nps": report.nps.nps,
        "factors": {code: value for code, _n, value, _w in report.factors},
        "top_store": ranking[0].unit.code,
        "top_driver": max(report.drivers.importance, key=report.drivers.importance.get),
    }


def pandas_report(version: object) -> dict:
    """The baseline: raw answers into pandas, the same figures with pandas/statsmodels."""
    import numpy as np
    import pandas as pd
    import statsmodels.api as sm

    from manyi.surveys.models import Response

    definition = version.parsed()
    rows = Response.objects.filter(version=version).values_list(
        "unit_id", "submitted_at", "answers"
    )
    frame = pd.DataFrame.from_records(
        (
            {"unit": unit, "at": at, **(json.loads(a) if isinstance(a, str) else a)}
            for unit, at, a in rows
        )
    )
    items = [i for i in definition.items if i.type == "rating" and i.factor]
    scores = pd.DataFrame(
        {i.code: (frame[i.code] - i.scale.min) / (i.scale.max - i.scale.min) * 1000 for i in items}
    )
    factors = {
        f.code: scores[[i.code for i in items if i.factor == f.code]].mean(axis=1)
        for f in definition.factors
    }
    weights = {f.code: f.weight for f in definition.factors}
    index = sum(weights[code] * values for code, values in factors.items())
    nps = 100 * ((frame["NPS"] >= 9).mean() - (frame["NPS"] <= 6).mean())
    frame["index"] = index
    by_store = frame.groupby("unit")["index"].agg(["mean", "count"])
    ranked = by_store[by_store["count"] >= 30].sort_values("mean", ascending=False)
    frame["month"] = pd.to_datetime(frame["at"]).dt.tz_convert(str(TZ)).dt.strftime("%Y-%m")
    trend = frame.groupby("month")["index"].mean()
    x = (scores - scores.mean()) / scores.std()
    y = (frame["OVERALL"] - frame["OVERALL"].mean()) / frame["OVERALL"].std()
    fit = sm.OLS(y, sm.add_constant(x)).fit()
    r = np.corrcoef(np.column_stack([scores.to_numpy(), frame["OVERALL"].to_numpy()]), rowvar=False)
    values, vectors = np.linalg.eigh(r[:-1, :-1])
    half = vectors @ np.diag(np.sqrt(values)) @ vectors.T
    raw = (half**2) @ np.linalg.solve(half, r[:-1, -1]) ** 2
    return {
        "csi": float(index.mean()),
        "nps": float(nps),
        "factors": {code: float(values.mean()) for code, values in factors.items()},
        "top_store": int(ranked.index[0]),
        "r2": float(fit.rsquared),
        "top_driver": scores.columns[int(np.argmax(raw))],
        "months": len(trend),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--stores", type=int, default=500)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        setup_database(args.database, Path(workdir))
        started = time.perf_counter()
        version, units, months = build(args.responses, args.stores)
        print(
            f"{args.responses:,} responses × 19 items, {args.stores} stores, one year, "
            f"{args.database}: generated in {time.perf_counter() - started:.0f} s"
        )
        from manyi.analytics.services import rollups_rebuild

        started = time.perf_counter()
        rollups_rebuild()
        print(f"rollups folded in {time.perf_counter() - started:.0f} s")
        # Both sides start warm: libraries imported, as in a running server.
        import pandas  # noqa: F401
        import statsmodels.api  # noqa: F401

        manyi_report(version, units, months)
        base_rss = rss_mib()
        with RssSampler() as ours_rss:
            started = time.perf_counter()
            ours = manyi_report(version, units, months)
            ours_time = time.perf_counter() - started
        with RssSampler() as theirs_rss:
            started = time.perf_counter()
            theirs = pandas_report(version)
            theirs_time = time.perf_counter() - started
        print(f"manyi report:  {ours_time:8.3f} s  peak RSS +{ours_rss.peak - base_rss:6.0f} MiB")
        print(
            f"pandas report: {theirs_time:8.3f} s  peak RSS +{theirs_rss.peak - base_rss:6.0f} MiB"
        )
        print(
            f"ratio (pandas / manyi): {theirs_time / ours_time:.0f}×   target ≤ 1 s, ≥ 20×, ≤ 1 GiB"
        )
        print(
            f"CSI {ours['csi']:.2f} vs {theirs['csi']:.2f}; "
            f"NPS {ours['nps']:.2f} vs {theirs['nps']:.2f}; "
            f"top driver {ours['top_driver']} vs {theirs['top_driver']}"
        )
        if args.database == "postgres":
            from django.db import connection

            connection.close()


if __name__ == "__main__":
    main()
