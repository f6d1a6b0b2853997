"""Forecasts kept in the store: what a save writes, that it is atomic and written once, that the
id covers the model's effective parameters and revision, that the manifest's command fits the
same forecast again, that forecasts stored before that still load, and how a brief's outlook
is chosen.

The store is the demo's (bundled real UCDP events and the GED 25.1 country-month series) without
its forecasts; the forecasts here are made by the tests."""

from __future__ import annotations

import json
import shlex

import numpy as np
import polars as pl
import pytest
from click.testing import CliRunner

from forecast.fc_data import FAST_GBM
from sahelwatch.cli.main import cli
from sahelwatch.forecast import stored
from sahelwatch.forecast.gbm import GradientBoosting
from sahelwatch.forecast.panel import month_id

SERIES = "series:ged_cm_251"


@pytest.fixture(scope="module")
def obs(tmp_path_factory):
    import sahelwatch
    from sahelwatch import demo

    o = sahelwatch.open(tmp_path_factory.mktemp("stored") / "home")
    demo.build(o, forecasts=False)
    return o


@pytest.fixture(scope="module")
def series_panel(obs):
    return obs.forecast.panel("cm", "fatalities_all", source=SERIES)


@pytest.fixture(scope="module")
def saved(obs, series_panel):
    """A gbm forecast of the series from October 2023, 12 months, 200 draws."""
    res = obs.forecast.run(series_panel, "gbm", horizons="1-12", draws=200, seed=3, origin="2023-10",
                           params=FAST_GBM)
    return res, obs.forecast.save(res)


def _series_value(obs, iso3: str, month: str) -> float:
    df = obs.series.table("ged_cm_251", "fatalities_all", country=[iso3])
    day = pl.Series([f"{month}-01"]).str.to_date()[0]
    return float(df.filter(pl.col("period") == day)["value"].item())


def test_a_save_writes_the_manifest_the_draws_and_the_summary(obs, saved):
    res, f = saved
    assert f.new and f.path == obs.home / "forecasts" / f.id and len(f.id) == 12
    m = json.loads((f.path / "manifest.json").read_text())
    assert m["id"] == f.id and m["model"] == "gbm" and m["seed"] == 3 and m["draws"] == 200
    assert m["params"]["n_estimators"] == 15 and m["model_params"]["threads"] == 1
    assert (m["level"], m["target"], m["source"]) == ("cm", "fatalities_all", SERIES)
    # the snapshot read: the series' own snapshot, not the latest of the store as a whole
    assert m["snapshot"] == max(s.id for s in obs.snapshots() if s.source == SERIES)
    assert m["origin"] == month_id(pl.Series(["2023-10-01"]).str.to_date()[0]) and m["origin_month"] == "2023-10"
    assert m["horizons"] == list(range(1, 13)) and m["months"][0] == "2023-11" and m["months"][-1] == "2024-10"
    assert m["units"] == sorted(res.units["unit"].to_list()) and "MLI" in m["units"]
    assert m["sahelwatch_version"] == __import__("sahelwatch").__version__
    assert m["command"].startswith("sahelwatch forecast ") and "--origin 2023-10" in m["command"]
    assert all(not (f.path / n).stat().st_mode & 0o222 for n in ("manifest.json", "draws.parquet", "summary.parquet"))
    draws = pl.read_parquet(f.path / "draws.parquet")
    assert draws.height == len(m["units"]) * 12 * 200
    # the summary's median is the median of the stored draws, computed here from the file
    mli = draws.filter((pl.col("country_id") == "MLI") & (pl.col("month_id") == m["origin"] + 1))["outcome"]
    summ = f.summary(["MLI"]).filter(pl.col("horizon") == 1)
    assert summ["q50"].item() == pytest.approx(float(np.median(mli.to_numpy())))
    assert summ["q05"].item() == pytest.approx(float(np.quantile(mli.to_numpy(), 0.05)))


