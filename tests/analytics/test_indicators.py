"""ACLED-method conflict indicators on real UCDP data and generated ACLED data.

Expected values come from the CSV files through the csv module and plain Python.
"""

from __future__ import annotations

import collections
import datetime as dt
import json

import pytest
from analytics import warning_fixtures as wf

import sahelwatch
from sahelwatch.domain.errors import SnapshotNotFound, UsageError

ON = dt.date(2023, 10, 31)
WINDOW = (dt.date(2022, 11, 1), ON)


@pytest.fixture(scope="module")
def ucdp(tmp_path_factory):
    home = tmp_path_factory.mktemp("ind") / "home"
    return wf.open_store(home, ("ucdp-candidate", wf.CANDIDATE, {}), ("ucdp", wf.GED_SAMPLE, {"partial": True}))


@pytest.fixture(scope="module")
def acled(tmp_path_factory):
    from sahelwatch.fixtures.generator import generate_acled

    d = tmp_path_factory.mktemp("ind_acled")
    path = d / "acled.csv"
    generate_acled(path, rows=30_000, seed=11, start="2022-01-01", end="2024-12-31")
    return wf.open_store(d / "home", ("acled", path, {})), wf.read_rows(path)


def candidate_sahel():
    rows = [r for r in wf.read_rows(wf.CANDIDATE) if r["country"] in wf.SAHEL]
    return [r for r in rows if WINDOW[0] <= wf.day(r["date_start"]) <= WINDOW[1]]


def test_candidate_deadliness_danger_fragmentation_match_the_file(ucdp):
    res = ucdp.indicators("country", ON, source="ucdp_candidate")
    got = {r["unit"]: r for r in res.to_polars().iter_rows(named=True)}
    expected = collections.defaultdict(lambda: {"deadliness": 0, "danger": 0, "groups": set(), "events": 0})
    for r in candidate_sahel():
        e = expected[wf.SAHEL[r["country"]]]
        e["events"] += 1
        e["deadliness"] += int(float(r["best"]))
        e["danger"] += r["type_of_violence"] == "3"
        e["groups"] |= wf.non_state_sides(r)
    assert set(expected) <= set(got)
    for iso, e in expected.items():
        g = got[iso]
        assert (g["events"], g["deadliness"], g["danger"]) == (e["events"], e["deadliness"], e["danger"]), iso
        # UCDP names one group once per country here (IS is IS Sahel in MLI/BFA/NER, ISWAP in NGA)
        assert g["fragmentation"] == len(e["groups"]), (iso, g["groups"], e["groups"])
    # the figures the data folder's SOURCES.md states for October 2023
    assert (got["BFA"]["deadliness"], got["MLI"]["deadliness"], got["NER"]["deadliness"]) == (569, 119, 115)
    assert "IS Sahel" in got["MLI"]["groups"] and "ISWAP" in got["NGA"]["groups"]


def test_diffusion_counts_populated_10km_cells(ucdp):
    from sahelwatch.places import gazetteer

    res = ucdp.indicators("country", ON, source="ucdp_candidate", high_violence_events=2)
    got = {r["unit"]: r for r in res.to_polars().iter_rows(named=True)}
    per_cell = collections.Counter()
    for r in candidate_sahel():
        per_cell[(wf.SAHEL[r["country"]], wf.cell(float(r["latitude"]), float(r["longitude"])))] += 1
    places = gazetteer.places().select("latitude", "longitude", "country_iso3").rows()
    populated = collections.defaultdict(set)
    for lat, lon, iso in places:
        populated[iso].add(wf.cell(lat, lon))
    # Nigeria has no gazetteer here: every cell with an event in the store (both files) stands in
    for path in (wf.CANDIDATE, wf.GED_SAMPLE):
        for r in wf.read_rows(path):
            if r["country"] == "Nigeria" and wf.day(r["date_start"]) <= ON:
                populated["NGA"].add(wf.cell(float(r["latitude"]), float(r["longitude"])))
    for iso in ("MLI", "BFA", "NER", "NGA"):
        high = {c for (i, c), n in per_cell.items() if i == iso and n >= 2} & populated[iso]
        g = got[iso]
        assert (g["cells_high_violence"], g["cells_populated"]) == (len(high), len(populated[iso])), iso
        assert g["diffusion"] == pytest.approx(len(high) / len(populated[iso]))
        assert g["diffusion_basis"] == ("event_locations" if iso == "NGA" else "geonames_populated_places")
    assert got["BFA"]["cells_high_violence"] > 0


def test_ranks_follow_the_values_and_the_label_says_replication(ucdp):
    res = ucdp.indicators("country", ON, source="ucdp")
    df = res.to_polars()
    rows = df.to_dicts()
    for ind in ("deadliness", "danger", "diffusion", "fragmentation"):
        for r in rows:
            assert r[f"rank_{ind}"] == 1 + sum(o[ind] > r[ind] for o in rows)
    for r in rows:
        assert r["rank_sum"] == sum(r[f"rank_{i}"] for i in ("deadliness", "danger", "diffusion", "fragmentation"))
        assert r["rank"] == 1 + sum(o["rank_sum"] < r["rank_sum"] for o in rows)
    assert df["rank"].to_list() == sorted(df["rank"].to_list())
    assert "not ACLED's" in res.meta["label"] and res.meta["citation"] == "Source: UCDP, CC BY 4.0"
    assert res.meta["window"] == ["2022-11-01", "2023-10-31"]
    assert res.to_pandas().shape[0] == df.height


