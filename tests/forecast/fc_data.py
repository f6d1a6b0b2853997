"""Real VIEWS country-month actuals (challenge 2023/24 re-release, ged_sb, 2021-2023) shaped as
``obs.series.table(...)`` returns them, and small panels built from them.

Data: VIEWS / UCDP GED (CC BY 4.0), see /work/shared/data/views/SOURCES.md; copied into
tests/data with checksums.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
SAHEL = ("MLI", "BFA", "NER", "TCD", "MRT", "NGA")


def views_series_frame(years=(2021, 2022, 2023)):
    """``series, country_iso3, gwno, period (Date), period_kind, measure, value`` from the VIEWS files."""
    import polars as pl

    key = pl.read_csv(DATA / "views_country_key.csv").select(
        pl.col("id").alias("country_id"), pl.col("isoab").alias("country_iso3"), pl.col("gwcode").alias("gwno"))
    act = pl.concat([pl.read_parquet(DATA / f"views_cm_actuals_{y}.parquet") for y in years])
    return (act.join(key, on="country_id")
            .with_columns(pl.date(1980 + (pl.col("month_id") - 1) // 12, (pl.col("month_id") - 1) % 12 + 1, 1)
                          .alias("period"))
            .select(pl.lit("views_cm").alias("series"), "country_iso3", pl.col("gwno").cast(pl.Int64), "period",
                    pl.lit("month").alias("period_kind"), pl.lit("fatalities_sb").alias("measure"),
                    pl.col("outcome").cast(pl.Float64).alias("value")))


def views_panel(countries=None):
    import polars as pl

    from sahelwatch.forecast.builders import panel_from_series_frame

    df = views_series_frame()
    if countries:
        df = df.filter(pl.col("country_iso3").is_in(list(countries)))
    return panel_from_series_frame(df, "fatalities_sb")


#: a handful of West and Central African countries: with the Sahel, enough neighbours for spatial lags
WEST_AFRICA = (*SAHEL, "SEN", "GIN", "CIV", "GHA", "BEN", "TGO", "CMR", "CAF", "SDN", "LBY", "DZA", "MAR")

FAST_GBM = {"n_estimators": 15, "levels": (0.05, 0.25, 0.5, 0.75, 0.95), "min_child_samples": 10}
