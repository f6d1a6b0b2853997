"""Alerts phrased as questions that resolve: surge, threat, convergence.

Every alert is issued on a day ``t`` from the events dated up to ``t`` and asks one
question about the 4 weeks after it (``t+1 .. t+28``); the question resolves on
``t+28`` when the store holds data to that day. Definitions and thresholds:
``docs/analytics-warning.md``. ``scoring.py`` replays the same rules over history.

- **surge** (unit week): the last complete ACLED week (Saturday-Friday) ending on or
  before ``t`` has at least ``1 + surge_increase`` times the weekly mean of the 4 weeks
  before it and at least ``surge_min_events`` violent events. Question: more violent
  events in the next 4 weeks than in the 4 weeks before the surge week?
- **threat** (unit month): the last complete calendar month has at least
  ``1 + threat_increase`` times the unit's monthly mean over the 12 months before it and
  at least ``threat_min_events``. Question: more violent events in the next 4 weeks than
  that 12-month monthly mean?
- **convergence** (admin2 week): at least ``convergence_min_types`` event types (ACLED
  sub-event types, UCDP types of violence) each rising in the last complete week (count
  above its own 4-week mean and at least ``convergence_min_events``). Question: more
  violent events in the next 4 weeks than in the 4 weeks before that week?

Violent events: categories battle, explosion_remote, violence_against_civilians.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import numpy as np

from ..domain.errors import UsageError
from ._warning_base import VIOLENT, country_name, in_list, unit_sql
from ._windows import WindowCounts, day_number, last_complete_month, month_start, to_date, week_end

KINDS = ("surge", "threat", "convergence")
#: What the rules count: violent events, or the fatalities they report (best estimate).
MEASURES = ("events", "fatalities")
_NOUN = {"events": ("violent events", "événements violents", "d'événements violents"),
         "fatalities": ("deaths in violent events", "morts dans des événements violents",
                        "de morts dans des événements violents")}


@dataclass(frozen=True)
class AlertThresholds:
    """Every number the alert rules use; all configurable, all reported with the results."""

    surge_increase: float = 1.0  # +100 % over the weekly mean of the 4 previous weeks
    surge_min_events: int = 5  # no 0 -> 1 alarms
    threat_increase: float = 0.5  # +50 % over the monthly mean of the 12 previous months
    threat_min_events: int = 10
    convergence_min_types: int = 2
    convergence_min_events: int = 2  # per event type, in the week
    horizon_days: int = 28  # "the next 4 weeks"
    calibration_weeks: int = 104  # past alerts used for the stated probability

    def __post_init__(self):
        for name, value in asdict(self).items():
            if value is None or value < 0:
                raise UsageError(f"alert threshold {name} must be >= 0, got {value!r}")
        if self.horizon_days < 1 or self.calibration_weeks < 1:
            raise UsageError("horizon_days and calibration_weeks must be >= 1")
        if self.convergence_min_types < 2:
            raise UsageError("convergence_min_types must be >= 2: convergence means two types rising together")

    def to_dict(self) -> dict:
        return asdict(self)


def check_measure(measure: str) -> str:
    m = (measure or "").strip().lower()
    if m not in MEASURES:
        raise UsageError(f"unknown measure {measure!r}", choices=list(MEASURES))
    return m


def check_kinds(kind) -> tuple[str, ...]:
    if kind is None or kind == "" or kind == ():
        return KINDS
    wanted = [k.strip().lower() for k in (kind.split(",") if isinstance(kind, str) else kind) if k.strip()]
    for k in wanted:
        if k not in KINDS:
            raise UsageError(f"unknown alert kind {k!r}", choices=list(KINDS))
    return tuple(dict.fromkeys(wanted))


# -- reading -----------------------------------------------------------------------------


def daily_counts(con, sources, unit: str, *, by_type: bool = False, countries=(), measure: str = "events"):
    """Violent events (or their fatalities) per (unit, day[, type]) as Polars, plus a units
    frame (unit, unit_name, country_iso3)."""
    uid, uname = unit_sql(unit)
    where = f"source IN {in_list(sources)} AND category IN {in_list(VIOLENT)} AND date_start IS NOT NULL"
    if countries:
        where += f" AND country_iso3 IN {in_list(countries)}"
    typ = ", COALESCE(sub_event_type, 'UCDP type ' || CAST(type_of_violence AS VARCHAR), category) AS type" \
        if by_type else ""
    n = "COUNT(*)" if measure == "events" else "SUM(COALESCE(fatalities_best, 0))"
    daily = con.sql(f"SELECT {uid} AS unit, date_start AS day{typ}, {n} AS n FROM events "
                    f"WHERE {where} AND {uid} IS NOT NULL GROUP BY ALL").pl()
    units = con.sql(f"SELECT {uid} AS unit, MIN({uname}) AS unit_name, MIN(country_iso3) AS country_iso3 "
                    f"FROM events WHERE {where} AND {uid} IS NOT NULL GROUP BY 1 ORDER BY 1").pl()
    return daily, units


# -- the rules, for every unit and issue day at once ---------------------------------------


@dataclass
class Panel:
    """One kind's rule evaluated on units x issue days (arrays shaped [units, days])."""

    kind: str
    units: object  # Polars frame: unit, unit_name, country_iso3
    days: np.ndarray  # issue day numbers, ascending
    alert: np.ndarray
    evaluable: np.ndarray  # enough history before the signal window
    resolvable: np.ndarray  # the store holds data to the resolution date
    signal: np.ndarray  # events in the signal week / month
    baseline: np.ndarray  # weekly mean (surge, convergence) or monthly mean (threat)
    threshold: np.ndarray  # the question's number: more than this many events in the horizon
    observed: np.ndarray  # events in the horizon
    signal_first: np.ndarray
    signal_last: np.ndarray
    detail: dict  # (unit index, day index) -> text (convergence: the types rising)

    @property
    def outcome(self) -> np.ndarray:
        return self.observed > self.threshold


