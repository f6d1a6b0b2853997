"""Forecasts and rolling-origin backtests over a :class:`~.panel.Panel`.

:func:`forecast` fits one model at one origin and returns draws in the VIEWS
submission layout (``month_id``, unit id, ``draw``, ``outcome``) plus summary
quantiles. :func:`backtest` repeats that at several origins, scores every forecast
against what happened (:mod:`.scoring`) and keeps the scores per model, origin,
unit and horizon.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.errors import UsageError
from . import models as M
from .panel import Panel, PanelError, month_date, month_label

UNIT_COLUMN = {"cm": "country_id", "pgm": "priogrid_gid", "admin1": "admin1_code"}
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass
class ForecastResult:
    level: str
    target: str
    model: str
    origin: int
    horizons: tuple
    units: object  # polars frame: unit, name, country_iso3, gwno, first_month
    draws: object  # (units x horizons x draws)
    seed: int
    meta: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)  # the model parameters asked for (None: the model's defaults)
    fitted_params: dict = field(default_factory=dict)  # every parameter the model ran with (defaults merged)
    model_revision: int | None = None  # the model's REVISION (None: a plug-in that states none)
    history: object = field(default=None, repr=False)  # panel.until(origin): what the fit saw

    def __repr__(self) -> str:
        return (f"<ForecastResult {self.model} {self.target}: {self.units.height} units, origin {month_label(self.origin)}, "
                f"horizons {self.horizons[0]}-{self.horizons[-1]}, {self.draws.shape[2]} draws>")

    def _unit_values(self):
        ids = self.units["unit"].to_list()
        if self.level in ("cm", "pgm") and all(str(u).isdigit() for u in ids):
            return [int(u) for u in ids]  # VIEWS country_id / PRIO-GRID gid are integers
        return ids

    def to_views(self):
        """The VIEWS submission layout: ``month_id``, unit id, ``draw``, ``outcome`` (one row per draw)."""
        import numpy as np
        import polars as pl

        n, nh, d = self.draws.shape
        ids = np.array(self._unit_values(), dtype=object)
        months = self.origin + np.asarray(self.horizons)
        return pl.DataFrame({
            "month_id": np.repeat(np.tile(months, n), d).astype(np.int64),
            UNIT_COLUMN[self.level]: pl.Series(np.repeat(ids, nh * d).tolist()),
            "draw": np.tile(np.arange(d), n * nh).astype(np.int64),
            "outcome": self.draws.reshape(-1),
        })

    def summary(self):
        """Per unit and month: mean, the 5/25/50/75/95% quantiles and P(outcome >= 25)."""
        import numpy as np
        import polars as pl

        n, nh, d = self.draws.shape
        flat = self.draws.reshape(n * nh, d)
        q = np.quantile(flat, QUANTILES, axis=1)
        months = np.tile(self.origin + np.asarray(self.horizons), n)
        cols = {
            "unit": np.repeat(np.array(self.units["unit"].to_list(), dtype=object), nh).tolist(),
            "month_id": months.astype(np.int64),
            "month": [month_date(m) for m in months],
            "horizon": np.tile(np.asarray(self.horizons), n).astype(np.int64),
            "mean": flat.mean(axis=1),
            **{f"q{int(round(p * 100)):02d}": q[i] for i, p in enumerate(QUANTILES)},
            "p_ge25": (flat >= 25).mean(axis=1),
        }
        df = pl.DataFrame(cols)
        u = self.units.select("unit", "name", "country_iso3")
        return df.join(u, on="unit", how="left").select("unit", "name", "country_iso3", *[c for c in cols if c != "unit"])

    def write(self, path) -> list[str]:
        """The draws to ``path`` (VIEWS layout) and the summary beside it (``NAME.summary.parquet``).

        Both are written atomically after the fit: a failed fit leaves no file."""
        from pathlib import Path

        from ._files import check_frame_path, write_frame

        p = check_frame_path(path)
        summ = p.with_name(p.stem + ".summary" + p.suffix)
        meta = {"level": self.level, "target": self.target, "model": self.model, "origin": self.origin,
                "origin_month": month_label(self.origin), "horizons": list(self.horizons),
                "draws": int(self.draws.shape[2]), "seed": self.seed, **self.meta}
        write_frame(self.to_views(), p, meta=meta)
        write_frame(self.summary(), summ, meta=meta)
        return [str(p), str(Path(summ))]


def _history(panel: Panel, origin: int | None) -> tuple[Panel, int]:
    origin = panel.last_month if origin is None else int(origin)
    if origin > panel.last_month:
        raise PanelError(f"origin {month_label(origin)} is after the panel's last month ({month_label(panel.last_month)})")
    return panel.until(origin), origin


def check_units(history: Panel, wanted) -> list[str]:
    """Requested units that the history knows; a unit without history is a one-line error."""
    have = set(history.unit_ids)
    out = []
    for u in wanted:
        if u not in have:
            raise PanelError(f"unit {u} has no history up to {month_label(history.last_month)} in the "
                             f"{history.level} {history.target} panel")
        out.append(u)
    return out


def forecast(panel: Panel, model: str = "gbm", *, horizons=(1,), draws: int = 1000, seed: int = 0,
             origin: int | None = None, units=None, params: dict | None = None) -> ForecastResult:
    """Fit ``model`` on the panel up to ``origin`` (default: its last month) and draw forecasts."""
    import polars as pl

    from .panel import parse_horizons

    hs = parse_horizons(horizons)
    fc = M.get(model, **(params or {}))
    history, origin = _history(panel, origin)
    out = M.run(fc, history, hs, draws, seed)
    us = history.units
    if units:
        keep = check_units(history, list(units))
        mask = us["unit"].is_in(keep).to_numpy()
        out, us = out[mask], us.filter(pl.col("unit").is_in(keep))
    meta = {k: v for k, v in panel.meta.items() if k != "origin"}
    return ForecastResult(panel.level, panel.target, fc.name, origin, hs, us, out, seed, meta,
                          params=dict(params or {}), fitted_params=M.params_of(fc, params),
                          model_revision=M.revision_of(fc), history=history)


def origins_for(panel: Panel, n: int, horizons, step: int = 1, last: int | None = None) -> list[int]:
    """The ``n`` latest origins, ``step`` months apart, whose longest horizon the panel still covers."""
    if n < 1:
        raise UsageError(f"--origins must be at least 1, not {n}")
    if step < 1:
        raise UsageError(f"--step must be at least 1, not {step}")
    newest = panel.last_month - max(horizons) if last is None else int(last)
    if newest + max(horizons) > panel.last_month:
        raise PanelError(f"the panel is too short for horizon {max(horizons)}: it ends {month_label(panel.last_month)}, "
                         f"origin {month_label(newest)} needs outcomes to {month_label(newest + max(horizons))}")
    out = [newest - step * i for i in range(n)][::-1]
    if out[0] <= panel.first_month:
        raise PanelError(f"the panel is too short for {n} origins {step} month(s) apart before horizon "
                         f"{max(horizons)}: it covers {month_label(panel.first_month)}..{month_label(panel.last_month)}")
    return out


def backtest(panel: Panel, models=("zero", "last", "bootstrap", "conflictology", "gbm"), *, horizons=(1,),
             origins: int | list = 12, step: int = 1, draws: int = 1000, seed: int = 0,
             vintage=None, params: dict | None = None, progress=None):
    """Rolling-origin backtest. ``origins``: how many (the latest that the panel can score) or a
    list of month_ids. ``vintage(origin) -> Panel | None``: the panel as the store knew it at
    the origin (when snapshots allow); otherwise the latest data cut at the origin."""
    import numpy as np
    import polars as pl

    from .backtest_result import BacktestResult
    from .panel import parse_horizons
    from .scoring import pit, score_all

    hs = parse_horizons(horizons)
    names = M.model_list(models)
    if isinstance(origins, int):
        ors = origins_for(panel, origins, hs, step)
    else:
        ors = sorted(int(o) for o in origins)
        for o in ors:
            if o + max(hs) > panel.last_month:
                raise PanelError(f"the panel is too short for horizon {max(hs)} at origin {month_label(o)}: it ends "
                                 f"{month_label(panel.last_month)}")
    truth = panel.matrix()
    t_index = {u: i for i, u in enumerate(panel.unit_ids)}
    frames, vintages = [], []
    total = len(ors) * len(names)
    for oi, origin in enumerate(ors):
        known = vintage(origin) if vintage else None
        if known is not None and known.last_month < origin:
            known = None  # the store then had nothing up to the origin: fall back to today's data
        history = known.until(origin) if known is not None else panel.until(origin)
        vintages.append({"origin": origin, "vintage": bool(known is not None),
                         "snapshot": (known.meta.get("as_of") if known is not None else None)})
        for mi, name in enumerate(names):
            if progress:
                progress("backtest", oi * len(names) + mi, total)
            fc = M.get(name, **((params or {}).get(name, {})))
            d = M.run(fc, history, hs, draws, seed + oi)
            rows = np.array([t_index.get(u, -1) for u in history.unit_ids])
            ok = rows >= 0
            for hi, h in enumerate(hs):
                col = origin + h - panel.first_month
                y = truth[rows[ok], col]
                x = d[ok, hi, :]
                good = ~np.isnan(y)
                y, x = y[good], x[good]
                units = np.array(history.unit_ids, dtype=object)[ok][good]
                sc = score_all(y, x)
                q = np.quantile(x, [0.05, 0.5, 0.95], axis=1)
                frames.append(pl.DataFrame({
                    "model": [name] * y.size, "origin": np.full(y.size, origin, dtype=np.int64),
                    "horizon": np.full(y.size, h, dtype=np.int64), "month_id": np.full(y.size, origin + h, dtype=np.int64),
                    "unit": units.tolist(), "outcome": y, "q05": q[0], "q50": q[1], "q95": q[2],
                    **sc, "pit": pit(y, x, seed + oi * 1000 + hi)}))
    if progress:
        progress("backtest", total, total)
    scores = pl.concat(frames)
    n_v = sum(v["vintage"] for v in vintages)
    note = (f"vintage-aware: each of the {len(ors)} origins used the panel as the store held it then"
            if n_v == len(ors) else
            "not vintage-aware: each origin used today's data cut at the origin (later revisions included)"
            if n_v == 0 else
            f"partly vintage-aware: {n_v} of {len(ors)} origins used the store as it was then; the others today's "
            "data cut at the origin")
    meta = {"level": panel.level, "target": panel.target, "models": names, "origins": ors, "horizons": list(hs),
            "draws": draws, "seed": seed, "vintages": vintages, "vintage_note": note,
            **{k: v for k, v in panel.meta.items() if k not in ("origin",)}}
    return BacktestResult(scores, meta, panel.units)
