"""Series benchmark: ingest the full VIEWS country-month file and the 1989-2024 wide GED table, then
time (warm) ``trend --bloc AES --period year`` and ``aggregate --by bloc --period month`` over every
country-month, each against the same query in raw DuckDB over the series' Parquet (the floor).

    PYTHONPATH=src python bench/bench_series.py [--runs 15] [--shared /work/shared/data]
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from _common import OUT, pct, timed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--shared", default="/work/shared/data")
    a = ap.parse_args()
    import duckdb

    import sahelwatch

    shared = Path(a.shared)
    views = shared / "views" / "challenge2024_kaylanhua" / "cm_features_2018_2024.parquet"
    wide = shared / "ged_country_month_derived" / "schincariol_limits_conf_ged251_1989_2024.csv"
    home = OUT / "series-home"
    if home.exists():
        shutil.rmtree(home)
    obs = sahelwatch.open(home)
    for label, path, opts in (("views-cm", views, {"format": "views-cm", "name": "views_cm"}),
                              ("wide", wide, {"format": "wide", "value": "fatalities_all", "name": "ged_cm_251"})):
        t = time.perf_counter()
        rep = obs.ingest("series", path, **opts)
        print(f"ingest {label:8s} {path.name}: {time.perf_counter() - t:6.2f} s, {rep.counts['read']:,} rows, "
              f"{rep.counts['cells']:,} cells")

    snaps = {s.source: s for s in obs.snapshots()}
    con = duckdb.connect()
    cases = []
    for name, measure in (("ged_cm_251", "fatalities_all"), ("views_cm", "fatalities_all")):
        part = str(home / snaps[f"series:{name}"].files["series"][0])
        mm = obs.series._membership(obs.blocs, ("AES",), obs.series.table(name)["period"].min(),
                                    obs.series.table(name)["period"].max(), "dynamic", "month")
        con.register(f"mm_{name}", mm.to_arrow())
        floor_month = (f"SELECT m.bloc, m.month, sum(s.value) v, count(DISTINCT m.country_iso3) n "
                       f"FROM mm_{name} m LEFT JOIN read_parquet('{part}') s ON s.country_iso3 = m.country_iso3 "
                       f"AND s.period = m.month AND s.measure = '{measure}' GROUP BY 1, 2 ORDER BY 1, 2")
        floor_year = (f"SELECT m.bloc, date_trunc('year', m.month) y, sum(s.value) v FROM mm_{name} m "
                      f"LEFT JOIN read_parquet('{part}') s ON s.country_iso3 = m.country_iso3 AND s.period = m.month "
                      f"AND s.measure = '{measure}' GROUP BY 1, 2 ORDER BY 1, 2")
        src = f"series:{name}"
        cases.append((f"trend --bloc AES --period year ({name})",
                      lambda src=src, m=measure: obs.trend(measure=m, period="year", bloc="AES", source=src),
                      lambda q=floor_year: con.sql(q).fetchall()))
        cases.append((f"aggregate --by bloc --period month ({name})",
                      lambda src=src, m=measure: obs.aggregate(by="bloc", bloc="AES", period="month", measures=m,
                                                               source=src),
                      lambda q=floor_month: con.sql(q).fetchall()))
        cases.append((f"aggregate --by country --period year ({name}, every country)",
                      lambda src=src, m=measure: obs.aggregate(by="country", period="year", measures=m, source=src),
                      lambda part=part, m=measure: con.sql(
                          f"SELECT country_iso3, date_trunc('year', period), sum(value) FROM read_parquet('{part}') "
                          f"WHERE measure = '{m}' GROUP BY 1, 2").fetchall()))
    print(f"{'query':62s} {'p50 ms':>8s} {'p95 ms':>8s} {'floor p50':>10s} {'ratio':>6s}")
    for label, fn, floor in cases:
        fn(), floor()  # warm: imports, registry, Parquet footers
        ts, _ = timed(fn, a.runs)
        fs, _ = timed(floor, a.runs)
        p50, f50 = pct(ts, 0.5) * 1e3, pct(fs, 0.5) * 1e3
        print(f"{label:62s} {p50:8.1f} {pct(ts, 0.95) * 1e3:8.1f} {f50:10.1f} {p50 / f50:6.1f}"
              + ("" if p50 < 100 else "   OVER 100 ms"))
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