def _unit_index(daily, units):
    import polars as pl

    idx = units.select("unit").with_row_index("g")
    return daily.join(idx, on="unit", how="inner").with_columns(pl.col("g").cast(pl.Int64))


def evaluate(daily, units, issue_days, kinds, th: AlertThresholds, data_start: int, data_end: int,
             daily_types=None, type_units=None) -> dict[str, Panel]:
    """Each kind's rule on every unit and issue day (day numbers). ``daily``: unit, day, n;
    ``daily_types``: unit, day, type, n at admin2 level (convergence), with ``type_units``."""
    days = np.asarray(issue_days, dtype=np.int64)
    out = {}
    h = th.horizon_days
    horizon = (days + 1, days + h)
    resolvable_day = days + h <= data_end
    for kind in kinds:
        if kind == "convergence":
            if daily_types is None:
                continue
            out[kind] = _convergence(daily_types, type_units, days, th, data_start, resolvable_day, horizon)
            continue
        d = _unit_index(daily, units)
        wc = WindowCounts(d["g"].to_numpy(), day_number(d["day"].to_numpy()), d["n"].to_numpy())
        g = np.arange(units.height, dtype=np.int64)[:, None]
        if kind == "surge":
            last = week_end(days)
            first = last - 6
            signal = wc.sum(g, first, last)
            base_total = wc.sum(g, first - 28, first - 1)
            baseline = base_total / 4.0
            evaluable = np.broadcast_to(first - 28 >= data_start, signal.shape)
            alert = (signal >= th.surge_min_events) & (signal >= (1 + th.surge_increase) * baseline)
            threshold = base_total.astype(float)
        else:  # threat
            first, last = last_complete_month(days)
            signal = wc.sum(g, first, last)
            base_first = month_start(first, -12)
            baseline = wc.sum(g, base_first, first - 1) / 12.0
            evaluable = np.broadcast_to(base_first >= data_start, signal.shape)
            alert = (signal >= th.threat_min_events) & (signal >= (1 + th.threat_increase) * baseline)
            threshold = baseline
        out[kind] = Panel(kind, units, days, alert & evaluable, evaluable.copy(),
                          np.broadcast_to(resolvable_day, signal.shape).copy(), signal, baseline, threshold,
                          wc.sum(g, *horizon), np.broadcast_to(first, signal.shape), np.broadcast_to(last, signal.shape),
                          {})
    return out


