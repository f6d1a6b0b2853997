"""Ingest benchmark (issue 2). Prints figures and ratios against baselines measured in the same run.

    .venv/bin/python bench/bench_ingest.py [--rows 1000000] [--seed 1] [--skip-asof]

1. generate an ACLED-format CSV with `sahelwatch generate` (cached in bench/out/);
2. floor: the fastest plain parse of the file into memory (Polars read_csv, DuckDB read_csv);
3. sahelwatch: the full ingest (parse, validate, version, durable Parquet write) into a fresh store;
4. peer: pandas read_csv + the same checks in pandas + to_parquet (what analysts do today);
5. as-of: five snapshots totalling 5x rows versions, then an as-of query for one country-year.

Each of 2-4 runs in its own subprocess so peak RSS (ru_maxrss) belongs to it alone.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"

FLOOR_POLARS = """
import polars as pl, sys
df = pl.read_csv(sys.argv[1], infer_schema=False)
print(df.height)
"""
FLOOR_DUCKDB = """
import duckdb, sys
con = duckdb.connect()
t = con.sql(f"SELECT * FROM read_csv('{sys.argv[1]}', all_varchar=true)").to_arrow_table()
print(t.num_rows)
"""
SAHELWATCH = """
import sys, sahelwatch
obs = sahelwatch.open(sys.argv[2])
rep = obs.ingest('acled', sys.argv[1])
print(rep.counts['accepted'])
"""
PANDAS_PEER = """
import sys, pandas as pd
df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, na_values=[""])
date = pd.to_datetime(df["event_date"], format="%Y-%m-%d", errors="coerce")
lat = pd.to_numeric(df["latitude"], errors="coerce")
lon = pd.to_numeric(df["longitude"], errors="coerce")
fat = pd.to_numeric(df["fatalities"], errors="coerce")
ts = pd.to_numeric(df["timestamp"], errors="coerce")
bad = (df["event_id_cnty"].isna() | date.isna() | lat.isna() | (lat.abs() > 90) | lon.isna()
       | (lon.abs() > 180) | fat.isna() | (fat < 0) | (fat % 1 != 0) | ts.isna())
dups = df["event_id_cnty"].duplicated(keep=False)
bad |= dups & ~df.duplicated(keep=False)
good = df[~bad].assign(date_start=date[~bad], latitude=lat[~bad], longitude=lon[~bad],
                       fatalities=fat[~bad].astype("int64"), timestamp=ts[~bad].astype("int64"))
good.to_parquet(sys.argv[2] + "/events.parquet", compression="zstd")
print(len(good))
"""


def run(code: str, *args: str) -> tuple[float, float, str]:
    """Seconds, peak RSS (MB) and stdout of ``code`` run in a fresh interpreter."""
    wrapper = ("import resource as _r, time as _time, sys as _sys\n"
               "_t0 = _time.perf_counter()\n"
               f"exec(compile({code!r}, 'bench', 'exec'))\n"
               "_el = _time.perf_counter() - _t0\n"
               "print('BENCH', _el, _r.getrusage(_r.RUSAGE_SELF).ru_maxrss / 1024, file=_sys.stderr)\n")
    p = subprocess.run([sys.executable, "-c", wrapper, *args], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{p.stderr[-3000:]}")
    line = [ln for ln in p.stderr.splitlines() if ln.startswith("BENCH")][-1].split()
    return float(line[1]), float(line[2]), p.stdout.strip()


def generate(rows: int, seed: int) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"acled_{rows}_{seed}.csv"
    if not path.exists():
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sahelwatch.cli.main", "generate", "acled", "--rows", str(rows),
                        "--seed", str(seed), "-o", str(path)], check=True)
        print(f"generated {path.name}: {path.stat().st_size / 1e6:,.0f} MB in {time.perf_counter() - t:.1f} s")
    return path


def asof_bench(path: Path, rows: int, snapshots: int = 5, reps: int = 20) -> dict:
    """Five ingests of the same events with newer timestamps: ``snapshots * rows`` versions."""
    import polars as pl

    import sahelwatch

    home = OUT / "asof-home"
    shutil.rmtree(home, ignore_errors=True)
    obs = sahelwatch.open(home)
    base = pl.read_csv(path, infer_schema=False)
    t_ing = []
    for k in range(snapshots):
        f = OUT / f"asof_{k}.csv"
        base.with_columns((pl.col("timestamp").cast(pl.Int64) + k * 1000).cast(pl.String),
                          pl.col("fatalities").cast(pl.Int64).add(k).cast(pl.String)).write_csv(f)
        t = time.perf_counter()
        obs.ingest("acled", f)
        t_ing.append(time.perf_counter() - t)
        f.unlink()
    versions = sum(s.counts["new"] + s.counts["changed"] for s in obs.snapshots())
    year = int(base["year"].mode()[0])
    lat = []
    for _ in range(reps):
        t = time.perf_counter()
        n = len(obs.events(country="MLI", start=f"{year}-01-01", end=f"{year}-12-31", as_of=3))
        lat.append(time.perf_counter() - t)
    return {"versions": versions, "ingest_s": t_ing, "rows": n, "median_ms": statistics.median(lat) * 1000,
            "p95_ms": sorted(lat)[int(0.95 * (reps - 1))] * 1000, "year": year}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-asof", action="store_true")
    a = ap.parse_args()
    path = generate(a.rows, a.seed)
    size = path.stat().st_size / 1e6
    res = {}
    res["floor_polars"] = run(FLOOR_POLARS, str(path))
    res["floor_duckdb"] = run(FLOOR_DUCKDB, str(path))
    for name in ("sahelwatch", "pandas_peer"):
        home = OUT / f"home-{name}"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        res[name] = run(SAHELWATCH if name == "sahelwatch" else PANDAS_PEER, str(path), str(home))
    floor_name = min(("floor_polars", "floor_duckdb"), key=lambda k: res[k][0])
    floor = res[floor_name][0]
    sw, peer = res["sahelwatch"][0], res["pandas_peer"][0]
    print(f"\nfile: {path.name}, {a.rows:,} rows, {size:,.0f} MB")
    print(f"{'step':<16}{'seconds':>9}{'rows/s':>12}{'peak RSS MB':>13}")
    for k, (s, rss, _) in res.items():
        print(f"{k:<16}{s:>9.2f}{a.rows / s:>12,.0f}{rss:>13,.0f}")
    print(f"\nfull ingest / floor ({floor_name}): {sw / floor:.2f}x   (target <= 2.5x)")
    print(f"pandas peer / full ingest:          {peer / sw:.2f}x   (target >= 2x)")
    print(f"peak RSS of the full ingest:        {res['sahelwatch'][1]:,.0f} MB (target < 2,000 MB)")
    summary = {"rows": a.rows, "mb": size, **{k: {"s": v[0], "rss_mb": v[1]} for k, v in res.items()},
               "ratio_floor": sw / floor, "ratio_peer": peer / sw}
    if not a.skip_asof:
        r = asof_bench(path, a.rows)
        print(f"\nas-of: {r['versions']:,} versions in 5 snapshots (ingests {', '.join(f'{x:.1f}' for x in r['ingest_s'])} s);"
              f" MLI {r['year']} as of snapshot 3: {r['rows']:,} events, median {r['median_ms']:.0f} ms,"
              f" p95 {r['p95_ms']:.0f} ms (target < 200 ms)")
        summary["asof"] = r
    (OUT / "last.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
