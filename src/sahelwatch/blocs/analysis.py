"""Bloc numbers from canonical events: monthly totals under a membership rule, and
trajectories of several blocs aligned on a milestone.

Events are canonical-event rows (``docs/data-dictionary.md``) with at least
``country_iso3``, ``date_start``, ``fatalities_best``, ``fatalities_low``,
``fatalities_high`` and ``source``. An event counts in the month of its
``date_start``. Events from different sources are never added together: every
table has a ``source`` column, and :func:`compare` takes one source.

Months outside the span the events cover (per source: from the month of the
first event to the month of the last, unless ``coverage`` says otherwise) get
null values, not zeros, and ``covered = false``.
"""

from __future__ import annotations

import datetime as dt
from typing import Mapping

from sahelwatch.domain.errors import UsageError

from .dates import add_months, as_month, months_between
from .membership import describe_rule, membership_months
from .population import SOURCE as POPULATION_SOURCE
from .population import normalise, population_for

MEASURES: tuple[str, ...] = ("events", "fatalities_best", "fatalities_low", "fatalities_high")
REQUIRED = ("country_iso3", "date_start", "fatalities_best", "source")


#: Sources that form one series when taken together (see prepare_events).
SOURCE_FAMILY = {"ucdp_ged": "ucdp", "ucdp_candidate": "ucdp"}
FAMILIES = set(SOURCE_FAMILY.values())


def check_measure(measure: str) -> str:
    if measure not in MEASURES:
        raise UsageError(f"unknown measure {measure!r}", choices=list(MEASURES))
    return measure


def prepare_events(events, source: str | None = None):
    """Canonical events reduced to what bloc numbers need, with a ``month`` column.

    Tombstones (``is_deleted``) are dropped; ``fatalities_low``/``_high`` default
    to ``fatalities_best`` where missing (ACLED gives one number)."""
    import polars as pl

    df = events.collect() if isinstance(events, pl.LazyFrame) else events
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise UsageError(f"events frame lacks column(s) {', '.join(missing)} (canonical columns expected)")
    if "is_deleted" in df.columns:
        df = df.filter(~pl.col("is_deleted").fill_null(False))
    ds = df.schema["date_start"]
    if ds == pl.String:
        date = pl.col("date_start").str.slice(0, 10).str.to_date("%Y-%m-%d")
    elif isinstance(ds, pl.Datetime):
        date = pl.col("date_start").dt.date()
    else:
        date = pl.col("date_start").cast(pl.Date)
    best = pl.col("fatalities_best").cast(pl.Int64)
    cols = [
        pl.col("source").cast(pl.String),
        pl.col("country_iso3").cast(pl.String),
        date.alias("date_start"),
        best.alias("fatalities_best"),
    ]
    for c in ("fatalities_low", "fatalities_high"):
        cols.append(pl.col(c).cast(pl.Int64).fill_null(best).alias(c) if c in df.columns else best.alias(c))
    out = df.select(cols).with_columns(month=pl.col("date_start").dt.truncate("1mo"))
    if source is not None and source not in FAMILIES:
        out = out.filter(pl.col("source") == source)
    # GED and Candidate are one series: the store supersedes Candidate events for the
    # months a GED release covers, so together they never count an event twice.
    return out.with_columns(pl.col("source").replace(SOURCE_FAMILY))


#: columns of country-month totals, which bloc numbers take in place of event rows
COUNT_COLUMNS = ("source", "country_iso3", "month", "events", "fatalities_best", "fatalities_low", "fatalities_high")


def is_counts(frame) -> bool:
    """True for country-month totals (:data:`COUNT_COLUMNS`) rather than event rows."""
    return "events" in frame.columns and "month" in frame.columns and "date_start" not in frame.columns


def prepare_counts(counts, source: str | None = None):
    """Country-month totals reduced as :func:`prepare_events` reduces events: one row per
    (source, country, month), GED and Candidate as one series. ``counts`` has the columns
    :data:`COUNT_COLUMNS` (the store's cube gives them: ``Observatory.country_months``);
    a month is the first day of the month an event started in."""
    import polars as pl

    df = counts.collect() if isinstance(counts, pl.LazyFrame) else counts
    missing = [c for c in COUNT_COLUMNS if c not in df.columns]
    if missing:
        raise UsageError(f"counts frame lacks column(s) {', '.join(missing)}")
    out = df.select(
        pl.col("source").cast(pl.String), pl.col("country_iso3").cast(pl.String),
        pl.col("month").cast(pl.Date).dt.truncate("1mo"),
        *[pl.col(c).cast(pl.Int64) for c in COUNT_COLUMNS[3:]],
    )
    if source is not None and source not in FAMILIES:
        out = out.filter(pl.col("source") == source)
    return (out.with_columns(pl.col("source").replace(SOURCE_FAMILY))
            .group_by("source", "country_iso3", "month").agg(pl.col(*COUNT_COLUMNS[3:]).sum()))