def _convergence(daily_types, units, days, th, data_start, resolvable_day, horizon) -> Panel:
    import polars as pl

    d = _unit_index(daily_types, units)
    totals = d.group_by("g", "day").agg(pl.col("n").sum())
    wc_total = WindowCounts(totals["g"].to_numpy(), day_number(totals["day"].to_numpy()), totals["n"].to_numpy())
    groups = d.select("g", "type").unique().sort("g", "type").with_row_index("k")
    d = d.join(groups, on=["g", "type"])
    wc = WindowCounts(d["k"].cast(pl.Int64).to_numpy(), day_number(d["day"].to_numpy()), d["n"].to_numpy())
    last = week_end(days)
    first = last - 6
    k = np.arange(groups.height, dtype=np.int64)[:, None]
    c = wc.sum(k, first, last)
    base = wc.sum(k, first - 28, first - 1)
    rising = (c >= th.convergence_min_events) & (4 * c > base)
    gk = groups["g"].to_numpy().astype(np.int64)
    n_units = units.height
    n_rising = np.zeros((n_units, days.size), dtype=np.int64)
    np.add.at(n_rising, gk, rising.astype(np.int64))
    g = np.arange(n_units, dtype=np.int64)[:, None]
    evaluable = np.broadcast_to(first - 28 >= data_start, (n_units, days.size)).copy()
    alert = (n_rising >= th.convergence_min_types) & evaluable
    detail = {}
    types = groups["type"].to_list()
    ks, ts = np.nonzero(rising & alert[gk])
    for kk, tt in zip(ks.tolist(), ts.tolist()):
        detail.setdefault((int(gk[kk]), tt), []).append(f"{types[kk]} {int(c[kk, tt])} (4-week mean {base[kk, tt] / 4:.1f})")
    base_total = wc_total.sum(g, first - 28, first - 1)
    return Panel("convergence", units, days, alert, evaluable,
                 np.broadcast_to(resolvable_day, alert.shape).copy(), wc_total.sum(g, first, last),
                 base_total / 4.0, base_total.astype(float), wc_total.sum(g, *horizon),
                 np.broadcast_to(first, alert.shape), np.broadcast_to(last, alert.shape),
                 {key: "; ".join(v) for key, v in detail.items()})


# -- stated probabilities ----------------------------------------------------------------


def _window_sums(values: np.ndarray, days: np.ndarray, lookback: int, lag: int) -> np.ndarray:
    """For each issue day i, the sum of ``values[..., j]`` over past issue days j with
    ``days[i] - lookback <= days[j] <= days[i] - lag`` (already resolved at day i)."""
    cum = np.concatenate([np.zeros(values.shape[:-1] + (1,)), np.cumsum(values, axis=-1)], axis=-1)
    lo = np.searchsorted(days, days - lookback, side="left")
    hi = np.searchsorted(days, days - lag, side="right")
    hi = np.maximum(hi, lo)
    return cum[..., hi] - cum[..., lo]


def calibrate(p: Panel, th: AlertThresholds) -> dict[str, np.ndarray]:
    """Stated probabilities, from outcomes already known at each issue day (no look-ahead):

    - ``alert``: share of this kind's past alerts (all units, the last
      ``calibration_weeks``) whose question resolved yes, smoothed (hits+1)/(alerts+2);
    - ``baseline``: the naive forecast — each unit's own base rate of a yes over the same
      past window (smoothed), whatever the rule says.
    """
    known = p.evaluable & p.resolvable
    y = (p.outcome & known).astype(float)
    a = (p.alert & known).astype(float)
    lookback, lag = th.calibration_weeks * 7, th.horizon_days
    hits = _window_sums((y * a).sum(axis=0), p.days, lookback, lag)
    alerts = _window_sums(a.sum(axis=0), p.days, lookback, lag)
    unit_y = _window_sums(y, p.days, lookback, lag)
    unit_n = _window_sums(known.astype(float), p.days, lookback, lag)
    return {"alert": (hits + 1) / (alerts + 2), "baseline": (unit_y + 1) / (unit_n + 2), "history": alerts}


