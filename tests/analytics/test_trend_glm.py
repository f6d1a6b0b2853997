"""The trend slope (Poisson GLM by IRLS) against an independent computation, and the record logic."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sahelwatch.analytics.trend import poisson_trend, summarise


def profile_mle(y: list[float]) -> tuple[float, float]:
    """Slope of log E[y_t] = a + b t by bisection on the profile score, and its standard error from
    the numerical curvature of the profile log-likelihood. Plain Python, no IRLS.

    For fixed b the MLE of a is log(sum y / sum e^(b t)); the profile score
    sum t y - sum y * (sum t e^(b t) / sum e^(b t)) decreases in b."""
    t = list(range(len(y)))
    sy, sty = sum(y), sum(ti * yi for ti, yi in zip(t, y))

    def score(b: float) -> float:
        m = max(b * ti for ti in t)
        w = [math.exp(b * ti - m) for ti in t]
        return sty - sy * sum(ti * wi for ti, wi in zip(t, w)) / sum(w)

    lo, hi = -10.0, 10.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if score(mid) > 0:
            lo = mid
        else:
            hi = mid
    b = (lo + hi) / 2

    def loglik(bb: float) -> float:
        a = math.log(sy / sum(math.exp(bb * ti) for ti in t))
        return sum(yi * (a + bb * ti) for ti, yi in zip(t, y)) - sy

    h = 1e-4
    curv = (loglik(b + h) - 2 * loglik(b) + loglik(b - h)) / h**2
    return b, 1 / math.sqrt(-curv)


def test_exact_exponential_growth_has_the_closed_form_slope():
    fit = poisson_trend([10 * 2**t for t in range(6)])
    assert fit["b"] == pytest.approx(math.log(2), abs=1e-10)
    assert fit["phi"] == pytest.approx(0, abs=1e-8)
    flat = poisson_trend([7, 7, 7, 7, 7])
    assert flat["b"] == pytest.approx(0, abs=1e-12)
    # a constant series: Var(b) = 1 / (mu * sum (t - mean t)^2)
    assert flat["se_b"] == pytest.approx(1 / math.sqrt(7 * sum((t - 2) ** 2 for t in range(5))), rel=1e-9)


def test_no_estimate_where_the_mle_does_not_exist():
    assert poisson_trend([0, 0, 0, 0, 0]) is None
    assert poisson_trend([0, 0, 0, 0, 9]) is None  # all mass at one end: slope -> infinity
    assert poisson_trend([3, 4]) is None
    assert poisson_trend([5, 0, 0, 0, 9]) is not None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 800), min_size=3, max_size=40))
def test_irls_agrees_with_the_profile_likelihood(y):
    assume(sum(1 for v in y if v > 0) >= 2)
    fit = poisson_trend(y)
    b, se = profile_mle([float(v) for v in y])
    assume(abs(b) < 9)  # bisection bracket
    assert fit["b"] == pytest.approx(b, abs=1e-7)
    assert fit["se_b"] == pytest.approx(se, rel=2e-3)
    mu = [math.exp(fit["a"] + fit["b"] * t) for t in range(len(y))]
    pearson = sum((yi - m) ** 2 / m for yi, m in zip(y, mu))
    assert fit["phi"] == pytest.approx(pearson / (len(y) - 2), rel=1e-6, abs=1e-9)
    assert fit["se_b_quasi"] == pytest.approx(fit["se_b"] * math.sqrt(max(fit["phi"], 1.0)))


def _years(values: list[float], first: int = 2000):
    return [dt.date(first + i, 1, 1) for i in range(len(values))], values


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=1, max_size=25))
def test_record_and_highest_since(values):
    starts, vals = _years([float(v) for v in values])
    out = summarise(starts, vals, "year", min_periods=100)
    latest, prior = vals[-1], vals[:-1]
    assert out["latest_value"] == latest
    assert out["rank"] == 1 + sum(1 for v in prior if v > latest)
    if not prior:
        assert out["is_record"] is None
        return
    assert out["is_record"] == (latest > max(prior))
    if latest > max(prior):
        assert out["record_since"] is None
    else:
        j = max(i for i, v in enumerate(prior) if v >= latest)
        assert out["record_since"] == str(2000 + j)
        assert all(v < latest for v in prior[j + 1:])


def test_changes_and_wording():
    starts = [dt.date(2023, m, 1) for m in range(1, 13)] + [dt.date(2024, m, 1) for m in range(1, 4)]
    vals = [5, 9, 4, 20, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 12]
    out = summarise(starts, vals, "month")
    assert out["latest_period"] == "2024-03" and out["previous_value"] == 2
    assert out["change_previous"] == 10 and out["change_previous_pct"] == pytest.approx(500)
    assert out["last_year_period"] == "2023-03" and out["change_last_year_pct"] == pytest.approx(200)
    assert out["record_since"] == "2023-04" and "highest since 2023-04" in out["record_text"]
    assert out["slope_pct"] is not None and out["slope_low_pct"] < out["slope_pct"] < out["slope_high_pct"]


def test_incomplete_periods_are_left_out_and_said():
    starts = [dt.date(y, 1, 1) for y in range(2015, 2025)]
    vals = [1, 2, 3, 4, 5, 6, 7, 8, 9, 4]
    out = summarise(starts, vals, "year", data_start=dt.date(2015, 1, 1), data_end=dt.date(2024, 4, 30))
    assert out["latest_period"] == "2023" and out["is_record"] is True
    assert any("left out 1 incomplete or uncovered" in c and "2024" in c for c in out["caveats"])
    kept = summarise(starts, vals, "year", data_end=dt.date(2024, 4, 30), include_incomplete=True)
    assert kept["latest_period"] == "2024" and any("partial" in c for c in kept["caveats"])
    short = summarise(starts[:4], vals[:4], "year")
    assert short["slope_pct"] is None and any("no trend slope" in c for c in short["caveats"])
