"""Panels from the event store and from unit-month series frames.

- :func:`panel_from_connection`: the store's ``events`` view (as of a snapshot) -> a panel of
  UCDP fatalities by type of violence or ACLED event counts by category, per country,
  admin1 unit or PRIO-GRID cell and month;
- :func:`store_vintages`: for a backtest, the panel as the store held it at each origin
  (the first snapshot whose events reach the origin month), where snapshots allow;
- :func:`panel_from_series_frame`: a frame shaped like ``obs.series.table(...)`` output
  (``series, country_iso3, gwno, period, period_kind, measure, value``) -> a country panel.

Months are attributed by ``date_start``. Units that never had an event are absent (the
store cannot tell them from units outside the data).
"""

from __future__ import annotations

from ..domain.errors import UsageError
from .panel import FATALITY_TARGETS, TARGET_TEXT, PanelError, check_level, check_target, from_frame

UCDP = ("ucdp_ged", "ucdp_candidate")
VIOLENCE = {"fatalities_sb": 1, "fatalities_ns": 2, "fatalities_os": 3}
UNIT_SQL = {"cm": "country_iso3", "admin1": "admin1_code", "pgm": "CAST(priogrid_gid AS VARCHAR)"}
CITATION_UCDP = "UCDP GED/Candidate (Sundberg & Melander 2013; Davies et al.), CC BY 4.0"
CITATION_ACLED = "ACLED (acleddata.com), aggregated by sahelwatch; raw events are not republished"


def _target_sql(target: str) -> tuple[str, str, dict]:
    """``(value expression, where clause, params)`` for a target."""
    if target in FATALITY_TARGETS:
        where = "source IN ('ucdp_ged', 'ucdp_candidate')"
        params: dict = {}
        if target in VIOLENCE:
            where += " AND type_of_violence = $tov"
            params["tov"] = VIOLENCE[target]
        return "SUM(COALESCE(fatalities_best, 0))", where, params
    cat = target.split(":", 1)[1]
    return "COUNT(*)", "source = 'acled' AND category = $cat", {"cat": cat}


def panel_from_connection(con, level: str, target: str, *, as_of=None, country=None, end=None):
    """A panel from a DuckDB connection with an ``events`` view (``obs.analytics_connection``)."""
    import polars as pl


    level, target = check_level(level), check_target(target)
    value, where, params = _target_sql(target)
    unit = UNIT_SQL[level]
    if country:
        where += " AND country_iso3 IN (SELECT unnest($countries))"
        params["countries"] = list(country)
    name = "admin1_name" if level == "admin1" else "NULL"
    q = (f"SELECT {unit} AS unit, (year(date_start) - 1980) * 12 + month(date_start) AS month_id, "
         f"{value} AS value, any_value(country_iso3) AS country_iso3, any_value(gwno) AS gwno, "
         f"any_value({name}) AS name FROM events WHERE {where} AND date_start IS NOT NULL AND {unit} IS NOT NULL "
         f"GROUP BY 1, 2")
    df = con.sql(q, params=params).pl()
    if df.height == 0:
        src = "UCDP" if target in FATALITY_TARGETS else "ACLED"
        raise PanelError(f"the store has no {src} events for target {target}"
                         + (f" in {', '.join(country)}" if country else "")
                         + (f" as of snapshot {as_of}" if as_of else ""))
    units = df.group_by("unit").agg(pl.col("name").drop_nulls().first(), pl.col("country_iso3").drop_nulls().first(),
                                    pl.col("gwno").drop_nulls().first())
    if level == "cm":
        units = _with_country_names(units)
    text = TARGET_TEXT.get(target, f"number of ACLED events of category {target.split(':', 1)[-1]}")
    meta = {"source": "store", "as_of": as_of, "target_text": text, "country": list(country) if country else None,
            "citation": CITATION_UCDP if target in FATALITY_TARGETS else CITATION_ACLED}
    return from_frame(df.select("unit", "month_id", "value"), level=level, target=target, units=units,
                      end=end, meta=meta)


def panel_from_store(obs, level: str, target: str, *, as_of=None, country=None, end=None):
    level = check_level(level)
    con = obs.analytics_connection(as_of=as_of, places=(level == "admin1"))
    try:
        return panel_from_connection(con, level, target, as_of=as_of, country=country, end=end)
    finally:
        con.close()


def store_vintages(obs, level: str, target: str, *, country=None):
    """``origin -> Panel | None``: the panel as of the first snapshot whose events reach the
    origin month (so revisions made later are not seen); None when no snapshot does."""
    snaps = [s.id for s in obs.snapshots()]
    reach: dict[int, int | None] = {}
    for sid in snaps:
        con = obs.analytics_connection(as_of=sid)
        try:
            d = con.sql("SELECT max(date_start) FROM events").fetchall()[0][0]
        finally:
            con.close()
        reach[sid] = None if d is None else (d.year - 1980) * 12 + d.month
    cache: dict = {}

    def at(origin: int):
        for sid in snaps:
            if reach[sid] is not None and reach[sid] >= origin:
                if sid not in cache:
                    try:
                        cache[sid] = panel_from_store(obs, level, target, as_of=sid, country=country)
                    except PanelError:
                        cache[sid] = None
                return cache[sid]
        return None

    return at


SERIES_COLUMNS = ("country_iso3", "gwno", "period", "measure", "value")


def panel_from_series_frame(df, target: str, *, level: str = "cm", series: str | None = None):
    """A country panel from a frame shaped like ``obs.series.table(name, measure)`` output.

    Keeps the rows of ``measure == target`` (all rows if the frame has one measure) and
    monthly periods; units are ISO3 codes (the GW number where the code is missing)."""
    import polars as pl


    target = check_target(target)
    if level != "cm":
        raise UsageError(f"series panels are country-month; level {level!r} is not available", choices=["cm"])
    missing = [c for c in SERIES_COLUMNS if c not in df.columns]
    if missing:
        raise UsageError(f"series frame lacks column(s) {', '.join(missing)}")
    if "period_kind" in df.columns:
        kinds = set(df["period_kind"].drop_nulls().unique().to_list())
        if kinds - {"month"}:
            raise UsageError(f"series frame has periods of kind {sorted(kinds)}: a panel needs months")
    measures = df["measure"].unique().to_list()
    if target in measures:
        df = df.filter(pl.col("measure") == target)
    elif len(measures) != 1:
        raise UsageError(f"series frame has no measure {target!r}", choices=sorted(str(m) for m in measures))
    df = df.with_columns(pl.coalesce(pl.col("country_iso3"), pl.col("gwno").cast(pl.String)).alias("unit"))
    if df["value"].null_count():
        df = df.filter(pl.col("value").is_not_null())
    units = df.group_by("unit").agg(pl.col("country_iso3").first(), pl.col("gwno").first())
    units = _with_country_names(units)
    name = series or (df["series"][0] if "series" in df.columns and df.height else None)
    meta = {"source": f"series:{name}" if name else "series", "target_text": TARGET_TEXT.get(target, target),
            "citation": CITATION_UCDP if target in FATALITY_TARGETS else CITATION_ACLED}
    return from_frame(df.select("unit", pl.col("period").alias("month"), "value"), level="cm", target=target,
                      units=units, meta=meta)


def _with_country_names(units):
    """``name`` from the crosswalk for each ISO3 ``unit``; a code outside it keeps its code as name."""
    import polars as pl

    from ..domain import countries as C

    def name(iso):
        try:
            return C.name(iso)
        except UsageError:
            return iso
    return units.with_columns(pl.col("unit").map_elements(name, return_dtype=pl.String).alias("name"))
