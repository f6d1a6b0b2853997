"""A gradient-boosting forecaster: LightGBM quantile regression turned into draws.

One pooled model per quantile level over every unit, month and horizon (the horizon
and the target's calendar month are features), on log1p of the value. Quantile loss
at many levels is a discretised CRPS, so the model is trained for the score it is
judged by; log1p keeps the large conflicts from drowning the rest, and quantiles
commute with the monotone transform. The predicted quantiles are sorted (they never
cross), interpolated at ``draws`` evenly spaced levels, mapped back with expm1 and
rounded to counts, then shuffled: each draw is one sample of the predictive
distribution. LightGBM runs with ``deterministic=True`` and a fixed seed, so the same
history and seed give the same draws. It runs on one thread by default: on a busy
machine LightGBM's OpenMP threads spin against each other (measured: 2 threads took
13x longer than 1 under a load of 16 on 2 cores).
"""

from __future__ import annotations

from . import features
from .panel import Panel

LEVELS = (0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98)


class GradientBoosting:
    name = "gbm"

    def __init__(self, *, n_estimators: int = 120, learning_rate: float = 0.06, num_leaves: int = 15,
                 min_child_samples: int = 40, levels=LEVELS, horizons_per_row: int = 3,
                 train_months: int | None = None, weight_power: float = 0.0, threads: int = 1):
        self.params = dict(n_estimators=n_estimators, learning_rate=learning_rate, num_leaves=num_leaves,
                           min_child_samples=min_child_samples, horizons_per_row=horizons_per_row,
                           train_months=train_months, weight_power=weight_power, threads=threads)
        self.levels = tuple(sorted(levels))
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
        X, y, w = [], [], []
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
            y.append(lg[ui, t + h])
            # raw-scale CRPS grows with the level of violence: weight rows by recent level^power
            w.append(np.expm1(np.nan_to_num(F["mean12"][ui, t])) + 1.0)
        if not X:
            return None, None, None
        return np.concatenate(X), np.concatenate(y), np.concatenate(w) ** self.params["weight_power"]

    def predict(self, history: Panel, horizons, draws: int, seed: int):
        import lightgbm as lgb
        import numpy as np

        F = features.at_origin(history, history.last_month)
        y = history.matrix()
        have = ~np.isnan(y)
        lg = np.log1p(np.where(have, y, 0.0))
        rng = np.random.default_rng(seed)
        X, target, weight = self._training_rows(F, have, lg, horizons, rng)
        if X is None or len(target) < 50:
            from .panel import PanelError

            raise PanelError(f"gbm: too few training rows ({0 if X is None else len(target)}) before the origin; "
                             "give a longer panel or shorter horizons")
        p = self.params
        base = dict(learning_rate=p["learning_rate"], num_leaves=p["num_leaves"], min_data_in_leaf=p["min_child_samples"],
                    feature_fraction=0.9, bagging_fraction=0.8, bagging_freq=1, lambda_l2=1.0, seed=seed,
                    deterministic=True, force_row_wise=True, num_threads=p["threads"], verbose=-1)
        data = lgb.Dataset(X, target, weight=weight if p["weight_power"] else None, feature_name=[*features.NAMES, "horizon", "target_month"],
                           free_raw_data=False, params={"verbose": -1, "max_bin": 63})
        n, T = lg.shape
        t0 = T - 1
        ui = np.arange(n)
        Xp = np.concatenate([_design(F, ui, np.full(n, t0), h) for h in horizons])
        Q = np.empty((len(horizons) * n, len(self.levels)))
        for k, a in enumerate(self.levels):
            booster = lgb.train({**base, "objective": "quantile", "alpha": a}, data, num_boost_round=p["n_estimators"])
            Q[:, k] = booster.predict(Xp, num_threads=p["threads"])
        self.last_fit = {"rows": int(len(target)), "levels": list(self.levels), "features": list(features.NAMES)}
        Q = np.sort(np.maximum(Q, 0.0), axis=1)  # quantiles never cross, never below 0
        Q = Q.reshape(len(horizons), n, len(self.levels)).transpose(1, 0, 2)
        return _draws_from_quantiles(Q, self.levels, draws, rng)


def _design(F, ui, t, h):
    import numpy as np

    cols = [F[name][ui, t] for name in features.NAMES]
    cols.append(np.full(ui.size, float(h)))
    cols.append(((t + h) % 12).astype(float))  # calendar month of the target, up to a constant shift
    return np.column_stack(cols).astype(np.float32)


def _draws_from_quantiles(Q, levels, draws: int, rng):
    """``Q``: (units x horizons x levels) on the log1p scale -> (units x horizons x draws) counts."""
    import numpy as np

    lv = np.asarray(levels)
    u = (np.arange(draws) + 0.5) / draws
    k = np.clip(np.searchsorted(lv, u) - 1, 0, len(lv) - 2)
    frac = (u - lv[k]) / (lv[k + 1] - lv[k])
    lo, hi = Q[..., k], Q[..., k + 1]
    vals = lo + frac * (hi - lo)
    vals = np.where(u < lv[0], Q[..., :1], vals)  # below the lowest level: hold the lowest quantile
    out = np.rint(np.expm1(np.maximum(vals, 0.0)))
    return rng.permuted(out, axis=-1)
