"""``obs.forecast``: panels, forecasts, backtests and fan charts on the observatory's data.

    >>> import sahelwatch
    >>> obs = sahelwatch.open("~/sahelwatch-home")                       # doctest: +SKIP
    >>> panel = obs.forecast.panel("cm", "fatalities_sb")                # doctest: +SKIP
    >>> fc = obs.forecast.run(panel, "gbm", horizons="1-36")             # doctest: +SKIP
    >>> fc.write("forecast.parquet")                                     # doctest: +SKIP
    >>> obs.forecast.backtest(panel, horizons="1-36", origins=12).report("backtest.html")  # doctest: +SKIP
"""

from __future__ import annotations

from ..domain.errors import UsageError
from . import builders
from .panel import Panel, check_target


class ForecastNamespace:
    """The forecasting door of an :class:`~sahelwatch.api.Observatory`."""

    def __init__(self, obs):
        self._obs = obs

    def __repr__(self) -> str:
        return f"<ForecastNamespace {self._obs.home}>"

    # -- panels -------------------------------------------------------------------------------
    def panel(self, level: str = "cm", target: str = "fatalities_sb", *, as_of: int | None = None,
              country=None, source: str = "store") -> Panel:
        """A panel from the store (``source="store"``) or an ingested series (``"series:NAME"``)."""
        from ..domain.args import iso3_list

        countries = iso3_list(country)
        if source == "store":
            return builders.panel_from_store(self._obs, level, target, as_of=as_of, country=countries)
        if source.startswith("series:"):
            name = source.split(":", 1)[1]
            if not hasattr(self._obs, "series"):
                raise UsageError(f"--source {source}: this sahelwatch has no series store (obs.series); "
                                 "use --source store or --panel FILE")
            df = self._obs.series.table(name, check_target(target), country=countries or None, as_of=as_of)
            return builders.panel_from_series_frame(df, target, level=level, series=name)
        raise UsageError(f"unknown source {source!r}", choices=["store", "series:NAME"])

    @staticmethod
    def from_frame(df, *, level: str, target: str, units=None, meta=None) -> Panel:
        from .panel import from_frame

        return from_frame(df, level=level, target=target, units=units, meta=meta)

    @staticmethod
    def from_series_frame(df, target: str) -> Panel:
        return builders.panel_from_series_frame(df, target)

    @staticmethod
    def read_panel(path) -> Panel:
        from .panel import read

        return read(path)

    # -- models -------------------------------------------------------------------------------
    @staticmethod
    def models() -> list[str]:
        from .models import names

        return names()

    @staticmethod
    def run(panel: Panel, model: str = "gbm", *, horizons="1-36", draws: int = 1000, seed: int = 0,
            origin=None, units=None, params: dict | None = None):
        """Forecast ``horizons`` months after ``origin`` (default the panel's last month)."""
        from .panel import parse_month
        from .run import forecast

        return forecast(panel, model, horizons=horizons, draws=draws, seed=seed,
                        origin=None if origin is None else parse_month(origin), units=units, params=params)

    def backtest(self, panel: Panel, models=("zero", "last", "bootstrap", "conflictology", "gbm"), *,
                 horizons="1-36", origins: int = 12, step: int = 1, draws: int = 1000, seed: int = 0,
                 vintage: bool = True, params: dict | None = None, progress=None):
        """Rolling-origin backtest. For store panels with ``vintage=True``, each origin uses the
        store as it was when its data first reached the origin month (where snapshots allow)."""
        from .run import backtest

        v = None
        if vintage and panel.meta.get("source") == "store":
            v = builders.store_vintages(self._obs, panel.level, panel.target, country=panel.meta.get("country"))
        return backtest(panel, models, horizons=horizons, origins=origins, step=step, draws=draws, seed=seed,
                        vintage=v, params=params, progress=progress)

    # -- charts -------------------------------------------------------------------------------
    @staticmethod
    def fan_chart(panel: Panel, result, unit: str, *, history_months: int = 48) -> dict:
        """A Vega-Lite fan chart spec: history, median, 50% and 90% intervals."""
        from .report import fan_chart_for
        from .run import check_units

        check_units(panel, [unit])
        summary = result.summary() if hasattr(result, "summary") else result
        return fan_chart_for(panel, summary, unit, history_months=history_months)