def test_ged_sample_deadliness_for_every_country(ucdp):
    from sahelwatch.domain.countries import gwno_to_iso3

    gw = gwno_to_iso3()

    res = ucdp.indicators("country", "2022-12-31", source="ucdp_ged")
    got = {r["unit"]: r["deadliness"] for r in res.to_polars().iter_rows(named=True)}
    expected = collections.Counter()
    for r in wf.read_rows(wf.GED_SAMPLE):
        if dt.date(2022, 1, 1) <= wf.day(r["date_start"]) <= dt.date(2022, 12, 31):
            expected[gw[int(float(r["country_id"]))]] += int(float(r["best"]))
    assert got == dict(expected)


def test_generated_acled_country_indicators_match_the_csv(acled):
    obs, rows = acled
    res = obs.indicators("country", "2024-12-31")
    got = {r["unit"]: r for r in res.to_polars().iter_rows(named=True)}
    armed = {"Rebel group", "Political militia", "Identity militia"}
    exp = collections.defaultdict(lambda: {"deadliness": 0, "danger": 0, "groups": set()})
    iso = {r["country"]: r["event_id_cnty"][:3] for r in rows}
    for r in rows:
        if not (dt.date(2024, 1, 1) <= wf.day(r["event_date"]) <= dt.date(2024, 12, 31)):
            continue
        if not r["disorder_type"].startswith("Political violence"):
            continue
        e = exp[iso[r["country"]]]
        e["deadliness"] += int(r["fatalities"])
        e["danger"] += r["civilian_targeting"] == "Civilian targeting"
        for name, inter in ((r["actor1"], r["inter1"]), (r["actor2"], r["inter2"])):
            if name and inter in armed and not name.startswith("Unidentified"):
                e["groups"].add(name)
    assert set(got) == set(exp)
    for k, e in exp.items():
        assert (got[k]["deadliness"], got[k]["danger"], got[k]["fragmentation"]) == \
            (e["deadliness"], e["danger"], len(e["groups"])), k
    assert res.meta["citation"] == "Source: ACLED (aggregated by sahelwatch)"


def test_admin1_units_add_up_to_their_country(acled):
    import polars as pl

    obs, _ = acled
    country = {r["unit"]: r for r in obs.indicators("country", "2024-12-31").to_polars().iter_rows(named=True)}
    admin1 = obs.indicators("admin1", "2024-12-31").to_polars()
    sums = admin1.group_by("country_iso3").agg(pl.col("deadliness").sum(), pl.col("danger").sum(),
                                               pl.col("events").sum())
    for iso, d, g, n in sums.iter_rows():
        assert (d, g, n) == (country[iso]["deadliness"], country[iso]["danger"], country[iso]["events"])
    assert admin1.filter(admin1["unit"] == "ML.04")["unit_name"].to_list() == ["Mopti"]


def test_min_group_events_threshold_reduces_fragmentation(acled):
    obs, _ = acled
    base = {r["unit"]: r["fragmentation"] for r in obs.indicators("country", "2024-12-31").to_polars().iter_rows(named=True)}
    strict = obs.indicators("country", "2024-12-31", min_group_events=50)
    for r in strict.to_polars().iter_rows(named=True):
        assert r["fragmentation"] <= base[r["unit"]]
    assert strict.meta["settings"]["min_group_events"] == 50


@pytest.mark.parametrize("call, message", [
    (lambda o: o.indicators("province"), "unknown unit 'province' (valid: country, admin1)"),
    (lambda o: o.indicators("country", sort="violence"), "valid: rank, deadliness"),
    (lambda o: o.indicators("country", source="acled"), "source 'acled' has no events in the store (valid: ucdp,"),
    (lambda o: o.indicators("country", source="ucdp_ged,acled"), "has no events"),
    (lambda o: o.indicators("country", source="views"), "unknown source 'views'"),
    (lambda o: o.indicators("country", on="2023-13-01"), "not a date"),
    (lambda o: o.indicators("country", country="XXX"), "unknown country 'XXX'"),
    (lambda o: o.indicators("country", window_months=0), "window_months must be >= 1"),
])
def test_bad_input_is_one_clear_error(ucdp, call, message):
    with pytest.raises(UsageError) as e:
        call(ucdp)
    assert message in str(e.value)
    assert "\n" not in str(e.value)


def test_missing_snapshot_lists_the_valid_ones(ucdp):
    with pytest.raises(SnapshotNotFound, match=r"snapshot 42 does not exist \(snapshots: 1..2\)"):
        ucdp.indicators("country", as_of=42)


def test_empty_store_says_so(tmp_path):
    with pytest.raises(UsageError, match="holds no events"):
        sahelwatch.open(tmp_path / "empty").indicators("country")


def test_cli_indicators_json_and_table(ucdp):
    from click.testing import CliRunner

    from sahelwatch.cli.main import cli

    r = CliRunner().invoke(cli, ["indicators", "--home", str(ucdp.home), "--on", "2023-10-31", "--source", "ucdp",
                                 "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert "not ACLED's" in doc["meta"]["label"] and doc["rows"][0]["rank"] == 1
    r = CliRunner().invoke(cli, ["indicators", "--home", str(ucdp.home), "--unit", "admin1", "--on", "2023-10-31"])
    assert r.exit_code == 0, r.output
    assert "not ACLED's Conflict Index" in r.output and "Source: UCDP, CC BY 4.0" in r.output
    r = CliRunner().invoke(cli, ["indicators", "--home", str(ucdp.home), "--unit", "region"])
    assert r.exit_code == 2 and r.output.strip() == "Error: unknown unit 'region' (valid: country, admin1)"
