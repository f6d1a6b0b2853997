"""A gradient-boosting forecaster: LightGBM quantile regression, combined with conflictology, turned into draws.

One pooled model per quantile level over every unit, month and horizon (the horizon
and the target's calendar month are features), on log1p of the value. Quantile loss
at many levels is a discretised CRPS, so the model is trained for the score it is
judged by; log1p keeps the large conflicts from drowning the rest, and quantiles
commute with the monotone transform. The predicted quantiles are sorted (they never
cross) and interpolated at ``draws`` evenly spaced levels, mapped back with expm1.

That quantile function is then averaged, level by level on the count scale, with the
conflictology baseline's (each unit's last 12 months as an inverse CDF): a quantile
average ("Vincentization") of two forecasts, ``w * gbm + (1 - w) * conflictology``,
nondecreasing in the level because both are. The weight ``w`` is a fixed default of
0.5, justified independently of the benchmark: equal weights are the standard forecast
combination, which estimated weights rarely beat (the "forecast combination puzzle").
``blend="auto"`` chooses ``w`` instead by an inner backtest on the history only (see
:meth:`GradientBoosting.blend_weight`); on the benchmark's windows it did no better than
equal weights (one inner window is a noisy judge), so it is not the default.

``base="conflictology"`` makes each level's trees learn the residual from the unit's own
recent quantile (:func:`features.recent_quantiles`) rather than log1p itself; it is an
option, not the default (see BENCHMARKS.md for both).

The values are rounded to counts and shuffled: each draw is one sample of the predictive
distribution. LightGBM runs with ``deterministic=True`` and a fixed seed, so the same
history and seed give the same draws. It runs on one thread by default: on a busy
machine LightGBM's OpenMP threads spin against each other (measured: 2 threads took
13x longer than 1 under a load of 16 on 2 cores).
"""

from __future__ import annotations

from . import features
from .panel import Panel, month_label

#: weight of the gbm quantiles by default, and with ``blend="auto"`` when the history is too short
#: to choose it: equal weights, the forecast-combination default that estimated weights rarely beat
DEFAULT_BLEND = 0.5
INNER_DRAWS = 100  # levels at which the inner backtest evaluates the quantile functions
LEVELS = (0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98)


