"""Trends and records of a series: "worse than ever" as a number with its caveats.

For one series of (period, value) — a unit's counts from the cube, zeros
included — :func:`summarise` reports:

- the latest complete period and its value;
- whether it is a record (strictly above every earlier period of the series),
  and otherwise since when it is the highest ("highest since 2019": the most
  recent earlier period with a value at least as high), with its rank;
- the change against the previous period and against the same period one year
  earlier (months, quarters, weeks, days), absolute and in percent;
- a trend slope: a Poisson GLM with log link on the period index
  (``log E[y_t] = a + b t``), fitted by IRLS (numpy only), reported as percent
  change per period ``100 (e^b - 1)`` with a 95% Wald interval. Counts of
  violence are overdispersed, so standard errors are scaled quasi-Poisson
  style by ``sqrt(phi)``, ``phi = Pearson chi2 / (n - 2)``, floored at 1 (a
  dispersion below 1 is not used to narrow the interval);
- caveats: periods left out because the data do not cover them completely,
  too few periods for a slope (fewer than ``min_periods``, default 6, or fewer
  than two non-zero periods, where the estimate does not exist), UCDP
  Candidate data being preliminary, ACLED coverage, serial correlation.

Partial periods at either end (the store's data start or end inside them, or
``--from``/``--to`` cut them) are left out by default, because a partial month
next to full months reads as a fall.
"""

from __future__ import annotations

import datetime as dt
import math

from . import periods as P

Z95 = 1.959963984540054
DEFAULT_MIN_PERIODS = 6
METHOD = ("Poisson GLM (log link) on the period index, fitted by IRLS; 95% Wald interval with standard errors "
          "scaled by sqrt(phi), phi = Pearson chi2/(n-2) floored at 1 (quasi-Poisson)")
ACLED_AFRICA_START = dt.date(1997, 1, 1)


def poisson_trend(y, t=None, *, max_iter: int = 100, tol: float = 1e-12) -> dict | None:
    """Fit ``log E[y] = a + b t`` by IRLS. Returns ``a``, ``b``, ``se_b`` (model-based),
    ``phi`` (Pearson chi2 / (n-2)), ``se_b_quasi`` and ``iterations``; None when the
    maximum-likelihood estimate does not exist (fewer than two periods with a non-zero
    count, or fewer than three periods)."""
    import numpy as np

    y = np.asarray(y, dtype=np.float64)
    t = np.arange(len(y), dtype=np.float64) if t is None else np.asarray(t, dtype=np.float64)
    n = len(y)
    if n < 3 or np.any(y < 0) or len(np.unique(t[y > 0])) < 2:
        return None
    # Centre t so the intercept and slope are nearly orthogonal (better conditioned); b is unchanged.
    tc = t - t.mean()
    X = np.column_stack([np.ones(n), tc])
    mu = y + 0.5 * y.mean() + 1e-3  # a start away from zero
    eta = np.log(mu)
    dev_old = math.inf
    beta = np.zeros(2)
    it = 0
    for it in range(1, max_iter + 1):
        z = eta + (y - mu) / mu
        XtW = X.T * mu
        beta = np.linalg.solve(XtW @ X, XtW @ z)
        eta = X @ beta
        mu = np.exp(eta)
        with np.errstate(divide="ignore", invalid="ignore"):
            dev = 2.0 * float(np.sum(np.where(y > 0, y * np.log(y / mu), 0.0) - (y - mu)))
        if abs(dev - dev_old) <= tol * (abs(dev) + 1.0):
            break
        dev_old = dev
    cov = np.linalg.inv((X.T * mu) @ X)
    se_b = float(math.sqrt(cov[1, 1]))
    pearson = float(np.sum((y - mu) ** 2 / mu))
    phi = pearson / (n - 2)
    a = float(beta[0] - beta[1] * t.mean())
    return {"a": a, "b": float(beta[1]), "se_b": se_b, "phi": phi, "se_b_quasi": se_b * math.sqrt(max(phi, 1.0)),
            "deviance": dev, "pearson": pearson, "iterations": it, "n": n}


