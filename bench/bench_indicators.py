"""Conflict-indicator benchmark (issue 5): one indicator run on a store of generated ACLED events.

    .venv/bin/python bench/bench_indicators.py [--files 10] [--rows 1000000] [--runs 7]
                                               [--home bench/out/indicators-home] [--rebuild]

1. build (once, reused afterwards): ``--files`` synthetic ACLED files of ``--rows`` rows
   (``generate_acled`` with seeds 101, 102..., 2018-01 to 2025-06), ids made unique across
   files (``MLI8530`` -> ``MLI030000008530`` for file 3: equal ids in later files would
   otherwise count as revisions of the same events), each ingested as its own snapshot and
   deleted after its ingest. ``--home`` may point at another store built the same way
   (e.g. ``bench/out/analytics-home`` from ``bench_analytics.py``).
2. time ``Observatory.indicators`` — deadliness, danger, diffusion (10 km cells, populated
   cells from the gazetteer), fragmentation (alias table), ranks — for the 12 months ending
   2024-12-31: at country level, and at admin1 level (point-in-polygon units; the first
   admin1 run builds the per-snapshot admin cache and is reported apart as "cold");
3. the floor: deadliness and danger alone as one DuckDB ``GROUP BY`` over the store's raw
   events Parquet files (no as-of logic, no diffusion or fragmentation).

Writes only under ``bench/out/``; prints median and p95.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from _common import OUT, build_store, pct, timed  # bench/ is on sys.path when a script here runs
ON = "2024-12-31"


def line(name: str, xs: list[float]) -> dict:
    m = statistics.median(xs)
    print(f"{name:<44} median {m * 1000:8.0f} ms   p95 {pct(xs, .95) * 1000:8.0f} ms   ({len(xs)} runs)", flush=True)
    return {"median_ms": round(m * 1000, 1), "p95_ms": round(pct(xs, .95) * 1000, 1), "runs": len(xs)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=10)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--home", type=Path, default=OUT / "indicators-home")
    ap.add_argument("--rebuild", action="store_true")
    a = ap.parse_args(argv)

    import duckdb

    import sahelwatch

    home = a.home
    if a.rebuild or not (home / "store.json").exists():
        print(f"Building a store of {a.files * a.rows:,} generated ACLED events in {home} ...", flush=True)
        t = time.perf_counter()
        build_store(home, a.files, a.rows)
        print(f"  built in {time.perf_counter() - t:.0f}s", flush=True)
    obs = sahelwatch.open(home)
    files = sorted(str(p) for p in (home / "events").glob("*.parquet"))
    src = "read_parquet([" + ", ".join(f"'{p}'" for p in files) + "])"
    con = duckdb.connect()
    n = con.sql(f"SELECT count(*) FROM {src}").fetchall()[0][0]
    print(f"Store: {n:,} event versions, {len(obs.snapshots())} snapshots; indicators for the 12 months to {ON}",
          flush=True)
    results = {"events": n, "on": ON}

    floor_sql = (f"SELECT country_iso3, SUM(fatalities_best), SUM(CASE WHEN civilian_targeting THEN 1 ELSE 0 END) "
                 f"FROM {src} WHERE date_start BETWEEN DATE '2024-01-01' AND DATE '{ON}' "
                 f"AND disorder_type LIKE 'Political violence%' GROUP BY 1")
    xs, _ = timed(lambda: con.sql(floor_sql).fetchall(), a.runs)
    results["floor_duckdb_deadliness_danger"] = line("floor: DuckDB group-by (deadliness, danger)", xs)

    xs, res = timed(lambda: obs.indicators("country", ON), 1)
    results["country_first_run"] = line("indicators country (first run: gazetteer)", xs)
    xs, res = timed(lambda: obs.indicators("country", ON), a.runs)
    results["country"] = line("indicators country", xs)
    top = res.to_polars().head(3).select("unit", "deadliness", "danger", "diffusion", "fragmentation").to_dicts()
    print(f"  top 3: {top}", flush=True)

    xs, _ = timed(lambda: obs.indicators("admin1", ON), 1)
    results["admin1_cold"] = line("indicators admin1 (cold: builds admin cache)", xs)
    xs, res = timed(lambda: obs.indicators("admin1", ON), a.runs)
    results["admin1"] = line("indicators admin1", xs)
    print(f"  {len(res)} admin1 units", flush=True)
    OUT.mkdir(exist_ok=True)
    (OUT / "indicators-last.json").write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