def test_saving_the_same_forecast_twice_keeps_one(obs, saved):
    res, f = saved
    again = obs.forecast.save(res)
    assert again.id == f.id and not again.new
    assert [p.name for p in (obs.home / "forecasts").iterdir() if not p.name.startswith(".")].count(f.id) == 1
    # a different seed is a different forecast
    spec = obs.forecast.spec(obs.forecast.panel("cm", "fatalities_all", source=SERIES), "gbm", horizons="1-12",
                             draws=200, seed=4, origin="2023-10", params=FAST_GBM)
    assert obs.forecast.find(spec) is None


def _spec(obs, panel, params):
    """The spec of the ``saved`` forecast's inputs with these model parameters."""
    return obs.forecast.spec(panel, "gbm", horizons="1-12", draws=200, seed=3, origin="2023-10", params=params)


def test_the_manifest_records_every_parameter_the_model_ran_with(saved):
    _, f = saved
    m = f.manifest
    assert m["params"] == {"levels": [0.05, 0.25, 0.5, 0.75, 0.95], "min_child_samples": 10, "n_estimators": 15}
    assert set(m["model_params"]) == set(GradientBoosting.DEFAULTS)  # the defaults too
    assert m["model_params"] == {**GradientBoosting.DEFAULTS, **m["params"]}
    assert m["model_params"]["blend"] == 0.5 and m["model_params"]["train_months"] is None
    assert m["model_revision"] == GradientBoosting.REVISION == 1


def test_a_parameter_given_at_its_default_is_the_same_forecast(obs, series_panel, saved):
    _, f = saved
    assert stored.id_of(_spec(obs, series_panel, FAST_GBM)) == f.id
    at_default = {**FAST_GBM, "blend": GradientBoosting.DEFAULTS["blend"], "base": "none", "train_months": None}
    assert stored.id_of(_spec(obs, series_panel, at_default)) == f.id
    # the levels given in another order are the same levels
    assert stored.id_of(_spec(obs, series_panel, {**FAST_GBM, "levels": FAST_GBM["levels"][::-1]})) == f.id
    assert stored.id_of(_spec(obs, series_panel, {**FAST_GBM, "blend": 0.6})) != f.id


def test_a_changed_default_is_a_new_forecast_fitted_with_it(obs, series_panel, saved, monkeypatch):
    _, f = saved
    monkeypatch.setitem(GradientBoosting.DEFAULTS, "blend", 0.7)
    spec = _spec(obs, series_panel, FAST_GBM)
    assert spec["model_params"]["blend"] == 0.7 and stored.id_of(spec) != f.id
    assert obs.forecast.find(spec) is None  # so --save fits it rather than answering "already stored"
    # the fit reads the same defaults as the spec: what is recorded is what ran
    res = obs.forecast.run(series_panel, "gbm", horizons="1-12", draws=200, seed=3, origin="2023-10",
                           params=FAST_GBM)
    assert res.fitted_params == spec["model_params"] and res.model_revision == spec["model_revision"]
    # given explicitly, the old default is the old forecast
    assert stored.id_of(_spec(obs, series_panel, {**FAST_GBM, "blend": 0.5})) == f.id


def test_a_new_revision_of_the_model_is_a_new_forecast(obs, series_panel, saved, monkeypatch):
    _, f = saved
    monkeypatch.setattr(GradientBoosting, "REVISION", 2)
    spec = _spec(obs, series_panel, FAST_GBM)
    assert spec["model_revision"] == 2 and stored.id_of(spec) != f.id


