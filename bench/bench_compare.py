"""Bloc comparison (AES vs G5 Sahel vs EAC aligned on founding) on 1,000,000 generated events.

    PYTHONPATH=src python bench/bench_compare.py [--runs 5]

What ``/api/v1/blocs/compare`` and ``sahelwatch blocs compare`` run: ``blocs.analysis.compare``
fed the store's country-month totals (``Observatory.country_months``, the cube's rollup),
against the baseline of feeding it every current event row (``Observatory.events()``, what
both did before). The two results are checked equal. The store is the API benchmark's
(``/tmp/sahelwatch-bench-api-1m``, built once). Medians of ``--runs`` warm calls.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import OUT, timed  # noqa: E402
from bench_api import HOME, build  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    build()
    import sahelwatch
    from sahelwatch.blocs.analysis import compare

    obs = sahelwatch.open(HOME, create=False)
    blocs = ["AES", "G5_SAHEL", "EAC"]
    a_df = compare(obs.blocs, obs.country_months(), blocs)  # warm: the cube's rollup is built once per snapshot
    b_df = compare(obs.blocs, obs.events().to_polars(), blocs)
    if not a_df.equals(b_df):
        raise SystemExit("the two comparisons differ")
    ours, _ = timed(lambda: compare(obs.blocs, obs.country_months(), blocs), a.runs)
    base, _ = timed(lambda: compare(obs.blocs, obs.events().to_polars(), blocs), a.runs)
    m, b = statistics.median(ours), statistics.median(base)
    res = {"events_in_store": 1_000_000, "runs": a.runs, "country_months_median_ms": round(1000 * m, 1),
           "event_rows_median_ms": round(1000 * b, 1), "speed_up": round(b / m, 1), "equal": True,
           "load_avg_1m": round(os.getloadavg()[0], 1)}
    OUT.mkdir(exist_ok=True)
    (OUT / "compare.json").write_text(json.dumps(res, indent=1))
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
