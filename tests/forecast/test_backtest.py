"""Rolling-origin backtests on the real VIEWS actuals: origins, scores, summaries, the report."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from forecast.fc_data import FAST_GBM, WEST_AFRICA, views_panel

from sahelwatch.forecast import scoring
from sahelwatch.forecast.panel import PanelError
from sahelwatch.forecast.run import backtest, forecast, origins_for


@pytest.fixture(scope="module")
def result():
    p = views_panel(WEST_AFRICA)
    return backtest(p, ["zero", "conflictology", "gbm"], horizons="1-6", origins=3, step=2, draws=60, seed=0,
                    params={"gbm": FAST_GBM})


def test_origins_are_the_latest_that_the_panel_can_score():
    p = views_panel(["MLI"])
    assert origins_for(p, 3, (1, 6), step=2) == [518, 520, 522]  # 522 + 6 = 528 = 2023-12
    with pytest.raises(PanelError, match="too short for 40 origins"):
        origins_for(p, 40, (1, 6))
    with pytest.raises(PanelError, match="too short for horizon 36"):
        backtest(p, ["zero"], horizons="1-36", origins=[510])


def test_every_forecast_is_scored_against_what_happened(result):
    s = result.scores
    assert s.height == 3 * 3 * 6 * len(WEST_AFRICA)
    assert result.meta["origins"] == [518, 520, 522] and result.meta["horizons"] == [1, 2, 3, 4, 5, 6]
    truth = views_panel(WEST_AFRICA).frame
    row = s.filter((pl.col("model") == "zero") & (pl.col("unit") == "BFA") & (pl.col("origin") == 520)
                   & (pl.col("horizon") == 4)).row(0, named=True)
    y = truth.filter((pl.col("unit") == "BFA") & (pl.col("month_id") == 524))["value"][0]
    assert row["outcome"] == y and row["crps"] == pytest.approx(y)  # CRPS of an all-zero forecast is y
    assert row["ign"] == pytest.approx(scoring.ignorance([y], [np.zeros(60)])[0])


def test_summaries_and_the_ratio_to_the_best_baseline(result):
    ov = result.overall()
    assert ov["model"].to_list() == ["zero", "conflictology", "gbm"]
    best = ov.filter(pl.col("model").is_in(["zero", "conflictology"]))["crps"].min()
    g = ov.filter(pl.col("model") == "gbm").row(0, named=True)
    assert g["crps_vs_best_baseline"] == pytest.approx(g["crps"] / best)
    assert result.by_horizon().height == 3 * 6
    assert result.by_unit().height == 3 * len(WEST_AFRICA)
    assert set(ov.columns) >= set(scoring.SCORES)
    assert result.meta["vintage_note"].startswith("not vintage-aware")


def test_report_is_one_offline_html_file(result, tmp_path):
    path = tmp_path / "bt.html"
    html = result.report(path)
    assert path.read_text(encoding="utf-8") == html
    assert "<script" not in html and 'src="http' not in html and "href=\"http" not in html
    assert html.count("<svg") >= 4  # score by horizon (CRPS, IGN), PIT, coverage
    assert "Worst misses (gbm)" in html and "conflictology" in html


def test_forecast_writes_the_views_layout_and_a_summary(tmp_path):
    p = views_panel(["MLI", "BFA", "NER"])
    res = forecast(p, "conflictology", horizons="3-14", draws=100, seed=0)
    files = res.write(tmp_path / "f.parquet")
    v = pl.read_parquet(files[0])
    assert v.columns == ["month_id", "country_id", "draw", "outcome"]
    assert v.height == 3 * 12 * 100 and v["month_id"].min() == 531 and v["month_id"].max() == 542
    s = pl.read_parquet(files[1])
    assert s.height == 3 * 12
    assert (s["q05"] <= s["q25"]).all() and (s["q25"] <= s["q50"]).all() and (s["q75"] <= s["q95"]).all()


def test_a_failed_fit_leaves_no_file(tmp_path):
    p = views_panel(["MLI"])
    out = tmp_path / "f.parquet"
    with pytest.raises(PanelError):
        forecast(p.until(495), "gbm", horizons="3-14", draws=10).write(out)
    assert list(tmp_path.iterdir()) == []