def test_the_command_lists_every_parameter_and_gives_the_same_id(obs, saved, monkeypatch):
    _, f = saved
    args = shlex.split(f.manifest["command"])
    given = [args[i + 1] for i, a in enumerate(args) if a == "--param"]
    assert given == [f"{k}={stored.param_text(v)}" for k, v in f.manifest["model_params"].items()]
    assert "base=none" in given and "blend=0.5" in given and "train_months=null" in given
    # the CLI reads them back as the parameters the model ran with
    from sahelwatch.cli.forecast import _params

    assert _params(given) == f.manifest["model_params"]
    # with every parameter pinned, the command refits the same forecast even after a default has changed
    monkeypatch.setitem(GradientBoosting.DEFAULTS, "blend", 0.7)
    r = CliRunner().invoke(cli, [*args[1:], "--home", str(obs.home)])
    assert r.exit_code == 0 and f"Already stored: forecast {f.id}" in r.output, r.output


def test_the_manifest_command_fits_the_same_forecast_again(obs, saved, tmp_path):
    _, f = saved
    r = CliRunner().invoke(cli, [*shlex.split(f.manifest["command"])[1:], "--home", str(obs.home)])
    assert r.exit_code == 0, r.output
    assert f"Already stored: forecast {f.id}" in r.output  # same inputs, same id: no fit, nothing written
    # fitted again from scratch (with -o, so the stored copy is left alone) it gives the same numbers
    out = tmp_path / "again.parquet"
    r = CliRunner().invoke(cli, [*shlex.split(f.manifest["command"])[1:], "--home", str(obs.home), "-o", str(out)])
    assert r.exit_code == 0, r.output
    again = pl.read_parquet(tmp_path / "again.summary.parquet")
    assert again.select("unit", "month_id", "q05", "q50", "q95").equals(
        f.summary().select("unit", "month_id", "q05", "q50", "q95"))


def test_a_failed_save_leaves_no_forecast(obs, series_panel, monkeypatch):
    from sahelwatch.forecast import _files

    res = obs.forecast.run(series_panel, "last", horizons="1-3", draws=50, origin="2022-06")
    before = {m["id"] for m in obs.forecast.list()}
    calls = []

    def broken(df, path, meta=None):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(df, path, meta=meta)

    real = _files.write_frame
    monkeypatch.setattr(_files, "write_frame", broken)
    with pytest.raises(OSError, match="disk full"):
        obs.forecast.save(res)
    assert len(calls) == 2  # the draws were written, the summary failed
    assert {m["id"] for m in obs.forecast.list()} == before
    assert list((obs.home / "forecasts").glob(".tmp-*")) == []


def test_the_outlook_is_the_forecast_made_at_the_period_with_what_was_observed_since(obs, series_panel, saved):
    _, oct_ = saved
    # another forecast, from September: a brief of October must not take it
    sep = obs.forecast.save(obs.forecast.run(series_panel, "conflictology", horizons="1-6", draws=100,
                                             origin="2023-09"))
    rows = obs.forecast.stored(["MLI", "BFA", "NER"], ["2023-11", "2023-12", "2024-01"], source=SERIES)
    assert {r["forecast"] for r in rows} == {oct_.id} and len(rows) == 9
    assert [r["unit"] for r in rows[:3]] == ["MLI"] * 3  # in the order asked
    summ = oct_.summary(["BFA"]).filter(pl.col("month_id") == oct_.origin + 2)
    bfa = next(r for r in rows if r["unit"] == "BFA" and r["month"] == "2023-12")
    assert (bfa["median"], bfa["low"], bfa["high"]) == (summ["q50"].item(), summ["q05"].item(), summ["q95"].item())
    assert bfa["command"] == f"sahelwatch forecast show --forecast {oct_.id} --country BFA"
    assert bfa["snapshot"] == oct_.manifest["snapshot"] and bfa["measure"] == "fatalities_all"
    # the series runs to 2024-12: the months forecast have actuals, shown as observed since
    assert bfa["observed"] == _series_value(obs, "BFA", "2023-12")
    # the brief of September gets September's forecast, for October to December
    rows9 = obs.forecast.stored(["MLI"], ["2023-10", "2023-11", "2023-12"], source=SERIES)
    assert {r["forecast"] for r in rows9} == {sep.id} and [r["month"] for r in rows9] == ["2023-10", "2023-11",
                                                                                          "2023-12"]
    # a brief of the event store does not take a series forecast; nor one that reads an older snapshot
    assert obs.forecast.stored(["MLI"], ["2023-11"], source="ucdp") == []
    assert obs.forecast.stored(["MLI"], ["2023-11"], source=SERIES, as_of=oct_.manifest["snapshot"] - 1) == []
    assert obs.forecast.stored(["MLI"], ["2025-01"], source=SERIES) == []  # no forecast made at 2024-12


