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
            p = builders.panel_from_store(self._obs, level, target, as_of=as_of, country=countries)
        elif source.startswith("series:"):
            name = source.split(":", 1)[1]
            if not hasattr(self._obs, "series"):
                raise UsageError(f"--source {source}: this sahelwatch has no series store (obs.series); "
                                 "use --source store or --panel FILE")
            df = self._obs.series.table(name, check_target(target), country=countries or None, as_of=as_of)
            p = builders.panel_from_series_frame(df, target, level=level, series=name)
            info = next((x for x in self._obs.series.list() if x.get("series") == name), {})
            if info:  # the series' own provenance, not the event sources' citation
                p.meta["citation"] = (f"series {name}: {info.get('vintage') or 'vintage not stated'}"
                                      f" (file {info.get('file')}, snapshot {info.get('snapshot')})")
        else:
            raise UsageError(f"unknown source {source!r}", choices=["store", "series:NAME"])
        from .outlook import snapshot_read

        # what a stored forecast records: the snapshot read and the countries asked
        p.meta.update(snapshot=snapshot_read(self._obs, p.meta.get("source", source), p.target, as_of),
                      country=list(countries) if countries else None)
        return p

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

    # -- stored forecasts (HOME/forecasts/<id>/, see forecast/stored.py) ------------------------
    def spec(self, panel: Panel, model: str = "gbm", *, horizons="1-36", draws: int = 1000, seed: int = 0,
             origin=None, params: dict | None = None) -> dict:
        """The inputs that define a forecast (its id is their hash), known before the fit: the
        model's effective parameters (its defaults merged with ``params``) and its revision among them."""
        from . import models as M
        from .panel import parse_horizons, parse_month
        from .run import _history

        history, _ = _history(panel, None if origin is None else parse_month(origin))
        fc = M.get(model, **(params or {}))  # the model as it would be fitted: the same parameters
        return _stored().spec_of(history, model=fc.name, model_params=M.params_of(fc, params),
                                 revision=M.revision_of(fc), seed=seed, draws=draws,
                                 horizons=parse_horizons(horizons), units=history.unit_ids)

    def find(self, spec: dict):
        """The stored forecast with these inputs, or None."""
        st = _stored()
        return st.find(self._obs.home, st.id_of(spec))

    def save(self, result):
        """Keep ``result`` (from :meth:`run`) in the store; the :class:`~.stored.StoredForecast`.
        The same forecast saved twice is stored once: ``.new`` says whether this call wrote it."""
        from .outlook import caveats

        if result.history is None:
            raise UsageError("only a forecast made by obs.forecast.run can be saved (it keeps the panel it saw)")
        st = _stored()
        spec = st.spec_of(result.history, model=result.model, model_params=result.fitted_params,
                          revision=result.model_revision, seed=result.seed, draws=int(result.draws.shape[2]),
                          horizons=result.horizons, units=result.units["unit"])
        en, fr = caveats(self._obs, result.history)
        f, _ = st.save(self._obs.home, result, spec, caveats=en, caveats_fr=fr, given=result.params)
        return f

    def list(self) -> list[dict]:
        """The stored forecasts' manifests, oldest origin first."""
        return [f.manifest for f in _stored().list_all(self._obs.home)]

    def get(self, forecast_id: str):
        """One stored forecast by id (or a unique prefix); ``ForecastNotFound`` names the others."""
        return _stored().get(self._obs.home, forecast_id)

    def latest(self, unit: str | None = None, *, source: str | None = None, target: str | None = None):
        """The stored forecast with the latest origin (covering ``unit``), or None."""
        return _stored().choose(self._obs.home, units=[unit] if unit else (), source=source, target=target)

    def stored(self, units, months, *, source: str | None = None, as_of: int | None = None, origin=None) -> list[dict]:
        """Rows of the stored forecast made at ``origin`` (default: the month before the first of
        ``months``, i.e. with data to then only) for ``units`` and ``months``: median, 5-95% interval,
        the command that shows the row, the snapshot the model was fitted on, and the value
        observed since where the data now hold it. ``source``: a brief's event-store family
        (``ucdp``), ``store`` or ``series:NAME``; ``as_of``: only forecasts fitted on snapshots up
        to it (and observed values as of it). ``[]`` when none matches."""
        from .outlook import brief_rows
        from .panel import parse_month

        mids = sorted(parse_month(m) for m in months)
        if not mids:
            return []
        o = mids[0] - 1 if origin is None else parse_month(origin)
        units = [str(u).upper() for u in units]
        f = _stored().choose(self._obs.home, units=units, origin=o, source=source, as_of=as_of)
        return [] if f is None else brief_rows(self, f, units, mids, as_of=as_of)

    def chart(self, unit: str, forecast: str | None = None, *, lang: str = "en", history_months: int = 48,
              as_of: int | None = None) -> dict:
        """A stored forecast of one unit for a page: ``rows`` (quantiles and observed since per
        month, as the data hold them as of ``as_of``, default the latest), ``history``, ``meta``
        and ``vega_lite`` (the fan chart). Default: the latest forecast covering the unit."""
        from .outlook import chart

        f = self.get(forecast) if forecast else self.latest(unit)
        if f is None:
            st = _stored()
            raise st.ForecastNotFound(unit, [m["id"] for m in self.list()],
                                      f"no stored forecast covers {unit} (sahelwatch forecast ... --save)")
        return chart(self, f, unit, lang=lang, history_months=history_months, as_of=as_of)

    # -- charts -------------------------------------------------------------------------------
    @staticmethod
    def fan_chart(panel: Panel, result, unit: str, *, history_months: int = 48) -> dict:
        """A Vega-Lite fan chart spec: history, median, 50% and 90% intervals."""
        from .report import fan_chart_for
        from .run import check_units

        check_units(panel, [unit])
        summary = result.summary() if hasattr(result, "summary") else result
        return fan_chart_for(panel, summary, unit, history_months=history_months)


def _stored():
    from . import stored

    return stored
