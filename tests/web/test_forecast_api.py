"""``/api/v1/forecasts`` and ``/api/v1/forecast`` over HTTP, against the demo store's stored
forecasts: the numbers are checked against the stored draws and the series file, computed here."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import shutil

import numpy as np
import polars as pl
import pytest

from sw_web import Server, cli

DATA = Path(__file__).resolve().parents[1] / "data"


def _manifests(home: Path) -> dict[str, dict]:
    return {p.name: json.loads((p / "manifest.json").read_text()) for p in (home / "forecasts").iterdir()
            if not p.name.startswith(".")}


def _pick(home, source: str, origin: str) -> str:
    return next(i for i, m in _manifests(home).items() if m["source"] == source and m["origin_month"] == origin)


@pytest.fixture(scope="module")
def store_fc(demo_home, tmp_path_factory):
    """A copy of the demo store with a forecast made from its event store (the demo keeps
    none: its events are a sample with uncovered months), and a server on it."""
    home = tmp_path_factory.mktemp("store-fc") / "home"
    shutil.copytree(demo_home, home)
    cli("forecast", "--home", home, "--level", "cm", "--target", "fatalities_all", "--horizon", "1-12",
        "--model", "last", "--draws", 200, "--save")
    s = Server(home)
    yield s, home
    s.stop()


def _ged_csv(country: str, month: str) -> float:
    """The GED 25.1 country-month table (tests/data copy of the demo's file), read with csv."""
    with open(DATA / "schincariol_limits_conf_ged251_1989_2024.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row[""].startswith(month):
                return float(row[country])
    raise KeyError(month)


def test_forecasts_lists_the_stored_manifests(server, demo_home):
    r = server.get("/api/v1/forecasts")
    assert r.status_code == 200
    body = r.json()
    on_disk = _manifests(demo_home)
    assert {m["id"] for m in body["rows"]} == set(on_disk) and body["meta"]["count"] == len(on_disk) == 2
    assert {(m["source"], m["origin_month"]) for m in body["rows"]} == {
        ("series:ged_cm_251", "2023-10"), ("series:ged_cm_251", "2024-12")}
    from sahelwatch.forecast.gbm import GradientBoosting

    every = {**GradientBoosting.DEFAULTS, "levels": list(GradientBoosting.DEFAULTS["levels"]), "train_months": 120}
    for m in body["rows"]:
        assert m == on_disk[m["id"]]  # the manifest as stored
        assert m["command"].startswith("sahelwatch forecast ") and m["draws"] == 1000
        # the parameters given, and every parameter the model ran with (what the id covers) and its revision
        assert m["params"] == {"train_months": 120} and m["model_params"] == every and m["model_revision"] == 1


def test_forecast_median_and_intervals_are_those_of_the_stored_draws(server, demo_home):
    fid = _pick(demo_home, "series:ged_cm_251", "2023-10")
    r = server.get("/api/v1/forecast", params={"country": "mli", "forecast": fid})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["meta"]["forecast"] == fid and body["meta"]["unit"] == "MLI" and body["meta"]["origin"] == "2023-10"
    assert body["meta"]["model_params"]["blend"] == 0.5 and body["meta"]["model_revision"] == 1
    draws = pl.read_parquet(demo_home / "forecasts" / fid / "draws.parquet").filter(pl.col("country_id") == "MLI")
    assert len(body["rows"]) == 12
    for row in body["rows"]:
        y, m = int(row["month"][:4]), int(row["month"][5:7])
        x = draws.filter(pl.col("month_id") == (y - 1980) * 12 + m)["outcome"].to_numpy()
        assert x.size == 1000
        assert row["q50"] == float(np.median(x))
        assert (row["q05"], row["q25"], row["q75"], row["q95"]) == tuple(
            float(v) for v in np.quantile(x, [0.05, 0.25, 0.75, 0.95]))
        # the series holds 2023-11..2024-10: each month has its observed value beside the forecast
        assert row["observed"] == _ged_csv("Mali", row["month"][:7])
    assert body["meta"]["observed_months"] == 12
    # a later release cut at the origin: said, since the months to the origin include its revisions
    assert any("cut at the origin" in c and "revisions included" in c for c in body["meta"]["caveats"])
    # the history is what the model saw: the months up to the origin, from the series file
    assert body["history"][-1]["month"] == "2023-10-01" and len(body["history"]) == 48
    assert body["history"][-1]["value"] == _ged_csv("Mali", "2023-10")
    spec = body["vega_lite"]
    marks = [lyr["mark"]["type"] for lyr in spec["layer"]]
    assert marks == ["area", "area", "line", "line", "line"]  # 90%, 50%, median, history, observed since
    assert spec["layer"][2]["data"]["values"][0]["q50"] == body["rows"][0]["q50"]
    assert "observed since" in spec["layer"][0]["encoding"]["color"]["scale"]["domain"]


def test_forecast_defaults_to_the_latest_origin_and_speaks_french(server, demo_home):
    latest = _pick(demo_home, "series:ged_cm_251", "2024-12")
    body = server.get("/api/v1/forecast", params={"country": "NER", "lang": "fr", "history": 12}).json()
    assert body["meta"]["forecast"] == latest and body["meta"]["name"] == "Niger" and len(body["history"]) == 12
    assert body["meta"]["observed_months"] == 0 and all(r["observed"] is None for r in body["rows"])
    dom = body["vega_lite"]["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert "prévision : médiane" in dom and "intervalle à 90\u202f%" in dom and "observé depuis" not in dom
    assert body["vega_lite"]["layer"][0]["encoding"]["y"]["title"] == "morts par mois"


def test_a_store_forecast_carries_its_caveats(store_fc):
    server, home = store_fc
    fid = _pick(home, "store", "2023-10")
    body = server.get("/api/v1/forecast", params={"country": "BFA", "forecast": fid[:6]}).json()
    assert body["meta"]["forecast"] == fid and body["meta"]["snapshot"] == 2
    assert any("sample" in c for c in body["meta"]["caveats"])
    # months no release covers are not drawn as zeros in the history
    covered = [h for h in body["history"] if h["covered"]]
    assert {h["month"][:7] for h in body["history"] if not h["covered"]} >= {"2023-01", "2023-09"}
    assert body["vega_lite"]["layer"][3]["data"]["values"] == [{k: h[k] for k in h} for h in covered]


def test_a_country_the_forecast_lacks_is_a_bad_parameter(store_fc):
    server, home = store_fc
    fid = _pick(home, "store", "2023-10")
    r = server.get("/api/v1/forecast", params={"country": "ISL", "forecast": fid})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_parameter"