def _pct(b: float) -> float:
    # a near-degenerate fit (a series that jumps from zeros to thousands) can give a log
    # slope whose interval bound exceeds float range: the bound is unbounded, not an error
    try:
        return 100.0 * math.expm1(b)
    except OverflowError:
        return math.inf


def _fmt(v) -> str:
    if v is None:
        return "n/a"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


#: Where a source's coverage starts when the store's first event is later (UCDP GED: 1989).
SOURCE_START = {"ucdp_ged": dt.date(1989, 1, 1)}


def _candidate_month(release: str | None) -> dt.date | None:
    """``23.0.10`` -> 2023-10-01 (monthly Candidate releases); None for other release names."""
    parts = (release or "").split(".")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and parts[1] == "0" and 1 <= int(parts[2]) <= 12:
        return dt.date(2000 + int(parts[0]), int(parts[2]), 1)
    return None


def data_bounds(coverage: dict, releases: list[tuple[str, str | None, str | None]] = ()) -> tuple:
    """First and last day the sources cover: ``coverage`` maps source -> (first, last event date);
    ``releases`` are (source, release, coverage_end) of the snapshots read. GED releases say their
    coverage end (``23.1``: 2022-12-31); a monthly Candidate release ``23.0.10`` covers October
    2023; ACLED covers up to its latest event."""
    if not coverage:
        return None, None
    starts, ends = [], []
    for src, (first, last) in coverage.items():
        starts.append(min(first, SOURCE_START.get(src, first)))
        end = last
        for s, rel, cov_end in releases:
            if s != src:
                continue
            if cov_end:
                end = max(end, dt.date.fromisoformat(str(cov_end)[:10]))
            elif s == "ucdp_candidate" and _candidate_month(rel):
                end = max(end, P.end_of(_candidate_month(rel), "month"))
        ends.append(end)
    return min(starts), max(ends)


def coverage_gaps(releases: list[tuple[str, str | None, str | None]], data_end: dt.date | None = None) -> list[tuple]:
    """UCDP months no ingested release covers: after the latest GED release's coverage end, each
    monthly Candidate release covers its month; the months in between that no Candidate release
    covers hold no data, so their zeros are not zeros. Returns (first day, last day) pairs."""
    ged_end = max((dt.date.fromisoformat(str(c)[:10]) for s, _, c in releases if s == "ucdp_ged" and c), default=None)
    cand = sorted({m for s, r, _ in releases if s == "ucdp_candidate" and (m := _candidate_month(r))})
    if not cand:
        return []
    data_end = data_end or P.end_of(cand[-1], "month")
    first = (ged_end + dt.timedelta(days=1)) if ged_end else cand[0]
    gaps, month = [], first.replace(day=1)
    while month <= data_end:
        if month not in cand and (ged_end is None or month > ged_end):
            gaps.append((month, P.end_of(month, "month")))
        month = P.next_start(month, "month")
    return gaps


def complete_mask(starts: list[dt.date], period: str, data_start: dt.date | None, data_end: dt.date | None,
                  start: dt.date | None = None, end: dt.date | None = None, gaps=()) -> list[bool]:
    """True for periods wholly inside the data's coverage and the asked date range, and
    overlapping no coverage gap."""
    lo = max([d for d in (data_start, start) if d is not None], default=None)
    hi = min([d for d in (data_end, end) if d is not None], default=None)
    out = []
    for s in starts:
        e = P.end_of(s, period)
        ok = (lo is None or s >= lo) and (hi is None or e <= hi)
        out.append(ok and not any(g0 <= e and s <= g1 for g0, g1 in gaps))
    return out