class GradientBoosting:
    name = "gbm"
    REVISION = 1  # bump when the model's output changes for the same parameters
    #: every parameter and its default: the one place they are stated (see models.merge_params)
    DEFAULTS = {"n_estimators": 120, "learning_rate": 0.06, "num_leaves": 15, "min_child_samples": 40,
                "levels": LEVELS, "horizons_per_row": 3, "train_months": None, "weight_power": 0.0, "threads": 1,
                "base": "none", "blend": DEFAULT_BLEND, "blend_min_history": 24}

    def __init__(self, **params):
        from ..domain.errors import UsageError
        from .models import merge_params

        p = merge_params(self.name, self.DEFAULTS, params)
        if p["base"] not in ("conflictology", "none"):
            raise UsageError(f"gbm: unknown base {p['base']!r}", choices=["conflictology", "none"])
        blend = p["blend"]
        if blend != "auto" and not (isinstance(blend, (int, float)) and 0.0 <= blend <= 1.0):
            raise UsageError(f"gbm: blend must be 'auto' or a weight in [0, 1], not {blend!r}")
        self.levels = tuple(sorted(float(a) for a in p["levels"]))
        # as run: the levels sorted, so levels given in another order are the same forecast
        self.params = {**p, "levels": list(self.levels)}
        self.last_fit: dict = {}

    def min_history(self, horizons) -> int:
        # at least a few origins whose shortest-horizon outcome is already known
        return horizons[0] + 6

    def _training_rows(self, F, have, lg, horizons, rng):
        import numpy as np

        n, T = lg.shape
        t_end = T - 1
        t_first = 0 if self.params["train_months"] is None else max(0, t_end - self.params["train_months"])
        keep = min(1.0, self.params["horizons_per_row"] / len(horizons))
        X, y, w, rows = [], [], [], []
        for h in horizons:
            ts = np.arange(t_first, t_end - h + 1)
            if ts.size == 0:
                continue
            ok = have[:, ts] & have[:, ts + h]
            if keep < 1.0:
                ok &= rng.random(ok.shape) < keep
            ui, ti = np.nonzero(ok)
            t = ts[ti]
            X.append(_design(F, ui, t, h))
            rows.append((ui, t))
            y.append(lg[ui, t + h])
            # raw-scale CRPS grows with the level of violence: weight rows by recent level^power
            w.append(np.expm1(np.nan_to_num(F["mean12"][ui, t])) + 1.0)
        if not X:
            return None, None, None, None
        rows = (np.concatenate([r[0] for r in rows]), np.concatenate([r[1] for r in rows]))
        return np.concatenate(X), np.concatenate(y), np.concatenate(w) ** self.params["weight_power"], rows

    def _quantiles(self, history: Panel, horizons, seed: int):
        """``(units x horizons x levels)`` predicted quantiles of log1p, sorted along the levels."""
        import lightgbm as lgb
        import numpy as np

        F = features.at_origin(history, history.last_month)
        y = history.matrix()
        have = ~np.isnan(y)
        lg = np.log1p(np.where(have, y, 0.0))
        rng = np.random.default_rng(seed)
        X, target, weight, rows = self._training_rows(F, have, lg, horizons, rng)
        if X is None or len(target) < 50:
            from .panel import PanelError

            raise PanelError(f"gbm: too few training rows ({0 if X is None else len(target)}) before the origin; "
                             "give a longer panel or shorter horizons")
        p = self.params
        base = dict(learning_rate=p["learning_rate"], num_leaves=p["num_leaves"], min_data_in_leaf=p["min_child_samples"],
                    feature_fraction=0.9, bagging_fraction=0.8, bagging_freq=1, lambda_l2=1.0, seed=seed,
                    deterministic=True, force_row_wise=True, num_threads=p["threads"], verbose=-1)
        data = lgb.Dataset(X, target, weight=weight if p["weight_power"] else None,
                           feature_name=[*features.NAMES, "horizon", "target_month"],
                           free_raw_data=False, params={"verbose": -1, "max_bin": 63})
        n, T = lg.shape
        t0 = T - 1
        ui = np.arange(n)
        Xp = np.concatenate([_design(F, ui, np.full(n, t0), h) for h in horizons])
        Q = np.empty((len(horizons) * n, len(self.levels)))
        if p["base"] == "conflictology":
            B = np.nan_to_num(features.recent_quantiles(history, self.levels))
            B_train, B_pred = B[rows[0], rows[1]], np.tile(B[:, t0], (len(horizons), 1))
        for k, a in enumerate(self.levels):
            if p["base"] == "conflictology":
                # the residual from the unit's own recent quantile; boost_from_average starts the trees at its
                # a-quantile (with init_score instead, a level where every residual has one sign never splits)
                data.set_label(target - B_train[:, k])
            booster = lgb.train({**base, "objective": "quantile", "alpha": a}, data, num_boost_round=p["n_estimators"])
            Q[:, k] = booster.predict(Xp, num_threads=p["threads"])
            if p["base"] == "conflictology":
                Q[:, k] += B_pred[:, k]
        fit = {"rows": int(len(target)), "levels": list(self.levels), "features": list(features.NAMES)}
        Q = np.sort(np.maximum(Q, 0.0), axis=1)  # quantiles never cross, never below 0
        return Q.reshape(len(horizons), n, len(self.levels)).transpose(1, 0, 2), fit

    def blend_weight(self, history: Panel, horizons, seed: int) -> dict:
        """The weight of the gbm quantiles against conflictology's, chosen on the history alone.

        Inner backtest: the model is fitted at ``origin - max(horizons)``, both distributions are
        scored (mean sample CRPS) on the months up to the origin, and the weight on the grid
        0, 0.1, .. 1 with the lowest score wins. When the history is too short for that (fewer
        than ``blend_min_history`` months at the inner origin) the weight is :data:`DEFAULT_BLEND`."""
        import numpy as np

        from .scoring import crps

        if self.params["blend"] != "auto":
            return {"weight": float(self.params["blend"]), "chosen_by": "fixed"}
        inner = history.last_month - max(horizons)
        if inner - history.first_month + 1 < self.params["blend_min_history"]:
            return {"weight": DEFAULT_BLEND, "chosen_by": "default (history too short for an inner backtest)"}
        past = history.until(inner)
        Q, _ = self._quantiles(past, horizons, seed)
        u = (np.arange(INNER_DRAWS) + 0.5) / INNER_DRAWS
        g = _values_at(Q, self.levels, u)
        c = np.broadcast_to(_empirical_quantiles(past, u)[:, None, :], g.shape)
        y = history.matrix()
        idx = {k: i for i, k in enumerate(history.unit_ids)}
        rows = np.array([idx[k] for k in past.unit_ids])
        cols = np.array([inner + h - history.first_month for h in horizons])
        Y = y[rows][:, cols]
        ok = ~np.isnan(Y)
        scores = {round(float(w), 1): float(crps(Y[ok], np.rint(w * g[ok] + (1 - w) * c[ok])).mean())
                  for w in np.linspace(0, 1, 11)}
        w = min(scores, key=scores.get)
        return {"weight": w, "chosen_by": f"inner backtest at {month_label(inner)}", "inner_crps": scores}

    def predict(self, history: Panel, horizons, draws: int, seed: int):
        import numpy as np

        Q, fit = self._quantiles(history, horizons, seed)
        blend = self.blend_weight(history, horizons, seed)
        self.last_fit = {**fit, "blend": blend}
        u = (np.arange(draws) + 0.5) / draws
        g = _values_at(Q, self.levels, u)
        w = blend["weight"]
        if w < 1.0:
            g = w * g + (1 - w) * _empirical_quantiles(history, u)[:, None, :]
        rng = np.random.default_rng(seed + 1)
        return rng.permuted(np.rint(g), axis=-1)


