"""One conformance suite for every registered forecaster, then what each baseline promises."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from forecast.fc_data import FAST_GBM, WEST_AFRICA, views_panel

from sahelwatch import UsageError
from sahelwatch.forecast import models
from sahelwatch.forecast.panel import PanelError, from_frame
from sahelwatch.forecast.run import forecast

ALL = models.BASELINES + ("gbm",)


def _params(name):
    return FAST_GBM if name == "gbm" else None


@pytest.mark.parametrize("name", ALL)
def test_conformance_shape_counts_and_seed(name):
    p = views_panel(WEST_AFRICA)
    a = forecast(p, name, horizons="1-4", draws=30, seed=1, params=_params(name))
    assert a.draws.shape == (len(WEST_AFRICA), 4, 30)
    assert np.all(a.draws >= 0) and np.all(np.isfinite(a.draws))
    b = forecast(p, name, horizons="1-4", draws=30, seed=1, params=_params(name))
    np.testing.assert_array_equal(a.draws, b.draws)
    assert isinstance(models.get(name, **(_params(name) or {})), models.Forecaster)


@pytest.mark.parametrize("name", ALL)
def test_conformance_defaults_revision_and_unknown_parameters(name):
    fc = models.get(name)
    assert isinstance(fc.REVISION, int) and fc.REVISION >= 1
    assert set(fc.params) == set(type(fc).DEFAULTS)  # it runs with every parameter it states a default for
    given = _params(name) or {}
    assert models.get(name, **given).params == {**fc.params, **{k: list(v) if isinstance(v, tuple) else v
                                                               for k, v in given.items()}}
    with pytest.raises(UsageError, match=f"^model {name}: unknown parameter 'colour'"):
        models.get(name, colour="red")


def test_an_unknown_parameter_names_the_valid_ones():
    with pytest.raises(UsageError, match=r"^model gbm: unknown parameters 'colour', 'trees' \(valid: base, blend, "):
        models.get("gbm", trees=10, colour="red", n_estimators=10)
    with pytest.raises(UsageError, match=r"^model last: unknown parameter 'window'; it takes no parameters$"):
        models.get("last", window=6)


def test_a_plug_in_that_states_no_defaults_records_the_parameters_given(monkeypatch):
    class Flat:  # a third-party forecaster without DEFAULTS, params or REVISION
        name = "flat"

        def __init__(self, level=1.0):
            self.level = level

        def min_history(self, horizons):
            return 1

        def predict(self, history, horizons, draws, seed):
            return np.full((history.units.height, len(horizons), draws), self.level)

    monkeypatch.setitem(models._REGISTRY, "flat", Flat)
    res = forecast(views_panel(["MLI"]), "flat", horizons="1-2", draws=3, params={"level": 2.0})
    assert res.fitted_params == {"level": 2.0} and res.model_revision is None and res.draws.max() == 2.0


def test_unknown_model_lists_the_registry():
    with pytest.raises(UsageError, match=r"unknown model 'prophet' \(valid: zero, last, bootstrap, conflictology, gbm"):
        models.get("prophet")
    with pytest.raises(UsageError, match="unknown model 'nope'"):
        models.model_list("zero,nope")


def test_zero_and_last():
    p = views_panel(["MLI", "BFA", "NER"])
    assert not forecast(p, "zero", horizons="1-3", draws=10).draws.any()
    last = forecast(p, "last", horizons="1-2", draws=4000, seed=0)
    dec = dict(p.frame.filter(pl.col("month_id") == 528).select("unit", "value").iter_rows())
    for i, u in enumerate(last.units["unit"].to_list()):
        assert last.draws[i].mean() == pytest.approx(dec[u], rel=0.05)


def test_conflictology_samples_each_units_own_last_12_months():
    p = views_panel(["MLI", "BFA"])
    res = forecast(p, "conflictology", horizons="1-3", draws=500, seed=0)
    for i, u in enumerate(res.units["unit"].to_list()):
        own = set(p.frame.filter((pl.col("unit") == u) & (pl.col("month_id") > 516))["value"].to_list())
        assert set(np.unique(res.draws[i])) <= own


def test_global_bootstrap_pools_all_units_last_12_months():
    p = views_panel(["MLI", "BFA", "SWE"])
    res = forecast(p, "bootstrap", horizons="1-2", draws=3000, seed=0)
    pool = p.frame.filter(pl.col("month_id") > 516)["value"].to_numpy()
    assert set(np.unique(res.draws)) <= set(pool)
    # Sweden draws from the same pool as Mali: same distribution, whatever its own history
    assert res.draws[2].mean() == pytest.approx(pool.mean(), rel=0.15)


def test_gbm_quantiles_never_cross_and_draws_are_counts():
    from sahelwatch.forecast.gbm import _draws_from_quantiles

    rng = np.random.default_rng(0)
    Q = np.sort(rng.random((5, 3, 7)) * 5, axis=-1)
    d = _draws_from_quantiles(Q, (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95), 200, rng)
    assert np.array_equal(d, np.rint(d)) and d.min() >= 0
    med = np.median(d, axis=-1)
    assert np.allclose(med, np.rint(np.expm1(Q[..., 3])), atol=1)


def test_too_short_panel_and_unit_without_history_are_clear_errors():
    p = views_panel(["MLI", "BFA"])
    short = from_frame(pl.DataFrame({"unit": ["MLI"] * 5, "month": list(range(500, 505)), "value": [1.0] * 5}),
                       level="cm", target="fatalities_sb")
    with pytest.raises(PanelError, match="too short for model gbm at horizons 3-14: 5 months of history"):
        forecast(short, "gbm", horizons="3-14", draws=10)
    with pytest.raises(PanelError, match="unit NER has no history up to 2023-12"):
        forecast(p, "conflictology", horizons="1", draws=10, units=["NER"])
    with pytest.raises(PanelError, match="origin 2030-01 is after the panel's last month"):
        forecast(p, "zero", horizons="1", draws=10, origin=601)
    with pytest.raises(UsageError, match="bad horizon"):
        forecast(p, "zero", horizons="0-3")