def summarise(starts: list[dt.date], values: list[float], period: str, *, measure: str = "value",
              data_start: dt.date | None = None, data_end: dt.date | None = None,
              start: dt.date | None = None, end: dt.date | None = None,
              include_incomplete: bool = False, window: int | None = None,
              min_periods: int = DEFAULT_MIN_PERIODS, sources: tuple[str, ...] = (), gaps=()) -> dict:
    """Record, changes and slope of one series (``starts`` sorted ascending, zeros included).
    ``gaps``: (first, last day) spans no release covers (see :func:`coverage_gaps`)."""
    period = P.check_period(period)
    caveats: list[str] = []
    ok = complete_mask(starts, period, data_start, data_end, start, end, gaps)
    touched = bool(starts) and any(g0 <= P.end_of(starts[-1], period) and starts[0] <= g1 for g0, g1 in gaps)
    if touched:
        caveats.append("no ingested UCDP release covers " + ", ".join(f"{g0:%Y-%m}" for g0, _ in gaps[:6])
                       + (" ..." if len(gaps) > 6 else "") + ": periods touching those months are left out "
                       "(ingest the Candidate releases for them)")
    keep = [i for i, good in enumerate(ok) if good or include_incomplete]
    dropped = [i for i, good in enumerate(ok) if not good]
    if dropped and not include_incomplete:
        labels = ", ".join(P.label(starts[i], period) for i in dropped[:3]) + (" ..." if len(dropped) > 3 else "")
        caveats.append(f"left out {len(dropped)} incomplete or uncovered period(s) ({labels}): the data cover "
                       f"{data_start or '?'}..{data_end or '?'}; include_incomplete keeps them")
    elif dropped:
        caveats.append(f"{len(dropped)} period(s) are incomplete and kept: their values are partial")
    s = [starts[i] for i in keep]
    v = [float(values[i]) for i in keep]
    out: dict = {"measure": measure, "period": period, "n_periods": len(s),
                 "first_period": P.label(s[0], period) if s else None,
                 "latest_period": P.label(s[-1], period) if s else None,
                 "latest_start": s[-1] if s else None,
                 "latest_value": v[-1] if v else None}
    for k in ("is_record", "record_since", "record_text", "rank", "previous_period", "previous_value",
              "change_previous", "change_previous_pct", "last_year_period", "last_year_value", "change_last_year",
              "change_last_year_pct", "slope_pct", "slope_low_pct", "slope_high_pct", "slope_pct_per_year",
              "dispersion", "slope_periods"):
        out[k] = None
    if not v:
        caveats.append("no complete period in the range")
        out["caveats"] = caveats
        return out
    out.update(_record(s, v, period, measure))
    if len(v) >= 2:
        prev = v[-2]
        out.update(previous_period=P.label(s[-2], period), previous_value=prev, change_previous=v[-1] - prev,
                   change_previous_pct=(100.0 * (v[-1] - prev) / prev) if prev else None)
    ly = P.same_period_last_year(s[-1], period)
    if ly is not None and period != "year":
        by_start = dict(zip(starts, values))
        if ly in by_start:
            lv = float(by_start[ly])
            out.update(last_year_period=P.label(ly, period), last_year_value=lv, change_last_year=v[-1] - lv,
                       change_last_year_pct=(100.0 * (v[-1] - lv) / lv) if lv else None)
    out.update(_slope(v, keep, period, window, min_periods, caveats))
    caveats += _source_caveats(s, period, sources)
    out["caveats"] = caveats
    return out


def _record(s, v, period: str, measure: str) -> dict:
    latest, prior = v[-1], v[:-1]
    rank = 1 + sum(1 for x in prior if x > latest)
    base = {"rank": rank}
    lab = P.label(s[-1], period)
    if not prior:
        return base | {"record_text": f"{lab}: {_fmt(latest)} {measure}; the series has one period"}
    hi = max(prior)
    at_least = [i for i, x in enumerate(prior) if x >= latest]
    if latest > hi:
        return base | {"is_record": True, "record_text": (
            f"{lab} is the highest of {len(v)} periods ({P.label(s[0], period)} to {lab}): {_fmt(latest)} "
            f"{measure}, above the previous high of {_fmt(hi)} in {P.label(s[prior.index(hi)], period)}")}
    j = at_least[-1]
    since = P.label(s[j], period)
    base |= {"is_record": False, "record_since": since}
    if latest == hi:
        return base | {"record_text": f"{lab} equals the series high ({_fmt(latest)} {measure}, {since})"}
    if j == len(prior) - 1:
        return base | {"record_text": f"{lab}: {_fmt(latest)} {measure}, not above {since} ({_fmt(prior[j])}); "
                                      f"rank {rank} of {len(v)}"}
    return base | {"record_text": f"{lab}: {_fmt(latest)} {measure}, the highest since {since} "
                                  f"({_fmt(prior[j])}); rank {rank} of {len(v)}"}


