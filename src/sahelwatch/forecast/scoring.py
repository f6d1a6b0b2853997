"""Scores for sample (draw) forecasts, as the 2023/24 VIEWS prediction challenge computes them.

All functions take ``y`` of shape ``(n,)`` and draws ``x`` of shape ``(n, m)`` and return one
score per row (lower is better except coverage):

- :func:`crps`: sample CRPS, ``E|X - y| - E|X - X'| / 2`` over the empirical distribution of
  the draws (the estimator properscoring and scoringrules' ``nrg`` use; a test checks both
  to 1e-9);
- :func:`ignorance`: the challenge's binned log score: draws and outcome put in the bins
  ``[0, 0.5), [0.5, 2.5), ... [1000.5, inf)``, one pseudo-draw added to every bin so no
  probability is 0, ``-log2 p(bin of y)``;
- :func:`interval_score`: the (mean) interval score of the central ``1 - alpha`` interval
  from the draws' quantiles (MIS at 90% with ``alpha=0.1``);
- :func:`covered`, :func:`brier`, :func:`log_median_error`, :func:`pit`.
"""

from __future__ import annotations

IGN_BINS = (0, 0.5, 2.5, 5.5, 10.5, 25.5, 50.5, 100.5, 250.5, 500.5, 1000.5)
BRIER_THRESHOLD = 25
SCORES = ("crps", "ign", "mis90", "cover50", "cover90", "brier25", "mse_log_median")
SCORE_TEXT = {
    "crps": "sample CRPS (deaths; lower is better)",
    "ign": "ignorance score with the VIEWS challenge bins (bits; lower is better)",
    "mis90": "interval score of the central 90% interval (lower is better)",
    "cover50": "share of outcomes inside the central 50% interval (0.5 is calibrated)",
    "cover90": "share of outcomes inside the central 90% interval (0.9 is calibrated)",
    "brier25": "Brier score for 'at least 25' (lower is better)",
    "mse_log_median": "squared error of log1p(median) against log1p(outcome)",
}


def _arrays(y, x):
    import numpy as np

    y = np.asarray(y, dtype=float).reshape(-1)
    x = np.asarray(x, dtype=float).reshape(y.size, -1)
    return y, x


def crps(y, x):
    """Sample CRPS per row, via the sorted-draws identity ``E|X-X'| = 2/m^2 sum (2i-m-1) x_(i)``."""
    import numpy as np

    y, x = _arrays(y, x)
    m = x.shape[1]
    xs = np.sort(x, axis=1)
    term1 = np.abs(xs - y[:, None]).mean(axis=1)
    w = 2 * np.arange(1, m + 1) - m - 1
    term2 = (xs * w).sum(axis=1) / (m * m)  # = E|X - X'| / 2
    return term1 - term2


def ignorance(y, x, bins=IGN_BINS):
    import numpy as np

    y, x = _arrays(y, x)
    edges = np.asarray(bins, dtype=float)
    nb = len(edges)
    bx = np.clip(np.digitize(x, edges) - 1, 0, nb - 1)
    by = np.clip(np.digitize(y, edges) - 1, 0, nb - 1)
    hits = (bx == by[:, None]).sum(axis=1)
    return -np.log2((hits + 1) / (x.shape[1] + nb))


def _quantiles(x, q):
    import numpy as np

    return np.quantile(x, q, axis=1)


def interval_score(y, x, alpha: float = 0.1):
    import numpy as np

    y, x = _arrays(y, x)
    lo, hi = _quantiles(x, [alpha / 2, 1 - alpha / 2])
    return (hi - lo) + (2 / alpha) * np.maximum(lo - y, 0) + (2 / alpha) * np.maximum(y - hi, 0)


def covered(y, x, level: float):
    y, x = _arrays(y, x)
    a = (1 - level) / 2
    lo, hi = _quantiles(x, [a, 1 - a])
    return ((lo <= y) & (y <= hi)).astype(float)


def brier(y, x, threshold: float = BRIER_THRESHOLD):
    y, x = _arrays(y, x)
    p = (x >= threshold).mean(axis=1)
    return (p - (y >= threshold)) ** 2


def log_median_error(y, x):
    import numpy as np

    y, x = _arrays(y, x)
    return (np.log1p(np.median(x, axis=1)) - np.log1p(y)) ** 2


def pit(y, x, seed: int = 0):
    """Randomised probability integral transform (for counts): uniform on [F(y-), F(y)]."""
    import numpy as np

    y, x = _arrays(y, x)
    below = (x < y[:, None]).mean(axis=1)
    at_or_below = (x <= y[:, None]).mean(axis=1)
    v = np.random.default_rng(seed).random(y.size)
    return below + v * (at_or_below - below)


def score_all(y, x) -> dict:
    """Every score of :data:`SCORES` per row, as a dict of arrays."""
    return {
        "crps": crps(y, x),
        "ign": ignorance(y, x),
        "mis90": interval_score(y, x, 0.1),
        "cover50": covered(y, x, 0.5),
        "cover90": covered(y, x, 0.9),
        "brier25": brier(y, x),
        "mse_log_median": log_median_error(y, x),
    }
