"""The demo store, built from real UCDP data shipped inside the package."""

from __future__ import annotations

from importlib import resources

DEMO_FILES = (
    # (ingest kind, file in sahelwatch/data/ucdp, release)
    ("ucdp", "ged231_sample1000_global.csv", "23.1"),
    ("ucdp-candidate", "GEDEvent_v23_0_10.csv", "23.0.10"),
)


def data_path(name: str):
    return resources.files("sahelwatch").joinpath("data", "ucdp", name)


def build(obs, progress=None):
    """Ingest the bundled files; a second run reports them as already there."""
    reports = []
    for kind, name, release in DEMO_FILES:
        with resources.as_file(data_path(name)) as p:
            reports.append(obs.ingest(kind, p, release=release, progress=progress))
    return reports


def summary(obs, as_of=None):
    """Events and fatalities (best, low, high) per country and source, as Polars."""
    import polars as pl

    df = obs.events(as_of=as_of).to_polars()
    if not df.height:
        return pl.DataFrame(schema={"country_iso3": pl.String, "country": pl.String, "source": pl.String,
                                    "events": pl.Int64, "fatalities_best": pl.Int64,
                                    "fatalities_low": pl.Int64, "fatalities_high": pl.Int64,
                                    "first": pl.Date, "last": pl.Date})
    return (
        df.group_by("country_iso3", "source")
        .agg(pl.col("country").first(), pl.len().cast(pl.Int64).alias("events"),
             pl.col("fatalities_best").sum(), pl.col("fatalities_low").sum(),
             pl.col("fatalities_high").sum(), pl.col("date_start").min().alias("first"),
             pl.col("date_start").max().alias("last"))
        .select("country_iso3", "country", "source", "events", "fatalities_best", "fatalities_low",
                "fatalities_high", "first", "last")
        .sort(["fatalities_best", "events"], descending=True)
    )


def credits() -> str:
    return resources.files("sahelwatch").joinpath("data", "CREDITS.md").read_text("utf-8")
