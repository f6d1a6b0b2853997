"""Forecasting: unit-month panels, baselines and a gradient-boosting model giving predictive
distributions (draws), scores as in the VIEWS prediction challenge, rolling-origin backtests.

Reached through ``obs.forecast`` (:class:`.namespace.ForecastNamespace`); the pieces:
:mod:`.panel` (the value object), :mod:`.builders` (from the store or a series frame),
:mod:`.features`, :mod:`.models` (registry and baselines), :mod:`.gbm`, :mod:`.scoring`,
:mod:`.run` (forecast, backtest), :mod:`.report` (Vega-Lite charts, the HTML report).
"""

from __future__ import annotations

from .panel import Panel, PanelError

__all__ = ["Panel", "PanelError"]