def test_a_store_forecast_says_what_its_data_lack(obs):
    p = obs.forecast.panel("cm", "fatalities_all", country="MLI,BFA,NER,NGA,COD,SOM")
    f = obs.forecast.save(obs.forecast.run(p, "last", horizons="1-3", draws=50))
    m = f.manifest
    assert m["source"] == "store" and m["origin_month"] == "2023-10" and m["country"] == ["MLI", "BFA", "NER", "NGA",
                                                                                            "COD", "SOM"]
    assert m["snapshot"] == max(s.id for s in obs.snapshots() if s.source.startswith("ucdp"))
    assert any("ged231_sample1000_global.csv" in c for c in m["caveats"])
    # GED 23.1 ends in December 2022 and the only Candidate release is October 2023
    assert "9 month(s) covered by no ingested UCDP release (2023-01..2023-09) count as 0 in the panel" in m["caveats"]
    assert len(m["caveats_fr"]) == len(m["caveats"])
    rows = obs.forecast.stored(["MLI"], ["2023-11"], source="ucdp")
    assert rows and rows[0]["forecast"] == f.id and rows[0]["observed"] is None  # the store ends in October 2023


def test_cli_lists_the_stored_forecasts_and_shows_the_latest(obs, saved):
    _, f = saved
    r = CliRunner().invoke(cli, ["forecast", "list", "--home", str(obs.home)])
    assert r.exit_code == 0, r.output
    assert f.id in r.output and "2023-10" in r.output
    r = CliRunner().invoke(cli, ["forecast", "list", "--json", "--home", str(obs.home)])
    assert f.id in {m["id"] for m in json.loads(r.output)}
    r = CliRunner().invoke(cli, ["forecast", "show", "--country", "MLI", "--forecast", f.id, "--home", str(obs.home)])
    assert r.exit_code == 0, r.output
    med = f.summary(["MLI"]).filter(pl.col("horizon") == 1)["q50"].item()
    line = next(ln for ln in r.output.splitlines() if "2023-11" in ln)
    assert f"{med:,.0f}" in line and f"{_series_value(obs, 'MLI', '2023-11'):,.0f}" in line
    assert "Observed since: 12 of 12 months" in r.output
    # as the store was before the series arrived: nothing observed since yet
    before = min(s.id for s in obs.snapshots() if s.source == SERIES) - 1
    r = CliRunner().invoke(cli, ["forecast", "show", "--country", "MLI", "--forecast", f.id, "--as-of", str(before),
                                 "--home", str(obs.home)])
    assert r.exit_code == 0, r.output
    assert "Observed since" not in r.output
    r = CliRunner().invoke(cli, ["forecast", "show", "--country", "MLI", "--home", str(obs.home)])
    latest = obs.forecast.latest("MLI")
    assert r.exit_code == 0 and f"Stored forecast {latest.id} (the latest covering MLI" in r.output
    r = CliRunner().invoke(cli, ["forecast", "show", "--country", "MLI", "--forecast", "ffffffff", "--home",
                                 str(obs.home)])
    assert r.exit_code == 1 and "no stored forecast 'ffffffff'" in r.output and "Traceback" not in r.output