# -- rows --------------------------------------------------------------------------------


def _fmt(x: float, lang: str) -> str:
    s = f"{x:.1f}" if abs(x - round(x)) > 1e-9 else f"{int(round(x))}"
    return s.replace(".", ",") if lang == "fr" else s


def question(kind: str, name: str, name_fr: str, w0: dt.date, w1: dt.date, threshold: float,
             signal_first: dt.date, n_types: int = 0, measure: str = "events") -> tuple[str, str]:
    """The alert's question, in English and French."""
    t_en, t_fr = _fmt(threshold, "en"), _fmt(threshold, "fr")
    en, fr, fr_de = _NOUN[measure]
    if kind == "threat":
        return (f"Will {name} have more {en} in the next 4 weeks ({w0} to {w1}) than its "
                f"12-month monthly mean ({t_en})?",
                f"« {name_fr} » : y aura-t-il plus {fr_de} dans les 4 prochaines semaines "
                f"(du {w0} au {w1}) que la moyenne mensuelle des 12 derniers mois ({t_fr}) ?")
    if kind == "surge":
        return (f"Will {name} have more than {t_en} {en} in the next 4 weeks ({w0} to {w1}), "
                f"its total in the 4 weeks before the surge week of {signal_first}?",
                f"« {name_fr} » : y aura-t-il plus de {t_fr} {fr} dans les 4 prochaines semaines "
                f"(du {w0} au {w1}), le total des 4 semaines précédant la semaine de hausse du {signal_first} ?")
    return (f"With {n_types} types of violence rising together in the week of {signal_first}, will {name} have "
            f"more than {t_en} {en} in the next 4 weeks ({w0} to {w1}), its total in the 4 weeks before?",
            f"« {name_fr} » : {n_types} types de violence en hausse simultanée la semaine du {signal_first} ; "
            f"y aura-t-il plus de {t_fr} {fr} dans les 4 prochaines semaines (du {w0} au {w1}), "
            f"le total des 4 semaines précédentes ?")


def alert_rows(p: Panel, probs: dict, columns: np.ndarray, th: AlertThresholds, unit_level: str,
               measure: str = "events"):
    """The alerts raised on the issue days ``columns`` (indices into ``p.days``), one row each."""
    import polars as pl

    rows = []
    names = p.units["unit_name"].to_list()
    isos = p.units["country_iso3"].to_list()
    ids = p.units["unit"].to_list()
    level = "admin2" if p.kind == "convergence" else unit_level
    for u, t in zip(*np.nonzero(p.alert[:, columns])):
        t = int(columns[t])
        day = p.days[t]
        w0, w1 = to_date(day + 1), to_date(day + th.horizon_days)
        name, iso = names[u] or ids[u], isos[u]
        name_en = name_fr = name
        if level == "country":
            name_en, name_fr = country_name(iso) or name, country_name(iso, "fr") or name
            name = name_en
        elif iso:
            name_en = f"{name} ({country_name(iso)})"
            name_fr = f"{name} ({country_name(iso, 'fr')})"
        detail = p.detail.get((int(u), t), "")
        q_en, q_fr = question(p.kind, name_en, name_fr, w0, w1, float(p.threshold[u, t]),
                              to_date(p.signal_first[u, t]), detail.count(";") + 1 if detail else 0, measure)
        resolved = bool(p.resolvable[u, t])
        rows.append({
            "unit": ids[u], "unit_name": name, "country_iso3": iso, "unit_level": level, "kind": p.kind,
            "issued": to_date(day), "signal_start": to_date(p.signal_first[u, t]), "signal_end": to_date(p.signal_last[u, t]),
            "signal_events": int(p.signal[u, t]), "baseline_mean": round(float(p.baseline[u, t]), 3),
            "question_threshold": round(float(p.threshold[u, t]), 3), "detail": detail,
            "question": q_en, "question_fr": q_fr, "probability": round(float(probs["alert"][t]), 3),
            "calibration_alerts": int(probs["history"][t]),
            "window_start": w0, "window_end": w1, "resolution_date": w1,
            "observed_events": int(p.observed[u, t]) if resolved else None,
            "outcome": bool(p.observed[u, t] > p.threshold[u, t]) if resolved else None,
        })
    return pl.DataFrame(rows, schema=alert_schema())