def _design(F, ui, t, h):
    import numpy as np

    cols = [F[name][ui, t] for name in features.NAMES]
    cols.append(np.full(ui.size, float(h)))
    cols.append(((t + h) % 12).astype(float))  # calendar month of the target, up to a constant shift
    return np.column_stack(cols).astype(np.float32)


def _draws_from_quantiles(Q, levels, draws: int, rng):
    """``Q``: (units x horizons x levels) on the log1p scale -> (units x horizons x draws) counts."""
    import numpy as np

    u = (np.arange(draws) + 0.5) / draws
    return rng.permuted(np.rint(_values_at(Q, levels, u)), axis=-1)


def _values_at(Q, levels, u):
    """The quantile function given by ``Q`` (log1p scale, levels ascending) at levels ``u``, as
    values (not rounded); nondecreasing in ``u``."""
    import numpy as np

    lv = np.asarray(levels)
    k = np.clip(np.searchsorted(lv, u) - 1, 0, len(lv) - 2)
    frac = (u - lv[k]) / (lv[k + 1] - lv[k])
    lo, hi = Q[..., k], Q[..., k + 1]
    vals = lo + frac * (hi - lo)
    vals = np.where(u < lv[0], Q[..., :1], vals)  # below the lowest level: hold the lowest quantile
    return np.expm1(np.maximum(vals, 0.0))


def _empirical_quantiles(history: Panel, u):
    """``(units x len(u))``: the conflictology distribution (each unit's last 12 months) at levels ``u``
    (its inverse CDF: the order statistic ``ceil(u * count)``)."""
    import numpy as np

    from .models import WINDOW

    m = history.matrix()[:, -WINDOW:]
    s = np.sort(m, axis=1)  # NaN (months before a unit's start) sort last
    c = (~np.isnan(m)).sum(axis=1)
    k = np.clip(np.ceil(u[None, :] * c[:, None]).astype(np.int64) - 1, 0, np.maximum(c - 1, 0)[:, None])
    return np.nan_to_num(np.take_along_axis(s, k, axis=1))
