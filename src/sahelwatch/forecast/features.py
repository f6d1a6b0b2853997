"""Features for the learned models: lags, rolling windows, decays, spatial lags.

Every feature declares its lag: the most recent month it reads, counted back from
the month it describes (0 = that month itself). :func:`compute` is causal by
construction (column ``t`` of each feature reads only columns ``<= t`` of the
panel) and :func:`at_origin` refuses a panel that runs past the origin, so a model
cannot see what happened after it. A test proves both.

Spatial lags need neighbours, which depend on the level: PRIO-GRID cells use their
eight adjacent cells; admin1 units the other admin1 units of the same country;
countries the other countries of the same Gleditsch-Ward block (the hundreds of the
GW number: 400s West/Central Africa, 500s East/Southern Africa, 600s Middle East...),
a coarse stand-in for borders, which the project does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from .panel import Panel, PanelError, month_label


@dataclass(frozen=True)
class Feature:
    name: str
    lag: int  # the most recent month read, counted back from the month described
    text: str


LAGS = (0, 1, 2, 3, 5, 11)
WINDOWS = (3, 6, 12, 36)
DECAYS = (1, 25, 100)  # months since a month with at least this many, as 2^(-months/12)

FEATURES: tuple[Feature, ...] = (
    *(Feature(f"lag{k}", k, f"log1p of the value {k} months before") for k in LAGS),
    *(Feature(f"mean{w}", 0, f"mean of log1p over the last {w} months") for w in WINDOWS),
    Feature("max12", 0, "largest log1p in the last 12 months"),
    Feature("nonzero12", 0, "share of the last 12 months with a nonzero value"),
    Feature("history_mean", 0, "mean of log1p over the unit's whole history"),
    *(Feature(f"decay{d}", 0, f"2^(-months since a month with >= {d}, / 12); 0 if never") for d in DECAYS),
    Feature("splag_lag0", 0, "mean log1p of the neighbours this month"),
    Feature("splag_mean12", 0, "mean over neighbours of their 12-month log1p mean"),
    Feature("global_mean3", 0, "mean over all units of the 3-month log1p mean"),
)
NAMES = tuple(f.name for f in FEATURES)


def neighbour_pairs(panel: Panel):
    """``(i, j)`` index arrays: unit ``j`` is a neighbour of unit ``i`` (never itself)."""
    import numpy as np

    units = panel.units
    n = units.height
    if panel.level == "pgm":
        idx = {}
        for i, u in enumerate(units["unit"].to_list()):
            try:
                idx[int(u)] = i
            except ValueError:
                continue
        pi, pj = [], []
        for gid, i in idx.items():
            for d in (-721, -720, -719, -1, 1, 719, 720, 721):
                j = idx.get(gid + d)
                if j is not None:
                    pi.append(i)
                    pj.append(j)
        return np.array(pi, dtype=np.int64), np.array(pj, dtype=np.int64)
    if panel.level == "admin1":
        keys = units["country_iso3"].to_list()
    else:
        keys = [None if g is None else g // 100 for g in units["gwno"].to_list()]
    groups: dict = {}
    for i, k in enumerate(keys):
        if k is not None:
            groups.setdefault(k, []).append(i)
    pi, pj = [], []
    for members in groups.values():
        if len(members) < 2:
            continue
        m = np.array(members)
        a, b = np.meshgrid(m, m, indexing="ij")
        keep = a != b
        pi.append(a[keep])
        pj.append(b[keep])
    if not pi:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    del n
    return np.concatenate(pi), np.concatenate(pj)


def _rolling_mean(x, have, w):
    import numpy as np

    cs = np.cumsum(np.where(have, x, 0.0), axis=1)
    cn = np.cumsum(have, axis=1).astype(float)
    pad = lambda a: np.concatenate([np.zeros((a.shape[0], w)), a], axis=1)[:, : a.shape[1]]  # noqa: E731
    s, c = cs - pad(cs), cn - pad(cn)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(c > 0, s / np.maximum(c, 1), np.nan)


def _shift(x, k):
    import numpy as np

    if k == 0:
        return x
    out = np.full_like(x, np.nan)
    out[:, k:] = x[:, :-k]
    return out


def compute(panel: Panel) -> dict:
    """Every feature for every unit and month of ``panel``: ``{name: (units x months) float32}``.

    Column ``t`` of each array reads only columns ``<= t - lag`` of the panel."""
    import numpy as np

    y = panel.matrix()
    have = ~np.isnan(y)
    lg = np.log1p(np.where(have, y, 0.0))
    lgn = np.where(have, lg, np.nan)
    out: dict = {}
    for k in LAGS:
        out[f"lag{k}"] = _shift(lgn, k)
    for w in WINDOWS:
        out[f"mean{w}"] = _rolling_mean(lg, have, w)
    win = np.lib.stride_tricks.sliding_window_view(np.concatenate([np.zeros((lg.shape[0], 11)), lg], axis=1), 12, axis=1)
    out["max12"] = win.max(axis=2)
    out["nonzero12"] = _rolling_mean((y > 0).astype(float), have, 12)
    out["history_mean"] = _rolling_mean(lg, have, lg.shape[1])
    n, T = y.shape
    for d in DECAYS:
        since = np.full(n, np.inf)
        dec = np.zeros((n, T))
        for t in range(T):
            since = np.where(have[:, t] & (y[:, t] >= d), 0.0, since + 1)
            dec[:, t] = np.exp2(-since / 12.0)
        out[f"decay{d}"] = dec
    pi, pj = neighbour_pairs(panel)
    for name, src in (("splag_lag0", lg), ("splag_mean12", np.nan_to_num(out["mean12"]))):
        s = np.zeros((n, T))
        c = np.zeros((n, T))
        if pi.size:
            np.add.at(s, pi, src[pj] * have[pj])
            np.add.at(c, pi, have[pj].astype(float))
        with np.errstate(invalid="ignore", divide="ignore"):
            out[name] = np.where(c > 0, s / np.maximum(c, 1), 0.0)
    m3 = out["mean3"]
    ok = ~np.isnan(m3)
    tot = np.where(ok, m3, 0.0).sum(axis=0)
    cnt = ok.sum(axis=0)
    g = np.where(cnt > 0, tot / np.maximum(cnt, 1), 0.0)
    out["global_mean3"] = np.broadcast_to(g, (n, T))
    for k in out:
        out[k] = np.where(have, out[k], np.nan).astype(np.float32)
    return out


#: the window of :func:`recent_quantiles`, the same 12 months the conflictology baseline samples from
RECENT = Feature("recent_quantiles", 0, "quantiles of log1p over the last 12 months (the conflictology distribution)")


def recent_quantiles(panel: Panel, levels, window: int = 12):
    """``(units x months x levels)`` float32: at month ``t``, the ``levels`` quantiles (linear
    interpolation between order statistics) of log1p over months ``t - window + 1 .. t`` that
    the unit has; NaN before its first month. Reads only columns ``<= t`` (lag 0)."""
    import numpy as np

    y = panel.matrix()
    have = ~np.isnan(y)
    lgn = np.where(have, np.log1p(np.where(have, y, 0.0)), np.nan).astype(np.float32)
    n, T = lgn.shape
    padded = np.concatenate([np.full((n, window - 1), np.nan, dtype=np.float32), lgn], axis=1)
    win = np.sort(np.lib.stride_tricks.sliding_window_view(padded, window, axis=1), axis=-1)  # NaN sort last
    c = (~np.isnan(win)).sum(axis=-1)
    out = np.full((n, T, len(levels)), np.nan, dtype=np.float32)
    for k, a in enumerate(levels):
        pos = a * np.maximum(c - 1, 0)
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, np.maximum(c - 1, 0))
        frac = (pos - lo).astype(np.float32)
        vlo = np.take_along_axis(win, lo[..., None], axis=-1)[..., 0]
        vhi = np.take_along_axis(win, hi[..., None], axis=-1)[..., 0]
        out[..., k] = np.where(have & (c > 0), vlo + frac * (vhi - vlo), np.nan)
    return out


def at_origin(panel: Panel, origin: int) -> dict:
    """Features of ``panel`` for model fitting at ``origin``; refuses a panel that goes past it."""
    if panel.last_month > origin:
        raise PanelError(f"features at origin {month_label(origin)} were handed data to {month_label(panel.last_month)}: "
                         "cut the panel with panel.until(origin) first")
    return compute(panel)
