"""Aggregates and trends of a series (``source="series:<name>"``): the same questions as for events.

The input is the series' cells as a Polars frame (``country_iso3, gwno, period,
period_kind, measure, value``), read by the facade from the store. A series is
never added to events or to another series: it is its own source.

Units: ``country`` and ``bloc`` (membership-aware, month by month, with the
same rules as for events: a state counts for a month if it was a member on the
15th; ``on:DATE`` fixes one member list). Periods: month, quarter, year from a
monthly series; year from a yearly one (a state counts for a bloc-year when it
was a member on 15 July).

Completeness: a unit-period is *complete* when the series holds a value for
every month of it (for a bloc: for every member state in every month it was a
member, and the bloc had members in every month). Trends use complete periods
only and name those left out; a month without a value is "not covered", never
zero.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from ..domain.errors import UsageError
from . import periods as P

SERIES_PERIODS = {"month": ("month", "quarter", "year"), "year": ("year",)}
MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}
TRUNC = {"month": "1mo", "quarter": "1q", "year": "1y"}


def check_request(period_kind: str, by: str, period: str, measures: list[str], available: list[str]) -> None:
    if by not in ("country", "bloc"):
        raise UsageError(f"a series aggregates by country or bloc, not {by!r}", choices=["country", "bloc"])
    allowed = SERIES_PERIODS.get(period_kind, ("year",))
    if period not in allowed:
        raise UsageError(f"this series holds {period_kind} values: period {period!r} is not available",
                         choices=list(allowed))
    for m in measures:
        if m not in available:
            raise UsageError(f"measure {m!r} is not in this series", choices=sorted(available))


def _member_table(registry, blocs, first: dt.date, last: dt.date, membership: str, period_kind: str):
    """(bloc, country_iso3, month) of member months; for a yearly series the month is January of the
    year, when the state was a member on 15 July."""
    import polars as pl

    from ..blocs.membership import membership_months

    frames = [membership_months(registry, b, first, last, membership) for b in blocs]
    mm = pl.concat(frames).filter(pl.col("member")).select("bloc", "country_iso3", "month")
    if period_kind == "year":
        mm = mm.filter(pl.col("month").dt.month() == 7).with_columns(pl.col("month").dt.truncate("1y"))
    return mm


def aggregate(cells, *, by: str, period: str, measures: list[str], countries=(), blocs=(), start=None, end=None,
              membership: str = "dynamic", registry=None, period_kind: str = "month", members=None):
    """Sum the series' cells by unit x period. Returns ``(frame, info)``: one row per unit-period with
    the measures, ``months`` (months with a value), ``expected_months`` and ``complete``."""
    import polars as pl

    check_request(period_kind, by, period, measures, cells["measure"].unique().to_list() if cells.height else measures)
    df = cells.filter(pl.col("measure").is_in(list(measures)))
    if start is not None:
        df = df.filter(pl.col("period") >= P.start_of(start, "month" if period_kind == "month" else "year"))
    if end is not None:
        df = df.filter(pl.col("period") <= end)
    info: dict = {"data_start": None, "data_end": None}
    if cells.height:
        lo, hi = cells["period"].min(), cells["period"].max()
        info["data_start"] = lo
        info["data_end"] = P.end_of(hi, "month" if period_kind == "month" else "year")
    if not df.height:
        wide = pl.DataFrame(schema={"country_iso3": pl.String, "period": pl.Date, **{m: pl.Float64 for m in measures}})
    elif len(measures) == 1:  # one measure: no pivot needed (the common case, and a third of the time)
        wide = df.select("country_iso3", "period", pl.col("value").alias(measures[0]))
    else:
        wide = df.pivot(on="measure", index=["country_iso3", "period"], values="value")
    for m in measures:
        if m not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.Float64).alias(m))
    # a month counts as covered when every asked measure has a value for it
    wide = wide.with_columns(pl.all_horizontal([pl.col(m).is_not_null() for m in measures]).alias("_covered"))
    per_month = 1 if period_kind == "month" else 12
    if by == "country":
        if countries:
            wide = wide.filter(pl.col("country_iso3").is_in(list(countries)))
        out = (wide.with_columns(pl.col("period").dt.truncate(TRUNC[period]).alias("period_start"))
               .group_by("country_iso3", "period_start")
               .agg(*[pl.col(m).sum() for m in measures],
                    (pl.col("_covered").sum() * per_month).cast(pl.Int64).alias("months")))
        out = out.with_columns(pl.lit(MONTHS_IN[period], pl.Int64).alias("expected_months"))
        out = out.with_columns((pl.col("months") == pl.col("expected_months")).alias("complete"))
        out = _names(P.label_frame(out, period))
        cols = ["country_iso3", "country_name", "period", "period_start", "period_end", *measures, "months",
                "expected_months", "complete"]
        return _ints(out.select(cols), measures).sort("country_iso3", "period_start"), info
    if registry is None or not blocs:
        raise UsageError("--by bloc needs --bloc NAME")
    first = info["data_start"] or dt.date(1989, 1, 1)
    last = info["data_end"] or first
    if start is not None:
        first = max(first, start)
    if end is not None:
        last = min(last, end)
    if first > last:
        raise UsageError(f"the series holds nothing between {start} and {end}")
    mm = (members(first.replace(day=1), last) if members is not None
          else _member_table(registry, blocs, first.replace(day=1), last, membership, period_kind))
    if countries:
        mm = mm.filter(pl.col("country_iso3").is_in(list(countries)))
    j = mm.join(wide, left_on=["country_iso3", "month"], right_on=["country_iso3", "period"], how="left")
    j = j.with_columns(pl.col("_covered").fill_null(False), pl.col("month").dt.truncate(TRUNC[period])
                       .alias("period_start"))
    out = (j.group_by("bloc", "period_start")
           .agg(*[pl.col(m).sum() for m in measures],
                pl.col("country_iso3").n_unique().cast(pl.Int64).alias("members"),
                pl.col("month").n_unique().cast(pl.Int64).alias("member_months"),
                (~pl.col("_covered")).sum().cast(pl.Int64).alias("missing")))
    out = out.with_columns(
        (pl.col("member_months") * per_month).alias("months"),
        pl.lit(MONTHS_IN[period], pl.Int64).alias("expected_months"))
    out = out.with_columns(((pl.col("months") == pl.col("expected_months")) & (pl.col("missing") == 0))
                           .alias("complete"))
    out = P.label_frame(out, period)
    cols = ["bloc", "members", "period", "period_start", "period_end", *measures, "months", "expected_months",
            "complete"]
    info["membership"] = mm
    return _ints(out.select(cols), measures).sort("bloc", "period_start"), info


def _ints(df, measures):
    """Whole-number measures as Int64 (deaths are counts; a file with fractions keeps floats)."""
    import polars as pl

    casts = [pl.col(m).cast(pl.Int64) for m in measures
             if df.height and df[m].drop_nulls().len() and (df[m].drop_nulls() % 1 == 0).all()]
    return df.with_columns(casts) if casts else df


@lru_cache(maxsize=512)
def _name(iso3: str) -> str | None:
    from ..domain import countries as C

    try:
        return C.name(iso3)
    except UsageError:
        return None


def _names(df):
    import polars as pl

    names = {c: _name(c) for c in df["country_iso3"].unique().drop_nulls().to_list()}
    return df.with_columns(pl.col("country_iso3").replace_strict(names, default=None, return_dtype=pl.String)
                           .alias("country_name"))


def trend(agg, info: dict, *, by: str, period: str, measure: str, start=None, end=None,
          include_incomplete: bool = False, window: int | None = None, min_periods: int = 6):
    """Record, change and slope per unit, on complete periods; ``(summary, series)`` like the events' trend."""
    import polars as pl

    from . import trend as T

    keys = ["bloc"] if by == "bloc" else ["country_iso3", "country_name"]
    summaries, series = [], []
    for key, g in (agg.partition_by(keys, maintain_order=True, as_dict=True) if agg.height else {}).items():
        g = g.sort("period_start")
        if by == "bloc":
            g = g.filter(pl.col("members") > 0)  # a bloc-period without member states: the bloc was not there
        starts, values = g["period_start"].to_list(), [float(v or 0) for v in g[measure].to_list()]
        gaps = [(s, P.end_of(s, period)) for s, ok in zip(starts, g["complete"].to_list()) if not ok]
        res = T.summarise(starts, values, period, measure=measure, data_start=info.get("data_start"),
                          data_end=info.get("data_end"), start=start, end=end, include_incomplete=include_incomplete,
                          window=window, min_periods=min_periods, gaps=gaps)
        res["caveats"] = [c for c in res["caveats"] if not c.startswith("no ingested UCDP release covers")]
        ds, de = info.get("data_start"), info.get("data_end")
        inner = [g for g in gaps if (ds is None or g[0] >= ds) and (de is None or g[1] <= de)]
        if inner and not include_incomplete:
            res["caveats"].insert(0, "periods not fully covered (a month without a value, or without a member "
                                     "state) are left out: " + ", ".join(P.label(s, period) for s, _ in inner[:6])
                                  + (" ..." if len(inner) > 6 else ""))
        mm = info.get("membership")
        if by == "bloc" and mm is not None and mm.height and ds is not None:
            first = mm.filter(pl.col("bloc") == key[0])["month"].min()
            if first is not None and first > ds:
                res["caveats"].insert(0, f"{key[0]} has member states only from {first:%Y-%m} under this membership "
                                         "rule; for the combined history of its members use --membership "
                                         "on:YYYY-MM-DD (a fixed member list)")
        summaries.append(dict(zip(keys, key)) | res)
        ok = T.complete_mask(starts, period, info.get("data_start"), info.get("data_end"), start, end, gaps)
        series.append(g.with_columns(pl.Series("included", [bool(o or include_incomplete) for o in ok],
                                               dtype=pl.Boolean)))
    summary = pl.DataFrame(summaries, infer_schema_length=None) if summaries else pl.DataFrame()
    return summary, (pl.concat(series, how="vertical_relaxed") if series else agg.clear()), keys


__all__ = ["SERIES_PERIODS", "aggregate", "check_request", "trend"]