def _slope(v, idx, period: str, window: int | None, min_periods: int, caveats: list[str]) -> dict:
    # t is the period's position in the full series, so periods left out in the middle
    # (coverage gaps) leave a hole rather than squeezing the time axis.
    y, t = (v[-int(window):], idx[-int(window):]) if window else (v, idx)
    if len(y) < max(min_periods, 3):
        caveats.append(f"no trend slope: {len(y)} complete period(s), at least {max(min_periods, 3)} needed")
        return {}
    fit = poisson_trend(y, t)
    if fit is None:
        caveats.append("no trend slope: fewer than two periods with a non-zero value (the estimate does not exist)")
        return {}
    b, se = fit["b"], fit["se_b_quasi"]
    caveats.append(f"slope over the last {len(y)} periods; {METHOD}; dispersion phi = {fit['phi']:.2f}; "
                   f"periods are treated as independent (serial correlation would widen the interval)")
    return {"slope_pct": _pct(b), "slope_low_pct": _pct(b - Z95 * se), "slope_high_pct": _pct(b + Z95 * se),
            "slope_pct_per_year": _pct(b * P.PER_YEAR[period]), "dispersion": fit["phi"], "slope_periods": len(y)}


def _source_caveats(s, period: str, sources) -> list[str]:
    out = []
    if "ucdp_candidate" in sources:
        out.append("UCDP Candidate events are preliminary (monthly releases, revised when the next GED "
                   "release replaces them)")
    if any(x.startswith("ucdp") for x in sources):
        out.append("UCDP GED counts deaths only in conflicts that reach 25 battle-related deaths in a calendar year")
    if "acled" in sources:
        early = s and s[0] < ACLED_AFRICA_START
        out.append("ACLED covers Africa from 1997 and its sourcing has grown since: part of a long-run rise can be "
                   "reporting" + ("; periods before 1997 are not covered, not zero" if early else ""))
    return out


def trend_frames(frame, keys: list[str], measure: str, period: str, **kw):
    """Summaries of every series in a cube frame (one per combination of ``keys``).

    Returns ``(summary, series)``: one row per series, and the series with an
    ``included`` column (False for incomplete periods left out).
    """
    import polars as pl

    summaries, series = [], []
    groups = frame.partition_by(keys, maintain_order=True, as_dict=True) if keys else {(): frame}
    for key, g in groups.items():
        g = g.sort("period_start")
        starts, values = g["period_start"].to_list(), g[measure].to_list()
        res = summarise(starts, values, period, measure=measure, **kw)
        row = dict(zip(keys, key)) | res
        summaries.append(row)
        ok = complete_mask(starts, period, kw.get("data_start"), kw.get("data_end"), kw.get("start"), kw.get("end"),
                           kw.get("gaps", ()))
        inc = kw.get("include_incomplete", False)
        series.append(g.with_columns(pl.Series("included", [bool(o or inc) for o in ok], dtype=pl.Boolean)))
    summary = pl.DataFrame(summaries, infer_schema_length=None) if summaries else pl.DataFrame()
    return summary, (pl.concat(series, how="vertical_relaxed") if series else frame.clear())


__all__ = ["DEFAULT_MIN_PERIODS", "METHOD", "complete_mask", "coverage_gaps", "data_bounds", "poisson_trend",
           "summarise", "trend_frames"]
