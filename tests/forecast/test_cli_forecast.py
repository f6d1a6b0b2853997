"""One smoke test per forecasting command, and their errors: one line, no traceback, no file."""

from __future__ import annotations

import polars as pl
import pytest
from analytics.cube_fixtures import ucdp_obs  # noqa: F401 - fixture
from click.testing import CliRunner
from forecast.fc_data import WEST_AFRICA, views_panel

from sahelwatch.cli.main import cli


@pytest.fixture(scope="module")
def panel_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("panel") / "views.parquet"
    views_panel(WEST_AFRICA).write(path)
    return path


def _run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_panel_command(ucdp_obs, tmp_path):  # noqa: F811
    r = _run("panel", "--home", ucdp_obs.home, "--level", "cm", "--target", "fatalities_sb", "--country", "MLI,BFA",
             "-o", tmp_path / "p.parquet")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("2 units x ") and "written to" in r.output and "CC BY 4.0" in r.output
    assert pl.read_parquet(tmp_path / "p.parquet")["unit"].unique().sort().to_list() == ["BFA", "MLI"]


def test_forecast_then_show_from_the_file(ucdp_obs, panel_file, tmp_path):  # noqa: F811
    out = tmp_path / "f.parquet"
    r = _run("forecast", "--home", ucdp_obs.home, "--panel", panel_file, "--model", "conflictology",
             "--horizon", "1-12", "--draws", 200, "-o", out)
    assert r.exit_code == 0, r.output
    assert "conflictology: 18 units x 12 months (2024-01..2024-12) x 200 draws from origin 2023-12" in r.output
    assert (tmp_path / "f.summary.parquet").exists()
    r = _run("forecast", "show", "--home", ucdp_obs.home, "--country", "MLI", "--forecast", out, "--panel",
             panel_file, "-o", tmp_path / "fan.svg")
    assert r.exit_code == 0, r.output
    assert "Mali (MLI)" in r.output and "median" in r.output and "Last 12 months observed: 1,259" in r.output
    assert (tmp_path / "fan.svg").read_text().startswith("<svg")


def test_show_forecasts_now_from_the_store_and_draws_a_png(ucdp_obs, tmp_path):  # noqa: F811
    r = _run("forecast", "show", "--home", ucdp_obs.home, "--country", "MLI", "--model", "conflictology",
             "--draws", 100, "-o", tmp_path / "fan.png")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "fan.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_backtest_command_with_report(panel_file, tmp_path, ucdp_obs):  # noqa: F811
    r = _run("backtest", "--home", ucdp_obs.home, "--panel", panel_file, "--origins", 2, "--horizon", "1-3",
             "--models", "zero,last,conflictology", "--draws", 50, "--report", tmp_path / "bt.html",
             "-o", tmp_path / "scores.csv")
    assert r.exit_code == 0, r.output
    assert "Backtest cm fatalities_sb: 2 origins 2023-08..2023-09, horizons 1-3, 50 draws" in r.output
    assert "not vintage-aware" in r.output
    assert (tmp_path / "bt.html").read_text().count("<svg") >= 4
    assert pl.read_csv(tmp_path / "scores.csv").height == 3 * 2 * 3 * len(WEST_AFRICA)


@pytest.mark.parametrize("args, code, message", [
    (["panel", "--target", "deaths", "-o", "x.parquet"], 2, "Error: unknown target 'deaths' (valid: fatalities_sb"),
    (["forecast", "--model", "prophet", "-o", "x.parquet"], 2, "Error: unknown model 'prophet' (valid: zero"),
    (["forecast"], 2, "Error: forecast needs -o FILE.parquet"),
    (["forecast", "--param", "colour=red", "-o", "x.parquet"], 2,
     "Error: model gbm: unknown parameter 'colour' (valid: base, blend, "),
    (["forecast", "--param", "colour=red", "--save"], 2, "Error: model gbm: unknown parameter 'colour'"),
    (["backtest", "--models", "zero,oracle"], 2, "Error: unknown model 'oracle'"),
    (["panel", "--source", "series:views_cm", "-o", "x.parquet"], 2, "Error: no series 'views_cm' in the store"),
])
def test_bad_input_is_one_line(ucdp_obs, tmp_path, monkeypatch, args, code, message):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(cli, [*args, "--home", str(ucdp_obs.home)])
    assert r.exit_code == code, r.output
    assert r.output.startswith(message) and r.output.count("\n") == 1
    assert not any(tmp_path.iterdir())


def test_too_long_horizon_fails_before_writing(ucdp_obs, panel_file, tmp_path):  # noqa: F811
    r = CliRunner().invoke(cli, ["backtest", "--home", str(ucdp_obs.home), "--panel", str(panel_file),
                                 "--horizon", "1-36", "--origins", "2", "-o", str(tmp_path / "s.parquet")])
    assert r.exit_code == 1
    assert r.output.startswith("Error: the panel is too short for 2 origins 1 month(s) apart before horizon 36") and r.output.count("\n") == 1
    assert not any(tmp_path.iterdir())
