"""Forecasters: the baselines, and the registry every model (built-in or plug-in) goes through.

A forecaster turns the history up to an origin into a predictive distribution for each
unit and horizon, given as draws: ``predict(history, horizons, draws, seed)`` returns a
``(units x horizons x draws)`` array, units in ``history.unit_ids`` order. ``history`` is
always ``panel.until(origin)``: a forecaster never sees the months after the origin.

The baselines are those of the 2023/24 VIEWS prediction challenge:

- ``zero``: every draw 0;
- ``last``: Poisson draws around the value of the origin month;
- ``bootstrap``: each unit samples from all units' last 12 observed months (the global
  benchmark);
- ``conflictology``: each unit samples from its own last 12 months.

Third-party forecasters register with :func:`register` or through the entry-point group
``sahelwatch.forecasters`` (a factory taking keyword parameters), the same door the
built-ins use.

Each model states its parameters' defaults in one place, its ``DEFAULTS`` mapping, and runs
with ``params``: those defaults merged with the parameters given (:func:`merge_params`,
which refuses a parameter the model does not have). A stored forecast's id covers these
effective parameters and the model's ``REVISION``, an int to bump when the model's output
changes for the same parameters, so a new default or a change of the code that alters
results makes a new forecast rather than one mistaken for the old.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from ..domain.errors import UsageError
from .panel import Panel, PanelError, month_label

WINDOW = 12  # months of history the bootstrap baselines sample from


@runtime_checkable
class Forecaster(Protocol):
    name: str
    REVISION: int  # bump when the model's output changes for the same parameters
    params: dict  # the parameters it runs with: its DEFAULTS merged with those given

    def min_history(self, horizons: tuple[int, ...]) -> int:
        """Months of history (up to and including the origin) the model needs."""

    def predict(self, history: Panel, horizons: tuple[int, ...], draws: int, seed: int):
        """``(units x horizons x draws)`` non-negative draws."""


def merge_params(model: str, defaults: Mapping, given: Mapping | None) -> dict:
    """``defaults`` overridden by ``given``: the parameters a model runs with. A parameter the
    model does not have is a :class:`UsageError` naming those it has."""
    given = dict(given or {})
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        what = f"unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}"
        if not defaults:
            raise UsageError(f"model {model}: {what}; it takes no parameters")
        raise UsageError(f"model {model}: {what}", choices=sorted(defaults))
    return {**defaults, **given}


def params_of(fc, given: Mapping | None = None) -> dict:
    """The parameters ``fc`` runs with (its ``params``); for a plug-in that does not say, those given."""
    p = getattr(fc, "params", None)
    return dict(p) if isinstance(p, Mapping) else dict(given or {})


def revision_of(fc) -> int | None:
    """``fc``'s ``REVISION``; None for a plug-in that states none."""
    r = getattr(fc, "REVISION", None)
    return None if r is None else int(r)


def _last_window(history: Panel, window: int = WINDOW):
    """``(units x window)`` of the last months, NaN where a unit had not started."""
    m = history.matrix()
    w = m[:, -window:]
    if w.shape[1] < window:
        import numpy as np

        w = np.concatenate([np.full((m.shape[0], window - w.shape[1]), np.nan), w], axis=1)
    return w


class _Baseline:
    """A baseline of the VIEWS challenge: no parameters, one month of history is enough."""

    name = "baseline"
    REVISION = 1  # bump when the model's output changes for the same parameters
    DEFAULTS: dict = {}

    def __init__(self, **params):
        self.params = merge_params(self.name, self.DEFAULTS, params)

    def min_history(self, horizons):
        return 1


class Zero(_Baseline):
    name = "zero"

    def predict(self, history, horizons, draws, seed):
        import numpy as np

        return np.zeros((history.units.height, len(horizons), draws))


class LastPoisson(_Baseline):
    name = "last"

    def predict(self, history, horizons, draws, seed):
        import numpy as np

        last = history.matrix()[:, -1]
        rng = np.random.default_rng(seed)
        lam = np.broadcast_to(last[:, None, None], (last.size, len(horizons), draws))
        return rng.poisson(lam).astype(float)


class Conflictology(_Baseline):
    """Each unit's own last 12 months as its distribution (fewer if its history is shorter)."""

    name = "conflictology"

    def predict(self, history, horizons, draws, seed):
        import numpy as np

        w = _last_window(history)
        rng = np.random.default_rng(seed)
        out = np.empty((w.shape[0], len(horizons), draws))
        for i, row in enumerate(w):
            vals = row[~np.isnan(row)]
            out[i] = rng.choice(vals, size=(len(horizons), draws), replace=True)
        return out


class GlobalBootstrap(_Baseline):
    """Every unit samples from the pool of all units' last 12 observed months."""

    name = "bootstrap"

    def predict(self, history, horizons, draws, seed):
        import numpy as np

        w = _last_window(history)
        pool = w[~np.isnan(w)]
        rng = np.random.default_rng(seed)
        return rng.choice(pool, size=(w.shape[0], len(horizons), draws), replace=True)


def _gbm(**params):
    from .gbm import GradientBoosting

    return GradientBoosting(**params)


_REGISTRY: dict = {
    "zero": Zero,
    "last": LastPoisson,
    "bootstrap": GlobalBootstrap,
    "conflictology": Conflictology,
    "gbm": _gbm,
}
BASELINES = ("zero", "last", "bootstrap", "conflictology")


def register(name: str, factory) -> None:
    """Make ``factory(**params) -> Forecaster`` available under ``name``."""
    _REGISTRY[name] = factory


def _plugins() -> None:
    from importlib.metadata import entry_points

    for ep in entry_points(group="sahelwatch.forecasters"):
        if ep.name not in _REGISTRY:
            _REGISTRY[ep.name] = ep.load()


def names() -> list[str]:
    _plugins()
    return list(_REGISTRY)


def get(name: str, **params) -> Forecaster:
    """The forecaster registered as ``name``; unknown names list the valid ones."""
    _plugins()
    key = (name or "").strip().lower()
    if key not in _REGISTRY:
        raise UsageError(f"unknown model {name!r}", choices=list(_REGISTRY))
    return _REGISTRY[key](**params)


def model_list(spec) -> list[str]:
    """``"zero,last,gbm"`` -> checked names, in order, without repeats."""
    items = spec if isinstance(spec, (list, tuple)) else str(spec or "").split(",")
    known = names()
    out = []
    for s in items:
        s = s.strip().lower()
        if s and s not in known:
            raise UsageError(f"unknown model {s!r}", choices=known)
        if s and s not in out:
            out.append(s)
    if not out:
        raise UsageError("no model named", choices=names())
    return out


def run(model: Forecaster, history: Panel, horizons: tuple[int, ...], draws: int, seed: int):
    """Checks, then ``model.predict``; returns the draws array, validated."""
    import numpy as np

    if draws < 1:
        raise UsageError(f"--draws must be at least 1, not {draws}")
    need = model.min_history(horizons)
    have = history.last_month - history.first_month + 1
    if have < need:
        raise PanelError(f"the panel is too short for model {model.name} at horizons {horizons[0]}-{horizons[-1]}: "
                         f"{have} months of history to {month_label(history.last_month)}, needs at least {need}")
    out = np.asarray(model.predict(history, horizons, draws, seed), dtype=float)
    expect = (history.units.height, len(horizons), draws)
    if out.shape != expect:
        raise PanelError(f"model {model.name} returned draws of shape {out.shape}, expected {expect}")
    if not np.isfinite(out).all() or (out < 0).any():
        raise PanelError(f"model {model.name} returned negative or non-finite draws")
    return out
