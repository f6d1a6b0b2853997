"""Before/after comparisons around a dated event (a coup, a force's departure, an exit).

Descriptive only. The monthly series is the sum of the measure over the
event's countries (those the registry names for it: the coup's country, the
milestone's ``countries``, the host of a foreign force; for a bloc milestone
without countries, the bloc's members on the event day). The event month
itself is left out by default: it mixes before and after.

The interval is a percentile bootstrap: months before and months after are
resampled with replacement, separately, ``n_boot`` times, and the 2.5th and
97.5th percentiles of the difference in means are reported. It reflects
month-to-month variation only; months are not independent (conflict is
persistent), so it is too narrow if anything.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from sahelwatch.domain.errors import UsageError

from .analysis import check_measure, event_coverage, prepare_events, single_source
from .dates import add_months, as_month
from .results import DatedEvent

CAVEAT = (
    "Descriptive, not causal: this compares the mean monthly {measure} in {countries} over "
    "{n_before} month(s) before and {n_after} month(s) after {event} ({date}). Other things changed "
    "at the same time (seasons, other events, armed groups' strategies, how well violence is "
    "reported), months are not independent, and the interval reflects only month-to-month "
    "variation in this sample. It does not measure the effect of the event."
)


class MonthValue(BaseModel):
    month: dt.date
    k: int  # months from the event month
    value: int | None
    value_low: int | None = None
    value_high: int | None = None


class EventStudy(BaseModel):
    event: DatedEvent
    countries: list[str]
    countries_rule: str
    source: str
    measure: str
    window: int
    include_event_month: bool
    before_mean: float
    after_mean: float
    difference: float
    ci_low: float
    ci_high: float
    ci_level: float = 0.95
    before_range: tuple[float, float] | None = None  # means of fatalities_low / _high
    after_range: tuple[float, float] | None = None
    n_before: int
    n_after: int
    n_boot: int
    seed: int
    months: list[MonthValue]
    warnings: list[str] = []
    caveat: str


def _countries(registry, ev: DatedEvent) -> tuple[list[str], str]:
    if ev.countries:
        return sorted(ev.countries), "the countries the registry names for this event"
    if ev.bloc:
        mem = [m.iso3 for m in registry.members(ev.bloc, on=ev.day)]
        if mem:
            return mem, f"members of {ev.bloc} on {ev.day.isoformat()} (fixed list)"
    raise UsageError(f"event {ev.id} names no country; pass countries=[...]")


def event_study(
    registry,
    events,
    event_id: str,
    window: int = 12,
    measure: str = "fatalities_best",
    n_boot: int = 2000,
    seed: int = 0,
    countries: list[str] | None = None,
    source: str | None = None,
    include_event_month: bool = False,
    coverage: tuple | None = None,
) -> EventStudy:
    """Mean monthly ``measure`` over ``window`` months before vs after ``event_id``,
    with a bootstrap interval for the difference (after minus before)."""
    import numpy as np
    import polars as pl

    check_measure(measure)
    if window < 1:
        raise UsageError("window must be at least 1 month")
    if n_boot < 100:
        raise UsageError("n_boot must be at least 100")
    ev = registry.dated_event(event_id)
    if countries:
        isos, crule = sorted(c.upper() for c in countries), "countries given by the user"
    else:
        isos, crule = _countries(registry, ev)
    frame = prepare_events(events)
    src = single_source(frame, source)
    frame = frame.filter(pl.col("source") == src)
    lo, hi = (as_month(coverage[0]), as_month(coverage[1])) if coverage else event_coverage(frame)[src]
    m0 = as_month(ev.day)
    agg = (
        frame.filter(pl.col("country_iso3").is_in(isos))
        .group_by("month")
        .agg(pl.len().alias("events"), pl.col("fatalities_best").sum(),
             pl.col("fatalities_low").sum(), pl.col("fatalities_high").sum())
    )
    by_month = {r["month"]: r for r in agg.iter_rows(named=True)}
    low_col, high_col = ("events", "events") if measure == "events" else ("fatalities_low", "fatalities_high")
    months, before, after, b_rng, a_rng = [], [], [], [], []
    warnings = []
    for k in range(-window, window + 1):
        if k == 0 and not include_event_month:
            continue
        m = add_months(m0, k)
        if not (lo <= m <= hi):
            months.append(MonthValue(month=m, k=k, value=None))
            continue
        r = by_month.get(m)
        val = int(r[measure]) if r else 0
        vl = int(r[low_col]) if r else 0
        vh = int(r[high_col]) if r else 0
        months.append(MonthValue(month=m, k=k, value=val, value_low=vl, value_high=vh))
        (before if k < 0 else after).append(val)
        (b_rng if k < 0 else a_rng).append((vl, vh))
    if len(before) < window or len(after) < window:
        warnings.append(
            f"the events cover {lo:%Y-%m}..{hi:%Y-%m}: only {len(before)} month(s) before and "
            f"{len(after)} after fall inside it (window {window})"
        )
    if not before or not after:
        raise UsageError(
            f"not enough data around {ev.id} ({ev.date}): the events cover {lo:%Y-%m}..{hi:%Y-%m}, "
            f"{len(before)} month(s) before and {len(after)} after in a {window}-month window"
        )
    if ev.precision != "day":
        warnings.append(f"the event date is known only to the {ev.precision} ({ev.date}); month 0 is its first month")
    b, a = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    rng = np.random.default_rng(seed)
    bb = b[rng.integers(0, len(b), size=(n_boot, len(b)))].mean(axis=1)
    aa = a[rng.integers(0, len(a), size=(n_boot, len(a)))].mean(axis=1)
    diffs = aa - bb
    ci_low, ci_high = (float(x) for x in np.percentile(diffs, [2.5, 97.5]))
    diff = float(a.mean() - b.mean())
    ranges = None
    if measure != "events":
        ranges = (
            tuple(float(np.mean([x[i] for x in b_rng])) for i in (0, 1)),
            tuple(float(np.mean([x[i] for x in a_rng])) for i in (0, 1)),
        )
    caveat = CAVEAT.format(
        measure=measure.replace("_", " "), countries=", ".join(isos),
        n_before=len(b), n_after=len(a), event=ev.id, date=ev.date,
    )
    return EventStudy(
        event=ev, countries=isos, countries_rule=crule, source=src, measure=measure, window=window,
        include_event_month=include_event_month, before_mean=float(b.mean()), after_mean=float(a.mean()),
        difference=diff, ci_low=ci_low, ci_high=ci_high,
        before_range=ranges[0] if ranges else None, after_range=ranges[1] if ranges else None,
        n_before=len(b), n_after=len(a), n_boot=n_boot, seed=seed, months=months,
        warnings=warnings, caveat=caveat,
    )


__all__ = ["CAVEAT", "EventStudy", "MonthValue", "event_study"]
