"""Benchmark: country-month forecasts, VIEWS-challenge windows, on real data.

For each calendar year 2019-2023 as the test window: train on data to October of the year
before, forecast the 12 months (3-14 months ahead), score every model (mean CRPS, IGN,
MIS) for all countries and for the Sahel (MLI, BFA, NER, TCD, MRT, NGA). Two data sets:

- ``ged``: ../shared/data/ged_country_month_derived (GED 25.1, 1989-2024, all types of violence);
- ``views``: the VIEWS challenge ``ged_sb`` actuals 2018-2024 (kaylanhua re-release), with
  Nov-Dec 2017 from the original challenge feature slice so that the 2019 window has 12
  months of history (the full 1990-2017 base file is not in the shared data).

    python bench/bench_forecast.py [--draws 1000] [--years 2019-2023] [--data ged,views] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
if not DATA.exists():
    DATA = Path("/work/shared/data")
SAHEL = ("MLI", "BFA", "NER", "TCD", "MRT", "NGA")
MODELS = ("zero", "last", "bootstrap", "conflictology", "gbm")
GED_NAMES = {"Bosnia-Herzegovina": "BIH", "Cambodia (Kampuchea)": "KHM", "DR Congo (Zaire)": "COD",
             "Ivory Coast": "CIV", "Kingdom of eSwatini (Swaziland)": "SWZ", "Madagascar (Malagasy)": "MDG",
             "Myanmar (Burma)": "MMR", "Russia (Soviet Union)": "RUS", "Serbia (Yugoslavia)": "SRB",
             "United States of America": "USA", "Yemen (North Yemen)": "YEM", "Zimbabwe (Rhodesia)": "ZWE"}


def ged_panel():
    import polars as pl

    from sahelwatch.domain import countries as C
    from sahelwatch.forecast import panel as P

    df = pl.read_csv(DATA / "ged_country_month_derived" / "schincariol_limits_conf_ged251_1989_2024.csv")
    df = df.rename({df.columns[0]: "date"}).with_columns(pl.col("date").str.to_date())
    names = {c.name_en: c.iso3 for c in C.all_countries()} | GED_NAMES
    unknown = [c for c in df.columns[1:] if c not in names]
    assert not unknown, unknown
    long = (df.unpivot(index="date", variable_name="name", value_name="value")
            .with_columns(pl.col("date").dt.truncate("1mo").alias("month"),
                          pl.col("name").replace_strict(names).alias("unit")))
    gw = C.iso3_to_gwno()
    units = long.select("unit", "name").unique().with_columns(
        pl.col("unit").alias("country_iso3"), pl.col("unit").replace_strict(gw, default=None).alias("gwno"))
    return P.from_frame(long.select("unit", "month", "value"), level="cm", target="fatalities_all", units=units,
                        meta={"source": "GED 25.1 country-month (derived, Schincariol)"})


def views_panel():
    import polars as pl

    from sahelwatch.forecast import panel as P

    base = DATA / "views"
    key = pl.read_csv(base / "challenge2024_kaylanhua" / "country_key.csv")
    act = pl.concat([pl.read_parquet(base / "challenge2024_kaylanhua" / f"cm_actuals_{y}.parquet")
                     .select("month_id", "country_id", pl.col("outcome").cast(pl.Float64).alias("value"))
                     for y in range(2018, 2025)])
    early = (pl.read_parquet(base / "challenge2023_toboden" / "cm_features_to_oct2018.parquet")
             .select("month_id", "country_id", pl.col("ged_sb").cast(pl.Float64).alias("value"))
             .filter(pl.col("month_id") < 457))
    df = pl.concat([early, act]).join(key.select(pl.col("id").alias("country_id"), pl.col("isoab").alias("unit"),
                                                 pl.col("gwcode").alias("gwno"), "name"), on="country_id")
    units = df.select("unit", "name", pl.col("unit").alias("country_iso3"), "gwno").unique("unit")
    return P.from_frame(df.select("unit", "month_id", "value"), level="cm", target="fatalities_sb", units=units,
                        meta={"source": "VIEWS challenge cm actuals ged_sb"})


def run(panel, years, draws, models, seed=0, gbm=None):
    import polars as pl

    from sahelwatch.forecast import panel as P
    from sahelwatch.forecast import run as R

    rows = []
    for y in years:
        origin = P.month_id(dt.date(y - 1, 10, 1))
        t = time.perf_counter()
        res = R.backtest(panel, models, horizons="3-14", origins=[origin], draws=draws, seed=seed,
                         params={"gbm": gbm or {}})
        secs = time.perf_counter() - t
        sc = res.scores.with_columns(pl.col("unit").is_in(list(SAHEL)).alias("sahel"))
        for scope, part in (("all", sc), ("sahel", sc.filter(pl.col("sahel")))):
            agg = part.group_by("model").agg(pl.len().alias("n"), pl.col("crps").mean(), pl.col("ign").mean(),
                                             pl.col("mis90").mean())
            for r in agg.iter_rows(named=True):
                rows.append({"year": y, "scope": scope, **r, "seconds": round(secs, 1)})
    return pl.DataFrame(rows)


def main(argv=None):
    import polars as pl

    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--years", default="2019-2023")
    ap.add_argument("--data", default="ged,views")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--gbm", default="{}", help="JSON parameters for the gbm model")
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    y0, _, y1 = a.years.partition("-")
    years = list(range(int(y0), int(y1 or y0) + 1))
    models = a.models.split(",")
    t0 = time.perf_counter()
    out = {}
    for name in a.data.split(","):
        t = time.perf_counter()
        panel = ged_panel() if name == "ged" else views_panel()
        res = run(panel, years, a.draws, models, gbm=json.loads(a.gbm))
        secs = time.perf_counter() - t
        pl.Config.set_tbl_rows(200)
        pl.Config.set_tbl_cols(20)
        print(f"\n== {name}: {panel} ({secs:.1f} s)")
        per_year = res.pivot(on="model", index=["scope", "year"], values="crps").sort("scope", "year")
        print("mean CRPS per year\n", per_year)
        overall = (res.group_by("scope", "model").agg(pl.col("crps").mean(), pl.col("ign").mean(),
                                                      pl.col("mis90").mean()).sort("scope", "crps"))
        summary = {}
        for scope in ("all", "sahel"):
            part = overall.filter(pl.col("scope") == scope)
            base = part.filter(pl.col("model") != "gbm").sort("crps").row(0, named=True)
            g = part.filter(pl.col("model") == "gbm")
            ratio = g["crps"][0] / base["crps"] if g.height else None
            summary[scope] = {"best_baseline": base["model"], "gbm_vs_best_baseline": ratio}
            print(f"{scope}: mean over windows\n", part)
            if ratio is not None:
                print(f"{scope}: gbm CRPS / best baseline ({base['model']}) = {ratio:.3f}")
        out[name] = {"rows": res.to_dicts(), "summary": summary, "seconds": round(secs, 1)}
    total = time.perf_counter() - t0
    print(f"\ntotal {total:.1f} s")
    if a.json:
        Path(a.json).write_text(json.dumps({"total_seconds": round(total, 1), **out}, indent=1, default=str))


if __name__ == "__main__":
    main()