def test_a_series_panel_cites_the_series_not_the_event_sources(obs, series_panel):
    snap = next(s.id for s in obs.snapshots() if s.source == SERIES)
    assert series_panel.meta["citation"] == ("series ged_cm_251: UCDP GED 25.1, derived by T. Schincariol "
                                             f"(file schincariol_limits_conf_ged251_1989_2024.csv, snapshot {snap})")
    assert obs.forecast.panel("cm", "fatalities_sb", source="series:views_cm").meta["citation"].startswith(
        "series views_cm: VIEWS challenge 2024")
    assert "UCDP GED/Candidate" in obs.forecast.panel("cm", "fatalities_all").meta["citation"]  # the event store


#: a manifest as sahelwatch wrote them before the id covered the effective parameters and the model's
#: revision: ``params`` as given, ``model_params`` without the levels, no ``model_revision``; its id
#: was the hash of a spec holding the given parameters
OLD_ID = "0a1b2c3d4e5f"


def _old_spec(m: dict) -> dict:
    keys = ("level", "target", "source", "snapshot", "country", "origin", "horizons", "model", "params", "seed",
            "draws", "units", "panel_sha256", "sahelwatch_version")
    return {k: m[k] for k in keys}


@pytest.fixture
def old_forecast(obs, saved):
    """The saved forecast's files under an old-shape manifest; removed after the test."""
    import shutil

    _, f = saved
    m = {k: v for k, v in f.manifest.items() if k != "model_revision"}
    m["model_params"] = {k: v for k, v in m["model_params"].items() if k != "levels"}
    given = {"min_child_samples": 10, "n_estimators": 15}  # sorted, as the old spec held them
    m.update(id=OLD_ID, created="2020-01-01T00:00:00+00:00", params=given,
             command=stored.command_of(_old_spec({**m, "params": given})))
    d = obs.home / "forecasts" / OLD_ID
    d.mkdir()
    for name in ("draws.parquet", "summary.parquet"):
        shutil.copyfile(f.path / name, d / name)
    (d / "manifest.json").write_text(json.dumps(m, indent=1))
    yield m
    shutil.rmtree(d)


def test_an_old_spec_still_gives_an_id_and_a_command(saved):
    _, f = saved
    old = _old_spec({**f.manifest, "params": {"train_months": 120}})
    assert "model_params" not in old and len(stored.id_of(old)) == 12
    cmd = stored.command_of(old)
    assert "--param train_months=120 --draws 200" in cmd and cmd.count("--param") == 1


def test_a_forecast_stored_before_the_revision_still_loads_lists_and_shows(obs, old_forecast):
    f = obs.forecast.get(OLD_ID[:6])
    assert f.id == OLD_ID and "model_revision" not in f.manifest and f.summary(["MLI"]).height == 12
    assert OLD_ID in {m["id"] for m in obs.forecast.list()}
    r = CliRunner().invoke(cli, ["forecast", "list", "--home", str(obs.home)])
    assert r.exit_code == 0 and OLD_ID in r.output, r.output
    c = obs.forecast.chart("MLI", OLD_ID)
    assert c["meta"]["model_revision"] is None and c["meta"]["model_params"] == old_forecast["model_params"]
    r = CliRunner().invoke(cli, ["forecast", "show", "--country", "MLI", "--forecast", OLD_ID,
                                 "--home", str(obs.home)])
    assert r.exit_code == 0, r.output
    assert "Model: gbm (revision not recorded), parameters: base=none, blend=0.5, " in r.output
    assert "Made by: sahelwatch forecast " in r.output and "--param n_estimators=15 --draws 200" in r.output


def test_show_names_the_model_revision_and_every_parameter(obs, saved):
    _, f = saved
    r = CliRunner().invoke(cli, ["forecast", "show", "--country", "MLI", "--forecast", f.id, "--home", str(obs.home)])
    assert r.exit_code == 0, r.output
    line = next(ln for ln in r.output.splitlines() if ln.startswith("Model: "))
    assert line.startswith("Model: gbm (revision 1), parameters: base=none, blend=0.5, blend_min_history=24, ")
    assert "levels=[0.05,0.25,0.5,0.75,0.95]" in line and "n_estimators=15" in line and "train_months=null" in line
