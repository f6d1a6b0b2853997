"""How often past alerts came true: the alert rules replayed week by week over history.

Issue days are the Fridays (ends of ACLED weeks) in ``[start, end]``. On each, every
unit's rule is evaluated from the events dated up to that day (as-of by date: the
store's current versions, so later revisions of old events are used — pass ``as_of`` to
the facade to replay an older snapshot instead), and its question is resolved from the 4
weeks after it. Unit-days whose resolution date is past the store's last event, or
without the history the rule needs, are left out and counted.

For each kind, against the truth "the question resolved yes":

- the **alert rule**: alert = predicted yes; stated probability = the alert's calibrated
  probability, and without an alert the unit's own base rate (the baseline's forecast) —
  so the Brier skill measures what the alerts add to the baseline;
- the **baseline** (naive): each unit's own past base rate of a yes, predicted yes when
  it is at least 0.5.

Reported: hit rate (precision, TP/(TP+FP)), false-alarm ratio (FP/(TP+FP)), false-alarm
rate (probability of false detection, FP/(FP+TN)), recall (TP/(TP+FN)), Brier score of
the stated probabilities over all scored unit-days, Brier score over the alerts alone, and
the Brier skill score of the rule against the baseline (1 - BS_rule / BS_baseline).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..domain.errors import UsageError
from . import alerts as al
from ._windows import day_number

RULE = "alert rule"
BASELINE = "baseline: unit base rate"


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def metrics(kind: str, method: str, predicted: np.ndarray, truth: np.ndarray, prob: np.ndarray,
            alert_prob: np.ndarray | None = None) -> dict:
    tp = int((predicted & truth).sum())
    fp = int((predicted & ~truth).sum())
    fn = int((~predicted & truth).sum())
    tn = int((~predicted & ~truth).sum())
    n = truth.size
    brier = float(np.mean((prob - truth) ** 2)) if n else None
    on_alerts = None
    if alert_prob is not None and predicted.any():
        on_alerts = round(float(np.mean((alert_prob[predicted] - truth[predicted]) ** 2)), 4)
    return {"kind": kind, "method": method, "scored": n, "predicted_yes": tp + fp, "hits": tp,
            "false_alarms": fp, "misses": fn, "correct_negatives": tn,
            "base_rate": _ratio(tp + fn, n), "hit_rate": _ratio(tp, tp + fp),
            "false_alarm_ratio": _ratio(fp, tp + fp), "false_alarm_rate": _ratio(fp, fp + tn),
            "recall": _ratio(tp, tp + fn), "brier": round(brier, 4) if brier is not None else None,
            "brier_on_alerts": on_alerts, "brier_skill": None}


def score(con, sources, *, unit: str, start: dt.date, end: dt.date, kinds, th: al.AlertThresholds,
          data_start: dt.date, data_end: dt.date, countries=(), measure: str = "events"):
    """``(summary, detail, counts)``: metrics per kind and method; every alert replayed in the
    range with its stated probability and outcome; counts of unit-days left out."""
    import polars as pl

    if start > end:
        raise UsageError(f"empty date range: from {start} is after to {end}")
    daily, units, daily_types, type_units = al.load(con, sources, unit, kinds, countries=countries, measure=measure)
    first = start - dt.timedelta(days=th.calibration_weeks * 7 + th.horizon_days + 7)
    days = al.fridays(first, end)
    s_n, e_n = int(day_number(start)), int(day_number(end))
    in_range = (days >= s_n) & (days <= e_n)
    if not in_range.any():
        raise UsageError(f"empty date range: no Friday (end of an ACLED week) between {start} and {end}")
    panels = al.evaluate(daily, units, days, kinds, th, int(day_number(data_start)), int(day_number(data_end)),
                         daily_types, type_units)
    rows, details, counts = [], [], {}
    for kind, p in panels.items():
        probs = al.calibrate(p, th)
        window = np.broadcast_to(in_range, p.alert.shape)
        mask = window & p.evaluable & p.resolvable
        counts[kind] = {"issue_days": int(in_range.sum()), "units": p.units.height,
                        "scored": int(mask.sum()),
                        "left_out_unresolved": int((window & p.evaluable & ~p.resolvable).sum()),
                        "left_out_no_history": int((window & ~p.evaluable).sum())}
        truth = p.outcome[mask]
        predicted = p.alert[mask]
        p_alert = np.broadcast_to(probs["alert"], p.alert.shape)[mask]
        p_base = probs["baseline"][mask]
        p_rule = np.where(predicted, p_alert, p_base)
        rule = metrics(kind, RULE, predicted, truth, p_rule, p_alert)
        base = metrics(kind, BASELINE, p_base >= 0.5, truth, p_base)
        if rule["brier"] is not None and base["brier"]:
            rule["brier_skill"] = round(1 - rule["brier"] / base["brier"], 4)
        rows += [rule, base]
        details.append(al.alert_rows(p, probs, np.nonzero(in_range)[0], th, unit, measure))
    schema = {"kind": pl.String, "method": pl.String, "scored": pl.Int64, "predicted_yes": pl.Int64,
              "hits": pl.Int64, "false_alarms": pl.Int64, "misses": pl.Int64, "correct_negatives": pl.Int64,
              "base_rate": pl.Float64, "hit_rate": pl.Float64, "false_alarm_ratio": pl.Float64,
              "false_alarm_rate": pl.Float64, "recall": pl.Float64, "brier": pl.Float64,
              "brier_on_alerts": pl.Float64, "brier_skill": pl.Float64}
    summary = pl.DataFrame(rows, schema=schema)
    detail = pl.concat(details) if details else pl.DataFrame(schema=al.alert_schema())
    return summary, detail.sort(["issued", "kind", "unit"]), counts