def _prepared(frame):
    """Events or country-month totals, prepared; preparing twice changes nothing (compare
    prepares its input, then bloc_monthly prepares it again)."""
    return prepare_counts(frame) if is_counts(frame) else prepare_events(frame)


def event_coverage(events) -> dict[str, tuple[dt.date, dt.date]]:
    """``{source: (first month, last month)}`` spanned by the events."""
    import polars as pl

    ev = events if "month" in events.columns else prepare_events(events)
    g = ev.group_by("source").agg(pl.col("month").min().alias("a"), pl.col("month").max().alias("b"))
    return {r["source"]: (r["a"], r["b"]) for r in g.iter_rows(named=True)}


def single_source(ev, source: str | None) -> str:
    sources = sorted(s for s in ev["source"].unique().to_list() if s is not None)
    if source is not None:
        if source not in sources:
            raise UsageError(f"no events from source {source!r}", choices=sources)
        return source
    if len(sources) > 1:
        raise UsageError(
            "events come from several sources; pick one (adding sources would count events twice)",
            choices=sources,
        )
    if not sources:
        raise UsageError("no events to analyse")
    return sources[0]


def _value_exprs(measure: str):
    import polars as pl

    if measure == "events":
        v = pl.col("events")
        return v.alias("value"), v.alias("value_low"), v.alias("value_high")
    return (
        pl.col(measure).alias("value"),
        pl.col("fatalities_low").alias("value_low"),
        pl.col("fatalities_high").alias("value_high"),
    )


def bloc_monthly(events, membership, measure: str = "fatalities_best", coverage: Mapping | tuple | None = None):
    """Monthly bloc totals: one row per (bloc, month, source). ``events``: event rows, or
    country-month totals (:data:`COUNT_COLUMNS`), which give the same numbers.

    Columns: bloc, month, source, n_members, members, n_suspended, events,
    fatalities_best/low/high, measure, value, value_low, value_high, covered,
    rule. A state's events count in a month only if ``membership`` marks it a
    member that month (see :mod:`.membership`). ``coverage`` is a
    ``(first, last)`` month pair or ``{source: (first, last)}``; by default the
    span of the events themselves.
    """
    import polars as pl

    check_measure(measure)
    ev = _prepared(events)
    cov = event_coverage(ev)
    if isinstance(coverage, tuple):
        cov = {s: (as_month(coverage[0]), as_month(coverage[1])) for s in cov} or {None: coverage}
    elif coverage is not None:
        cov = {s: (as_month(a), as_month(b)) for s, (a, b) in coverage.items()}
    sources = sorted(s for s in cov if s is not None) or [None]
    agg = ev if is_counts(ev) else ev.group_by("source", "country_iso3", "month").agg(
        pl.len().alias("events"),
        pl.col("fatalities_best").sum(),
        pl.col("fatalities_low").sum(),
        pl.col("fatalities_high").sum(),
    )
    src = pl.DataFrame({"source": sources}, schema={"source": pl.String})
    grid = membership.select("bloc", "month", "rule").unique().join(src, how="cross")
    mem = membership.filter(pl.col("member")).join(src, how="cross")
    counted = (
        mem.join(agg, on=["source", "country_iso3", "month"], how="left")
        .with_columns(pl.col("events", "fatalities_best", "fatalities_low", "fatalities_high").fill_null(0))
        .group_by("bloc", "month", "source")
        .agg(
            pl.len().alias("n_members"),
            pl.col("country_iso3").sort().alias("members"),
            pl.col("suspended").sum().cast(pl.Int64).alias("n_suspended"),
            pl.col("events").sum().cast(pl.Int64),
            pl.col("fatalities_best").sum(),
            pl.col("fatalities_low").sum(),
            pl.col("fatalities_high").sum(),
        )
    )
    out = grid.join(counted, on=["bloc", "month", "source"], how="left", nulls_equal=True).with_columns(
        pl.col("n_members", "n_suspended", "events", "fatalities_best", "fatalities_low", "fatalities_high").fill_null(0),
        pl.col("members").fill_null(pl.lit([], dtype=pl.List(pl.String))),
    )
    cov_df = pl.DataFrame(
        {"source": list(cov), "_lo": [a for a, _ in cov.values()], "_hi": [b for _, b in cov.values()]},
        schema={"source": pl.String, "_lo": pl.Date, "_hi": pl.Date},
    )
    out = (
        out.join(cov_df, on="source", how="left", nulls_equal=True)
        .with_columns(covered=((pl.col("month") >= pl.col("_lo")) & (pl.col("month") <= pl.col("_hi"))).fill_null(False))
        .drop("_lo", "_hi")
    )
    nums = ["events", "fatalities_best", "fatalities_low", "fatalities_high"]
    out = out.with_columns(
        [pl.when(pl.col("covered")).then(pl.col(c)).otherwise(None).alias(c) for c in nums]
    ).with_columns(*_value_exprs(measure), measure=pl.lit(measure))
    cols = ["bloc", "month", "source", "n_members", "members", "n_suspended", *nums,
            "measure", "value", "value_low", "value_high", "covered", "rule"]
    return out.select(cols).sort("bloc", "source", "month")


