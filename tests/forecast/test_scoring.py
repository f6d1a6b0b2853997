"""Scores agree with the reference implementations and with values worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from sahelwatch.forecast import scoring as S


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_crps_agrees_with_properscoring_and_scoringrules(seed):
    import properscoring
    import scoringrules

    rng = np.random.default_rng(seed)
    y = rng.poisson(20, 300).astype(float) * rng.integers(0, 2, 300)
    x = rng.negative_binomial(2, 0.1, (300, 257)).astype(float)
    x[:50] = rng.random((50, 257)) * 100  # continuous draws too
    ours = S.crps(y, x)
    assert np.max(np.abs(ours - properscoring.crps_ensemble(y, x))) < 1e-9
    assert np.max(np.abs(ours - scoringrules.crps_ensemble(y, x, estimator="nrg"))) < 1e-9


def test_crps_of_a_point_forecast_is_the_absolute_error():
    assert S.crps([3.0, 10.0], [[5.0] * 4, [5.0] * 4]).tolist() == [2.0, 5.0]


def test_ignorance_uses_the_challenge_bins_with_one_pseudo_draw_per_bin():
    # 8 draws: 6 zeros, 2 in [2.5, 5.5); 11 bins -> 19 pseudo-counted draws
    x = [[0, 0, 0, 0, 0, 0, 3, 4]]
    assert S.ignorance([0], x)[0] == pytest.approx(-np.log2(7 / 19))
    assert S.ignorance([5], x)[0] == pytest.approx(-np.log2(3 / 19))
    assert S.ignorance([1], x)[0] == pytest.approx(-np.log2(1 / 19))  # [0.5, 2.5): no draw
    assert S.ignorance([5000], x)[0] == pytest.approx(-np.log2(1 / 19))  # the open top bin
    assert len(S.IGN_BINS) == 11 and S.IGN_BINS[-1] == 1000.5


def test_interval_score_penalises_misses_by_two_over_alpha():
    x = [np.arange(101, dtype=float)]  # 5% and 95% quantiles: 5 and 95
    assert S.interval_score([50], x, 0.1)[0] == pytest.approx(90)
    assert S.interval_score([100], x, 0.1)[0] == pytest.approx(90 + 20 * 5)
    assert S.interval_score([0], x, 0.1)[0] == pytest.approx(90 + 20 * 5)


def test_coverage_brier_and_log_median():
    x = [np.arange(101, dtype=float)] * 3
    assert S.covered([50, 97, 3], x, 0.9).tolist() == [1.0, 0.0, 0.0]
    assert S.covered([50, 80, 20], x, 0.5).tolist() == [1.0, 0.0, 0.0]
    # P(X >= 25) = 76/101
    assert S.brier([30], [np.arange(101)])[0] == pytest.approx((76 / 101 - 1) ** 2)
    assert S.brier([0], [np.arange(101)])[0] == pytest.approx((76 / 101) ** 2)
    assert S.log_median_error([0], [[0, 0, 9]])[0] == 0.0
    assert S.log_median_error([0], [[9, 9, 0]])[0] == pytest.approx(np.log(10) ** 2)


def test_pit_is_uniform_for_a_calibrated_forecast():
    rng = np.random.default_rng(5)
    y = rng.poisson(4, 4000)
    x = rng.poisson(4, (4000, 400))
    hist = np.histogram(S.pit(y, x, seed=1), bins=10, range=(0, 1))[0] / 4000
    assert np.all(np.abs(hist - 0.1) < 0.02)
