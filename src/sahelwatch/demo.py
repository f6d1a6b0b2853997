"""The demo store, built from real UCDP data shipped inside the package."""

from __future__ import annotations

from importlib import resources

DEMO_FILES = (
    # (ingest kind, file in sahelwatch/data/ucdp, release)
    ("ucdp", "ged231_sample1000_global.csv", "23.1"),
    ("ucdp-candidate", "GEDEvent_v23_0_10.csv", "23.0.10"),
)
#: files known to be samples: their record and slope claims say "in this sample"
SAMPLE_FILES = {"ged231_sample1000_global.csv"}
#: (series name, file under sahelwatch/data, ingest options); see data/CREDITS.md and docs/series.md
DEMO_SERIES = (
    ("views_cm", ("views", "cm_ged_2018_2024.parquet"),
     {"format": "views-cm", "release": "VIEWS challenge 2024 (UCDP GED, ~2024 vintage)",
      "note": "views_cm: VIEWS 2024 challenge vintage; UCDP GED best estimates by country-month, 2018-01..2024-04 "
              "(2024 holds January-April only)"}),
    ("ged_cm_251", ("ged_country_month", "schincariol_limits_conf_ged251_1989_2024.csv"),
     {"format": "wide", "value": "fatalities_all", "country_names": "ucdp", "period": "month",
      "release": "UCDP GED 25.1, derived by T. Schincariol",
      "note": "ged_cm_251: a third-party derivation of UCDP GED 25.1 (T. Schincariol), not official UCDP totals; "
              "events whose start and end months differ were dropped, so totals run somewhat low"}),
)
#: forecasts the demo keeps in the store (see docs/forecast.md): (source, origin or None for the
#: source's last month, model parameters). None from the event store: its events are a 1,000-row
#: global sample plus one Candidate month, with January-September 2023 uncovered, and a panel
#: would count those months as zero deaths. The brief of October 2023 therefore takes its outlook
#: from the series' forecast made at that month (and says it comes from another source), which
#: can be judged against what happened since; the dashboard shows the series' latest one.
DEMO_FORECASTS = (
    ("series:ged_cm_251", "2023-10", {"train_months": 120}),
    ("series:ged_cm_251", None, {"train_months": 120}),
)
FORECAST_TARGET, FORECAST_HORIZONS, FORECAST_DRAWS = "fatalities_all", "1-12", 1000
AES_STATES = ("MLI", "BFA", "NER")
#: the AES as a bloc over its states' whole history: the member list of this day applied to every year
AES_MEMBERSHIP = "on:2024-12-31"


def data_path(name: str, folder: str = "ucdp"):
    return resources.files("sahelwatch").joinpath("data", folder, name)


def build(obs, progress=None, *, forecasts: bool = True):
    """Ingest the bundled files (events, then series), then keep the demo's forecasts
    (:func:`save_forecasts`); a second run reports them as already there."""
    reports = []
    for kind, name, release in DEMO_FILES:
        with resources.as_file(data_path(name)) as p:
            reports.append(obs.ingest(kind, p, release=release, progress=progress, sample=name in SAMPLE_FILES))
    for name, (folder, fname), opts in DEMO_SERIES:
        with resources.as_file(data_path(fname, folder)) as p:
            reports.append(obs.ingest("series", p, name=name, progress=progress, **opts))
    if forecasts:
        save_forecasts(obs, progress)
    return reports


def save_forecasts(obs, progress=None) -> list[tuple]:
    """Fit and keep the demo's forecasts (gbm, 12 months ahead, 1,000 draws, seed 0); a second run
    finds them stored and fits nothing. ``[(StoredForecast, seconds)]``."""
    import time

    out = []
    for i, (source, origin, params) in enumerate(DEMO_FORECASTS):
        if progress:
            progress("forecast", i, len(DEMO_FORECASTS))
        t = time.perf_counter()
        p = obs.forecast.panel("cm", FORECAST_TARGET, source=source)
        spec = obs.forecast.spec(p, "gbm", horizons=FORECAST_HORIZONS, draws=FORECAST_DRAWS, origin=origin,
                                 params=params)
        f = obs.forecast.find(spec)
        if f is None:
            res = obs.forecast.run(p, "gbm", horizons=FORECAST_HORIZONS, draws=FORECAST_DRAWS, origin=origin,
                                   params=params)
            f = obs.forecast.save(res)
        out.append((f, time.perf_counter() - t))
    if progress:
        progress("forecast", len(DEMO_FORECASTS), len(DEMO_FORECASTS))
    return out