def _anchor(registry, bloc: str, align: str):
    try:
        return registry.milestone((bloc, align))
    except UsageError:
        if align != "founding":
            raise
        raise UsageError(f"{bloc} has no founding milestone; align on a milestone id or kind") from None


def compare(
    registry,
    events,
    blocs: list[str],
    align: str = "founding",
    measure: str = "fatalities_best",
    months: int = 36,
    population: Mapping | None = None,
    rule: str = "dynamic",
    source: str | None = None,
    months_before: int = 0,
):
    """Bloc trajectories aligned on a milestone (``founding``, a milestone id, kind or tag).
    ``events``: event rows, or country-month totals (:data:`COUNT_COLUMNS`).

    One row per (bloc, k) with k = months since the anchor month (k = 0 is the
    month of the anchor date), for k in ``[-months_before, months)``. Rates per
    100,000 people use ``population`` (``None``: the shipped approximate WDI
    table; see :mod:`.population`) and are null when a counted member's
    population is unknown. Returns a Polars frame; ``rule_text`` and
    ``population_source`` columns say which rules and data were used.
    """
    import polars as pl

    check_measure(measure)
    if months < 1 or months_before < 0:
        raise UsageError("months must be >= 1 and months_before >= 0")
    ev = _prepared(events)
    src = single_source(ev, source)
    ev = ev.filter(pl.col("source") == src)
    cov = event_coverage(ev)
    pop = normalise(population)
    pop_source = POPULATION_SOURCE if population is None else "user-supplied"
    frames = []
    for bloc in blocs:
        org = registry.organisation(bloc)
        ms = _anchor(registry, org.id, align)
        m0 = as_month(ms.date.opens)
        first, last = add_months(m0, -months_before), add_months(m0, months - 1)
        mem = membership_months(registry, org.id, first, last, rule)
        mon = bloc_monthly(ev, mem, measure, coverage=cov)
        rows = []
        for r in mon.iter_rows(named=True):
            total, year_used, known = 0, None, bool(r["members"])
            for iso3 in r["members"]:
                p = population_for(pop, iso3, r["month"].year) or population_for(pop, iso3, 0)
                if p is None:
                    known = False
                    break
                total += p[0]
                year_used = max(year_used or 0, p[1]) or None
            rows.append((total if known else None, year_used if known else None))
        mon = mon.with_columns(
            pl.Series("population", [r[0] for r in rows], dtype=pl.Int64),
            pl.Series("population_year", [r[1] for r in rows], dtype=pl.Int64),
        )
        per = [
            (pl.col(c) * 100_000 / pl.col("population")).alias(f"per_100k{s}")
            for c, s in (("value", ""), ("value_low", "_low"), ("value_high", "_high"))
        ]
        frames.append(
            mon.with_columns(
                *per,
                bloc=pl.lit(org.id),
                align=pl.lit(ms.id),
                anchor_date=pl.lit(str(ms.date)),
                anchor_confidence=pl.lit(ms.confidence),
                k=pl.Series([months_between(m0, m) for m in mon["month"]], dtype=pl.Int64),
            )
        )
    out = pl.concat(frames, how="vertical_relaxed")
    return out.with_columns(
        rule_text=pl.lit(describe_rule(rule)),
        population_source=pl.lit(pop_source),
    ).select(
        "bloc", "align", "anchor_date", "anchor_confidence", "k", "month", "source",
        "n_members", "members", "n_suspended", "measure", "value", "value_low", "value_high",
        "population", "population_year", "per_100k", "per_100k_low", "per_100k_high",
        "covered", "rule", "rule_text", "population_source",
    )


__all__ = [
    "MEASURES",
    "check_measure",
    "prepare_events",
    "COUNT_COLUMNS",
    "is_counts",
    "prepare_counts",
    "event_coverage",
    "single_source",
    "bloc_monthly",
    "compare",
]
