"""The gradient-boosting forecaster: boosted from the conflictology quantiles, combined with them by
a weight chosen on the history only, deterministic, quantiles that never cross, and better than the
naive baselines on a seeded synthetic panel where the past does say something about the future."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from forecast.fc_data import FAST_GBM, WEST_AFRICA, views_panel

from sahelwatch.forecast import features, models
from sahelwatch.forecast.gbm import _empirical_quantiles, _values_at
from sahelwatch.forecast.panel import Panel, from_frame
from sahelwatch.forecast.run import backtest, forecast

ORIGIN = 516  # 2022-12
#: the inner backtest runs on the 24 months of the test panel to ORIGIN (inner origin 2022-06)
INNER = {**FAST_GBM, "blend": "auto", "blend_min_history": 12}


def _synthetic_panel(units: int = 40, months: int = 96, seed: int = 7) -> Panel:
    """Negative-binomial counts around a persistent unit level that drifts slowly (log AR(1)),
    most units at peace: the shape of country-month fatalities, seeded."""
    rng = np.random.default_rng(seed)
    level = rng.normal(0.0, 2.0, units) - 1.0
    x = np.empty((units, months))
    state = level.copy()
    for t in range(months):
        state = level + 0.9 * (state - level) + rng.normal(0, 0.3, units)
        mu = np.exp(state)
        x[:, t] = rng.negative_binomial(2, 2 / (2 + mu))
    df = pl.DataFrame({"unit": np.repeat([f"U{i:02d}" for i in range(units)], months),
                       "month": np.tile(np.arange(400, 400 + months), units), "value": x.reshape(-1)})
    return from_frame(df, level="cm", target="fatalities_sb")


def test_recent_quantiles_are_the_last_12_months_quantiles_and_causal():
    p = views_panel(WEST_AFRICA)
    levels = (0.1, 0.5, 0.9)
    full = features.recent_quantiles(p, levels)
    cut = features.recent_quantiles(p.until(ORIGIN), levels)
    t = ORIGIN - p.first_month
    np.testing.assert_array_equal(full[:, : t + 1], cut)
    i = p.unit_ids.index("BFA")
    last12 = np.log1p(p.matrix()[i, t - 11: t + 1])
    np.testing.assert_allclose(full[i, t], np.quantile(last12, levels), rtol=1e-5)
    # a unit's first month: one month of history, every quantile is that month
    assert features.RECENT.lag == 0
    np.testing.assert_allclose(full[i, 0], np.log1p(p.matrix()[i, 0]), rtol=1e-6)


def test_empirical_quantiles_are_conflictologys_inverse_cdf():
    p = views_panel(["MLI", "BFA", "NER"]).until(ORIGIN)
    u = (np.arange(50) + 0.5) / 50
    q = _empirical_quantiles(p, u)
    last = p.matrix()[:, -12:]
    for i in range(3):
        np.testing.assert_array_equal(q[i], np.quantile(last[i], u, method="inverted_cdf"))


def test_quantile_function_never_decreases():
    rng = np.random.default_rng(0)
    Q = np.sort(rng.random((6, 4, 5)) * 6, axis=-1)
    v = _values_at(Q, (0.05, 0.25, 0.5, 0.75, 0.95), (np.arange(300) + 0.5) / 300)
    assert (np.diff(v, axis=-1) >= 0).all() and v.min() >= 0


@pytest.mark.parametrize("blend,base", [("auto", "none"), (0.3, "conflictology"), (0.5, "none")])
def test_gbm_is_deterministic_with_a_seed_and_draws_are_counts(blend, base):
    p = views_panel(WEST_AFRICA)
    params = {**INNER, "blend": blend, "base": base}
    a = forecast(p, "gbm", horizons="1-6", draws=50, seed=4, origin=ORIGIN, params=params)
    b = forecast(p, "gbm", horizons="1-6", draws=50, seed=4, origin=ORIGIN, params=params)
    np.testing.assert_array_equal(a.draws, b.draws)
    assert np.array_equal(a.draws, np.rint(a.draws)) and a.draws.min() >= 0
    c = forecast(p, "gbm", horizons="1-6", draws=50, seed=5, origin=ORIGIN, params=params)
    assert not np.array_equal(a.draws, c.draws)


def test_blend_weight_zero_is_conflictologys_distribution_and_one_the_models():
    p = views_panel(["MLI", "BFA", "NER", "TCD", "NGA", "CMR", "SDN", "CAF"])
    hist = p.until(ORIGIN)
    only_c = models.run(models.get("gbm", **{**FAST_GBM, "blend": 0.0}), hist, (1, 2, 3), 60, 0)
    last = hist.matrix()[:, -12:]
    for i in range(last.shape[0]):
        assert set(np.unique(only_c[i])) <= set(last[i])
    only_g = models.run(models.get("gbm", **{**FAST_GBM, "blend": 1.0}), hist, (1, 2, 3), 60, 0)
    half = models.run(models.get("gbm", **{**FAST_GBM, "blend": 0.5}), hist, (1, 2, 3), 60, 0)
    # the quantile average sits between the two quantile functions, draw for draw once sorted
    lo = np.minimum(np.sort(only_c, axis=-1), np.sort(only_g, axis=-1))
    hi = np.maximum(np.sort(only_c, axis=-1), np.sort(only_g, axis=-1))
    h = np.sort(half, axis=-1)
    assert (h >= lo - 1).all() and (h <= hi + 1).all()
    assert not np.array_equal(only_g, only_c)


def test_inner_backtest_reads_nothing_after_the_origin():
    p = views_panel(WEST_AFRICA)
    scrambled = Panel(p.frame.with_columns(pl.when(pl.col("month_id") > ORIGIN).then(pl.col("value") * 7 + 1000)
                                           .otherwise(pl.col("value")).alias("value")), p.units, p.level, p.target, p.meta)
    fits = []
    for panel in (p, scrambled):
        m = models.get("gbm", **INNER)
        d = models.run(m, panel.until(ORIGIN), (1, 2, 3, 4, 5, 6), 40, 3)
        fits.append((d, m.last_fit["blend"]))
    np.testing.assert_array_equal(fits[0][0], fits[1][0])
    assert fits[0][1] == fits[1][1]
    blend = fits[0][1]
    assert blend["chosen_by"] == "inner backtest at 2022-06"  # origin 2022-12 minus the longest horizon
    assert min(blend["inner_crps"], key=blend["inner_crps"].get) == blend["weight"]


def test_short_history_falls_back_to_the_default_weight():
    p = views_panel(WEST_AFRICA)
    m = models.get("gbm", **{**FAST_GBM, "blend": "auto"})  # 24 months needed, 18 before the inner origin
    models.run(m, p.until(ORIGIN), (1, 2, 3, 4, 5, 6), 20, 0)
    assert m.last_fit["blend"]["weight"] == 0.5 and m.last_fit["blend"]["chosen_by"].startswith("default")


def test_gbm_beats_zero_and_the_global_bootstrap_on_a_synthetic_panel():
    p = _synthetic_panel()
    res = backtest(p, ["zero", "bootstrap", "conflictology", "gbm"], horizons="1-6", origins=2, step=6, draws=200,
                   seed=0, params={"gbm": {**FAST_GBM, "n_estimators": 40}})
    crps = dict(res.overall().select("model", "crps").iter_rows())
    assert crps["gbm"] < 0.8 * crps["zero"]
    assert crps["gbm"] < 0.8 * crps["bootstrap"]
    assert crps["gbm"] < 1.1 * crps["conflictology"]


def test_bad_blend_or_base_is_a_usage_error():
    from sahelwatch import UsageError

    with pytest.raises(UsageError, match="blend must be 'auto' or a weight in"):
        models.get("gbm", blend=1.5)
    with pytest.raises(UsageError, match="unknown base 'mean'"):
        models.get("gbm", base="mean")