def answer(obs, series=("ged_cm_251", "views_cm"), measure: str = "fatalities_all"):
    """"Is it worse than ever?" per AES state and for the AES bloc, by year, on each series.

    Returns ``(frame, notes)``: one row per unit and series (latest complete year, value, record or
    since when, rank, slope per year with its 95% interval, complete years, coverage, the sentence in
    English and French), and the caveats and rules the rows stand on.
    """
    import polars as pl

    rows, notes = [], []
    held = {d["series"] for d in obs.series.list()}
    for name in series:
        if name not in held:
            continue
        src = f"series:{name}"
        parts = [obs.trend(measure=measure, period="year", country=",".join(AES_STATES), source=src),
                 obs.trend(measure=measure, period="year", bloc="AES", membership=AES_MEMBERSHIP, source=src)]
        for res in parts:
            m = res.meta
            for r in res.to_polars().iter_rows(named=True):
                slope = None if r["slope_pct"] is None else (
                    f"{r['slope_pct']:+.1f}% ({r['slope_low_pct']:+.1f}% to {r['slope_high_pct']:+.1f}%)")
                rows.append({"unit": r.get("bloc") or r.get("country_iso3"), "series": name,
                             "latest": r["latest_period"], "value": r["latest_value"],
                             "record": r["is_record"], "since": r["record_since"],
                             "rank": f"{r['rank']} of {r['n_periods']}" if r["rank"] else None,
                             "slope_per_year_95ci": slope, "complete_years": r["complete_years"],
                             "first": r["first_period"], "sample": r["sample"], "coverage": r["coverage"],
                             "answer_en": r["answer_en"], "answer_fr": r["answer_fr"]})
                for c in r["caveats"] or []:
                    if not c.startswith("slope over") and c not in notes:
                        notes.append(c)
            rule = m.get("membership_rule") and ("AES: " + m["membership_rule"] + " (the bloc was founded in "
                                                 "September 2023; its history here is its three states' combined)")
            if rule and rule not in notes:
                notes.append(rule)
    if rows:
        notes.append("slope: " + obs_method())
        snaps = obs.snapshots()
        from .store import samples

        sampled = samples.sample_files(snaps, {"ucdp_ged"})
        if sampled:
            notes.append(f"events: {', '.join(sampled)} is a sample, so event-based records say 'in this sample' "
                         "(sahelwatch trend --source ucdp); the answer above stands on the series")
    return pl.DataFrame(rows, infer_schema_length=None), notes


def obs_method() -> str:
    from .analytics.trend import METHOD

    return METHOD


def summary(obs, as_of=None):
    """Events and fatalities (best, low, high) per country and source, as Polars. ``sample`` says
    whether the source's figures come from a file known to be a sample (then they are the sample's
    totals, not the country's)."""
    import polars as pl

    from .store import samples

    df = obs.events(as_of=as_of).to_polars()
    if not df.height:
        return pl.DataFrame(schema={"country_iso3": pl.String, "country": pl.String, "source": pl.String,
                                    "events": pl.Int64, "fatalities_best": pl.Int64,
                                    "fatalities_low": pl.Int64, "fatalities_high": pl.Int64,
                                    "first": pl.Date, "last": pl.Date, "sample": pl.Boolean})
    snaps = obs.snapshots()
    sampled = {s: bool(samples.sample_files(snaps, {s}, as_of)) for s in df["source"].unique().to_list()}
    return (
        df.group_by("country_iso3", "source")
        .agg(pl.col("country").first(), pl.len().cast(pl.Int64).alias("events"),
             pl.col("fatalities_best").sum(), pl.col("fatalities_low").sum(),
             pl.col("fatalities_high").sum(), pl.col("date_start").min().alias("first"),
             pl.col("date_start").max().alias("last"))
        .with_columns(pl.col("source").replace_strict(sampled, return_dtype=pl.Boolean).alias("sample"))
        .select("country_iso3", "country", "source", "events", "fatalities_best", "fatalities_low",
                "fatalities_high", "first", "last", "sample")
        .sort(["fatalities_best", "events"], descending=True)
    )


def credits() -> str:
    return resources.files("sahelwatch").joinpath("data", "CREDITS.md").read_text("utf-8")
