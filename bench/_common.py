"""What the benchmarks share: timing, percentiles, and the 10M-event store they query."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"


def pct(xs: list[float], q: float) -> float:
    """The q-quantile of ``xs``, linearly interpolated."""
    xs = sorted(xs)
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def timed(fn, runs: int) -> tuple[list[float], object]:
    """Seconds of each of ``runs`` calls of ``fn``, and the last result."""
    out, res = [], None
    for _ in range(runs):
        t = time.perf_counter()
        res = fn()
        out.append(time.perf_counter() - t)
    return out, res


def build_store(home: Path, files: int, rows: int) -> None:
    """``files`` generated ACLED files of ``rows`` rows (seeds 101, 102...), each ingested as
    its own snapshot. Ids are made unique across files (``MLI8530`` -> ``MLI030000008530``
    for file 3): equal ids in later files would otherwise count as revisions."""
    import polars as pl

    import sahelwatch
    from sahelwatch.fixtures.generator import generate_acled

    if home.exists():
        shutil.rmtree(home)
    obs = sahelwatch.open(home)
    tmp = OUT / f"{home.name}-tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    for k in range(1, files + 1):
        csv = tmp / f"acled_{k:02d}.csv"
        t0 = time.perf_counter()
        generate_acled(csv, rows, seed=100 + k)
        t1 = time.perf_counter()
        df = pl.read_csv(csv, infer_schema=False)
        iso, num = pl.col("event_id_cnty").str.slice(0, 3), pl.col("event_id_cnty").str.slice(3)
        df.with_columns((iso + pl.lit(f"{k:02d}") + num.str.zfill(10)).alias("event_id_cnty")).write_csv(csv)
        del df
        t2 = time.perf_counter()
        rep = obs.ingest("acled", csv)
        t3 = time.perf_counter()
        csv.unlink()
        print(f"  file {k}/{files}: generate {t1 - t0:.1f}s, unique ids {t2 - t1:.1f}s, ingest {t3 - t2:.1f}s "
              f"(snapshot {rep.snapshot}, new {rep.counts['new']:,}, changed {rep.counts['changed']:,})", flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
