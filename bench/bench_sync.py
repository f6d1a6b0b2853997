"""Sync benchmark: a first ACLED sync of 500,000 events, then an incremental one after 2% changed, 1% deleted.

    .venv/bin/python bench/bench_sync.py [--events 500000] [--seed 1] [--change 0.02] [--delete 0.01]

The local ACLED server (``sahelwatch.fixtures.servers.AcledServer``, real HTTP on
127.0.0.1, in a thread of this process) is seeded from the package's generator. The
sync pulls every country the seed holds, page by page (5,000 rows, ACLED's page size),
and lands it as one snapshot; then the server revises ``--change`` of the events (new
timestamp, fatalities + 1) and deletes ``--delete``, and the second sync must fetch
only those: requests in proportion to the changes, and under 10% of the first sync's time.
Both results are checked against the server's data.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import OUT  # noqa: E402

EMAIL, PASSWORD = "bench@example.org", "bench-password"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=500_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--change", type=float, default=0.02)
    ap.add_argument("--delete", type=float, default=0.01)
    ap.add_argument("--page-size", type=int, default=5000)
    a = ap.parse_args()

    import polars as pl

    import sahelwatch
    from sahelwatch.domain import countries
    from sahelwatch.fixtures.servers import AcledServer
    from sahelwatch.fixtures.servers.acled import seed_frame
    from sahelwatch.sync import acled

    t = time.perf_counter()
    seed = seed_frame(a.events, a.seed)
    assert seed["event_id_cnty"].n_unique() == seed.height, "seed ids must be unique"
    isos = sorted({countries.numeric_to_iso3()[int(i)] for i in seed["iso"].unique().to_list()})
    print(f"seeded {seed.height:,} events in {len(isos)} countries ({time.perf_counter() - t:.1f} s)", flush=True)

    def check(obs, srv):
        got = obs.events(source="acled").to_polars().select("source_event_id", "source_release", "fatalities_best")
        want = srv.current().select(pl.col("event_id_cnty").alias("source_event_id"),
                                    pl.col("timestamp").alias("source_release"),
                                    pl.col("fatalities").cast(pl.Int64).alias("fatalities_best"))
        assert got.height == want.height, (got.height, want.height)
        diff = got.join(want, on=["source_event_id", "source_release", "fatalities_best"], how="anti").height
        assert diff == 0, f"{diff} rows differ from the server"

    with tempfile.TemporaryDirectory() as tmp, AcledServer(seed, users={EMAIL: PASSWORD}) as srv:
        obs = sahelwatch.open(Path(tmp) / "home")

        def run(**kw):
            n0 = len(srv.requests())
            t0 = time.perf_counter()
            rep = acled.sync(obs.layout, EMAIL, PASSWORD, countries=isos, base_url=srv.url, limit=a.page_size, **kw)
            return rep, time.perf_counter() - t0, len(srv.requests()) - n0

        first, t_first, req_first = run(since="1997-01-01")
        check(obs, srv)
        print(f"first sync: {t_first:.2f} s, {req_first} requests, {first.rows_fetched:,} rows "
              f"({first.rows_fetched / t_first:,.0f} rows/s), snapshot {first.snapshot}", flush=True)
        m = srv.mutate(change=a.change, delete=a.delete, seed=a.seed + 1)
        inc, t_inc, req_inc = run()
        check(obs, srv)
        print(f"incremental: {t_inc:.2f} s, {req_inc} requests, {inc.rows_fetched:,} rows + "
              f"{inc.deletions_fetched:,} deletions, snapshot {inc.snapshot}: {inc.counts}", flush=True)
        minimum = (math.ceil(len(m["changed"]) / a.page_size) + math.ceil(len(m["deleted"]) / a.page_size))
        result = {
            "events": a.events, "countries": len(isos), "changed": len(m["changed"]), "deleted": len(m["deleted"]),
            "page_size": a.page_size,
            "first": {"seconds": round(t_first, 2), "requests": req_first, "rows": first.rows_fetched,
                      "rows_per_s": round(first.rows_fetched / t_first)},
            "incremental": {"seconds": round(t_inc, 2), "requests": req_inc, "rows": inc.rows_fetched,
                            "deletions": inc.deletions_fetched, "rows_per_s": round(inc.rows_fetched / t_inc),
                            "counts": {k: inc.counts.get(k) for k in ("new", "changed", "deleted", "unchanged")}},
            "data_pages_needed_at_least": minimum,
            "ratio_time": round(t_inc / t_first, 3),
            "ratio_requests": round(req_inc / req_first, 3),
        }
    ok = result["ratio_time"] < 0.10
    print(f"incremental / first: time {result['ratio_time']:.1%} ({'met' if ok else 'MISSED'}: < 10%), "
          f"requests {result['ratio_requests']:.1%}")
    OUT.mkdir(exist_ok=True)
    (OUT / "sync.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
