"""No model sees past its origin: features are causal, the builder refuses later data, and
changing every value after the origin changes no forecast."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from forecast.fc_data import FAST_GBM, WEST_AFRICA, views_panel

from sahelwatch.forecast import features, models
from sahelwatch.forecast.panel import Panel, PanelError
from sahelwatch.forecast.run import forecast

ORIGIN = 516  # 2022-12


def _future_scrambled(p: Panel) -> Panel:
    f = p.frame.with_columns(pl.when(pl.col("month_id") > ORIGIN).then(pl.col("value") * 7 + 1000)
                             .otherwise(pl.col("value")).alias("value"))
    return Panel(f, p.units, p.level, p.target, p.meta)


def test_every_feature_declares_a_lag_and_is_causal():
    p = views_panel(WEST_AFRICA)
    assert all(f.lag >= 0 for f in features.FEATURES) and len(set(features.NAMES)) == len(features.FEATURES)
    full = features.compute(p)
    cut = features.compute(p.until(ORIGIN))
    t = ORIGIN - p.first_month
    for name in features.NAMES:
        np.testing.assert_array_equal(full[name][:, : t + 1], cut[name], err_msg=name)


def test_the_feature_builder_refuses_to_read_past_the_origin():
    p = views_panel(WEST_AFRICA)
    with pytest.raises(PanelError, match="features at origin 2022-12 were handed data to 2023-12"):
        features.at_origin(p, ORIGIN)


@pytest.mark.parametrize("name", models.BASELINES + ("gbm",))
def test_changing_the_future_changes_no_forecast(name):
    p = views_panel(WEST_AFRICA)
    params = FAST_GBM if name == "gbm" else None
    a = forecast(p, name, horizons="1-6", draws=40, seed=3, origin=ORIGIN, params=params)
    b = forecast(_future_scrambled(p), name, horizons="1-6", draws=40, seed=3, origin=ORIGIN, params=params)
    np.testing.assert_array_equal(a.draws, b.draws)
    # and the scramble is real: the panels differ after the origin
    assert not p.frame.equals(_future_scrambled(p).frame)