def alert_schema():
    import polars as pl

    return {"unit": pl.String, "unit_name": pl.String, "country_iso3": pl.String, "unit_level": pl.String,
            "kind": pl.String, "issued": pl.Date, "signal_start": pl.Date, "signal_end": pl.Date,
            "signal_events": pl.Int64, "baseline_mean": pl.Float64, "question_threshold": pl.Float64,
            "detail": pl.String, "question": pl.String, "question_fr": pl.String, "probability": pl.Float64,
            "calibration_alerts": pl.Int64, "window_start": pl.Date, "window_end": pl.Date,
            "resolution_date": pl.Date, "observed_events": pl.Int64, "outcome": pl.Boolean}


def fridays(first: dt.date, last: dt.date) -> np.ndarray:
    """Day numbers of the Fridays (ACLED week ends) in ``first..last``."""
    a, b = int(day_number(first)), int(day_number(last))
    start = a + ((1 - a) % 7)
    return np.arange(start, b + 1, 7, dtype=np.int64)


def load(con, sources, unit: str, kinds, *, countries=(), measure: str = "events"):
    """Daily counts for the kinds asked: ``(daily, units, daily_types, type_units)``."""
    daily = units = daily_types = type_units = None
    if set(kinds) & {"surge", "threat"}:
        daily, units = daily_counts(con, sources, unit, countries=countries, measure=measure)
    if "convergence" in kinds:
        daily_types, type_units = daily_counts(con, sources, "admin2", by_type=True, countries=countries,
                                               measure=measure)
    return daily, units, daily_types, type_units


def alerts(con, sources, *, unit: str, on: dt.date, kinds, th: AlertThresholds, data_start: dt.date,
           data_end: dt.date, countries=(), measure: str = "events"):
    """Alerts issued on ``on``, one row per (unit, kind), with stated probability and outcome."""
    import polars as pl

    daily, units, daily_types, type_units = load(con, sources, unit, kinds, countries=countries, measure=measure)
    on_n = int(day_number(on))
    past = fridays(on - dt.timedelta(days=th.calibration_weeks * 7 + th.horizon_days + 7), on)
    days = np.unique(np.concatenate([past, [on_n]]))
    panels = evaluate(daily, units, days, kinds, th, int(day_number(data_start)), int(day_number(data_end)),
                      daily_types, type_units)
    frames = [alert_rows(p, calibrate(p, th), np.array([days.size - 1]), th, unit, measure) for p in panels.values()]
    frames = [f for f in frames if f.height] or [pl.DataFrame(schema=alert_schema())]
    return pl.concat(frames).sort(["kind", "signal_events", "unit"], descending=[False, True, False])


def months_with_events(con, sources, on: dt.date) -> dict[str, int]:
    """Events per calendar month (``YYYY-MM``) of these sources in the 13 months up to ``on``:
    a month without any suggests the store lacks data (a sample, a single release)."""
    first = (on.replace(day=1) - dt.timedelta(days=366)).replace(day=1)
    rows = con.sql(f"SELECT STRFTIME(date_start, '%Y-%m') AS m, COUNT(*) FROM events WHERE source IN "
                   f"{in_list(sources)} AND date_start BETWEEN DATE '{first}' AND DATE '{on}' GROUP BY 1").fetchall()
    have = dict(rows)
    out, m = {}, first
    while m <= on:
        key = m.strftime("%Y-%m")
        out[key] = int(have.get(key, 0))
        m = (m + dt.timedelta(days=32)).replace(day=1)
    return out
