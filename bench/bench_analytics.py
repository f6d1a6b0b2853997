"""Aggregation-cube benchmark (issue 5). Prints figures and ratios; writes only under bench/out/.

    .venv/bin/python bench/bench_analytics.py [--files 10] [--rows 1000000] [--runs 9] [--pandas-runs 3]
                                              [--rebuild] [--home bench/out/analytics-home]

1. build (once, reused afterwards): ``--files`` synthetic ACLED files of ``--rows`` rows
   (``generate_acled`` with seeds 101, 102...), ids made unique across files
   (``MLI8530`` -> ``MLI030000008530`` for file 3: without this, equal ids in later files
   would count as revisions), each ingested as its own snapshot, each CSV deleted
   after its ingest;
2. for each query — country-month, admin1-week, priogrid-month, one bloc's
   country-month — time ``Observatory.aggregate`` (sahelwatch; warm: the first call of a
   snapshot builds the per-day rollups and the place -> admin lookup, timed apart as "cold"),
   the same aggregation
   written directly in DuckDB SQL over the store's raw events Parquet files (no as-of
   logic: the floor), and pandas reading the needed columns of the same Parquet files
   and grouping (what a notebook does); report median and p95 and the ratios.

admin1 units come from point-in-polygon per distinct place, cached per snapshot: the
first admin1 query computes the cache (timed and reported separately as "cold"). Its
floor reads the events Parquet joined with that cache (the same aggregation), and, for
reference, grouping by the source's own admin1 name (no join). The generator jitters
coordinates, so 8.2 of the 10 million events have a place of their own: real exports
repeat places far more, which makes the lookup much smaller.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from _common import OUT, build_store, pct, timed  # bench/ is on sys.path when a script here runs


def report(name: str, ours: list[float], floor: list[float], peer: list[float] | None, target_ms: float | None = None):
    m, f = statistics.median(ours), statistics.median(floor)
    line = (f"{name:<28} sahelwatch median {m * 1000:8.1f} ms  p95 {pct(ours, .95) * 1000:8.1f} | "
            f"duckdb floor median {f * 1000:8.1f} ms  p95 {pct(floor, .95) * 1000:8.1f} | ratio {m / f:5.2f}x")
    if peer:
        p = statistics.median(peer)
        line += f" | pandas median {p * 1000:8.0f} ms  p95 {pct(peer, .95) * 1000:8.0f} | speed-up {p / m:5.1f}x"
    if target_ms is not None:
        line += f" | target < {target_ms:.0f} ms: {'met' if m * 1000 < target_ms else 'MISSED'}"
    print(line, flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=10)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--pandas-runs", type=int, default=3)
    ap.add_argument("--home", type=Path, default=OUT / "analytics-home")
    ap.add_argument("--rebuild", action="store_true")
    a = ap.parse_args(argv)

    import duckdb
    import pandas as pd

    import sahelwatch

    total = a.files * a.rows
    home = a.home
    if a.rebuild or not (home / "store.json").exists():
        print(f"Building a store of {total:,} generated ACLED events in {home} ...", flush=True)
        t = time.perf_counter()
        build_store(home, a.files, a.rows)
        print(f"  built in {time.perf_counter() - t:.0f}s", flush=True)
    obs = sahelwatch.open(home)
    files = sorted(str(p) for p in (home / "events").glob("*.parquet"))
    con = duckdb.connect()
    src = "read_parquet([" + ", ".join(f"'{p}'" for p in files) + "])"
    n, keys = con.sql(f"SELECT count(*), count(DISTINCT event_key) FROM {src}").fetchall()[0]
    print(f"Store: {n:,} event versions in {len(files)} files, {keys:,} distinct keys "
          f"({'unique' if n == keys else 'NOT unique'}); {len(obs.snapshots())} snapshots", flush=True)
    runs, pruns = a.runs, a.pandas_runs

    def pandas_group(cols, by, freq):
        df = pd.read_parquet(files, columns=cols)
        df["date_start"] = pd.to_datetime(df["date_start"])
        df["p"] = df["date_start"].dt.to_period(freq)
        return df.groupby(by + ["p"], dropna=False).agg(events=("date_start", "size"),
                                                        fatalities_best=("fatalities_best", "sum"))

    # country-month ----------------------------------------------------------------------------
    for f in (home / "cache").glob("cube-*.parquet"):
        f.unlink()
    t = time.perf_counter()
    obs.aggregate(by="country", period="month")
    print(f"country-month cold (builds the per-day rollup of the snapshot, then aggregates): "
          f"{time.perf_counter() - t:.2f}s", flush=True)
    ours, res = timed(lambda: obs.aggregate(by="country", period="month"), runs)
    floor, fres = timed(lambda: con.sql(
        f"SELECT country_iso3, CAST(date_trunc('month', date_start) AS DATE) AS m, count(*) AS events, "
        f"sum(fatalities_best) AS fatalities_best FROM {src} GROUP BY 1, 2").fetchall(), runs)
    peer, pres = timed(lambda: pandas_group(["country_iso3", "date_start", "fatalities_best"], ["country_iso3"], "M"),
                       pruns)
    assert len(res) == len(fres) == len(pres), (len(res), len(fres), len(pres))
    assert int(res.to_polars()["events"].sum()) == n
    report("country-month", ours, floor, peer)

    # admin1-week ------------------------------------------------------------------------------
    cache_dir = home / "cache"
    t = time.perf_counter()
    res = obs.aggregate(by="admin1", period="week")
    cold = time.perf_counter() - t
    print(f"admin1-week cold (computes admin1/admin2 of every distinct place, then aggregates): {cold:.1f}s",
          flush=True)
    cache = sorted(cache_dir.glob("cube-places-*.parquet"))[-1]
    ours, res = timed(lambda: obs.aggregate(by="admin1", period="week"), runs)
    floor, fres = timed(lambda: con.sql(
        f"SELECT e.country_iso3, a.admin1_code, a.admin1_name, CAST(date_trunc('week', e.date_start) AS DATE) AS w, "
        f"count(*) AS events, sum(e.fatalities_best) AS fatalities_best FROM {src} e "
        f"LEFT JOIN read_parquet('{cache}') a ON a.latitude = e.latitude AND a.longitude = e.longitude "
        f"AND a.country_key = COALESCE(e.country_iso3, '') GROUP BY 1, 2, 3, 4").fetchall(), runs)
    peer, pres = timed(lambda: pandas_group(["country_iso3", "admin1", "date_start", "fatalities_best"],
                                            ["country_iso3", "admin1"], "W-SUN"), pruns)
    assert len(res) == len(fres), (len(res), len(fres))
    report("admin1-week", ours, floor, peer)
    floor_names, _ = timed(lambda: con.sql(
        f"SELECT country_iso3, admin1, CAST(date_trunc('week', date_start) AS DATE) AS w, count(*), "
        f"sum(fatalities_best) FROM {src} GROUP BY 1, 2, 3").fetchall(), runs)
    report("  (floor: source admin1 names)", ours, floor_names, None)

    # priogrid-month ---------------------------------------------------------------------------
    t = time.perf_counter()
    obs.aggregate(by="priogrid", period="month")
    print(f"priogrid-month cold (builds the per-cell monthly rollup of the snapshot, then aggregates): "
          f"{time.perf_counter() - t:.2f}s", flush=True)
    ours, res = timed(lambda: obs.aggregate(by="priogrid", period="month"), runs)
    floor, fres = timed(lambda: con.sql(
        f"SELECT country_iso3, priogrid_gid, CAST(date_trunc('month', date_start) AS DATE) AS m, count(*), "
        f"sum(fatalities_best) FROM {src} GROUP BY 1, 2, 3").fetchall(), runs)
    peer, pres = timed(lambda: pandas_group(["country_iso3", "priogrid_gid", "date_start", "fatalities_best"],
                                            ["country_iso3", "priogrid_gid"], "M"), pruns)
    assert len(res) == len(fres) == len(pres), (len(res), len(fres), len(pres))
    report("priogrid-month", ours, floor, peer)

    # one bloc, country-month --------------------------------------------------------------------
    ours, res = timed(lambda: obs.aggregate(by="country", period="month", bloc="AES"), runs)
    members = sorted(set(res.to_polars()["country_iso3"].to_list()))
    first = res.to_polars()["period_start"].min()
    inl = ", ".join(f"'{c}'" for c in members)
    floor, fres = timed(lambda: con.sql(
        f"SELECT country_iso3, CAST(date_trunc('month', date_start) AS DATE) AS m, count(*), sum(fatalities_best) "
        f"FROM {src} WHERE country_iso3 IN ({inl}) AND date_start >= DATE '{first}' GROUP BY 1, 2").fetchall(), runs)

    def pandas_bloc():
        df = pd.read_parquet(files, columns=["country_iso3", "date_start", "fatalities_best"],
                             filters=[("country_iso3", "in", members)])
        df["date_start"] = pd.to_datetime(df["date_start"])
        df = df[df["date_start"] >= pd.Timestamp(first)]
        return df.groupby(["country_iso3", df["date_start"].dt.to_period("M")]).agg(
            events=("date_start", "size"), fatalities_best=("fatalities_best", "sum"))

    peer, pres = timed(pandas_bloc, pruns)
    assert len(res) == len(fres) == len(pres), (len(res), len(fres), len(pres))
    report(f"AES country-month ({','.join(members)})", ours, floor, peer, target_ms=100)
    ours, res = timed(lambda: obs.aggregate(by="bloc", period="month", bloc="AES"), runs)
    report("AES bloc-month", ours, floor, None, target_ms=100)
    return 0


if __name__ == "__main__":
    sys.exit(main())
