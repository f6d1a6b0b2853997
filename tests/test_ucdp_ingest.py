"""UCDP GED and Candidate files, on the real samples in tests/data."""

from __future__ import annotations

import csv

import pytest

from sahelwatch.sources import ucdp


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_ged231_sample_all_rows_accepted_with_real_values(obs, ged_sample):
    rep = obs.ingest("ucdp", ged_sample)
    assert rep.release == "23.1"
    assert rep.counts["read"] == 1000 and rep.counts["accepted"] == 1000 and rep.counts["quarantined"] == 0
    df = obs.events().to_polars()
    assert df.height == 1000
    rows = {str(int(float(r["id"]))): r for r in _rows(ged_sample)}
    e = df.filter(df["source_event_id"] == "300380").row(0, named=True)
    assert e["event_key"] == "ucdp_ged:300380"
    assert e["country_iso3"] == "SYR" and e["gwno"] == 652
    assert e["fatalities_best"] == 2 and e["priogrid_gid"] == 181154
    assert str(e["date_start"]) == rows["300380"]["date_start"]
    # every event has ISO3 and GW codes
    assert df["country_iso3"].null_count() == 0 and df["gwno"].null_count() == 0


def test_ged_priogrid_matches_source_on_every_row(obs, ged_sample, candidate):
    obs.ingest("ucdp", ged_sample)
    obs.ingest("ucdp-candidate", candidate)
    df = obs.events().to_polars()
    expected = {}
    for path, src in ((ged_sample, "ucdp_ged"), (candidate, "ucdp_candidate")):
        for r in _rows(path):
            if r["priogrid_gid"]:
                expected[f"{src}:{int(float(r['id']))}"] = int(float(r["priogrid_gid"]))
    got = dict(zip(df["event_key"].to_list(), df["priogrid_gid"].to_list()))
    assert len(expected) > 3000
    assert {k: got[k] for k in expected} == expected


def test_low_best_high_quirk_is_flagged_not_rejected(obs, ged_sample):
    obs.ingest("ucdp", ged_sample)
    broken = sum(1 for r in _rows(ged_sample)
                 if not (float(r["low"]) <= float(r["best"]) <= float(r["high"])))
    df = obs.events().to_polars()
    flagged = df.filter(df["flags"].list.contains("low_best_high_inconsistent")).height
    assert broken > 0 and flagged == broken


def test_ged191_42_column_layout(obs, ged191):
    rep = obs.ingest("ucdp", ged191, release="19.1")
    assert rep.counts["accepted"] == 3194
    df = obs.events().to_polars()
    assert df.group_by("country_iso3").len().sort("country_iso3").rows() == [("BGD", 601), ("MMR", 2593)]
    snap = obs.snapshots()[-1]
    assert snap.layout == "42-column" and len(snap.header) == 42


def test_candidate_code_status_and_sahel_totals(obs, candidate):
    obs.ingest("ucdp-candidate", candidate)
    df = obs.events().to_polars()
    assert df.height == 2391
    import polars as pl

    by = {r[0]: (r[1], r[2]) for r in df.group_by("country_iso3").agg(
        pl.len(), pl.col("fatalities_best").sum()).rows()}
    # expected values from the CSV, counted with the csv module
    exp: dict[str, list[int]] = {}
    for r in _rows(candidate):
        k = {"Burkina Faso": "BFA", "Mali": "MLI", "Niger": "NER"}.get(r["country"])
        if k:
            exp.setdefault(k, [0, 0])
            exp[k][0] += 1
            exp[k][1] += int(r["best"])
    assert exp == {"BFA": [58, 569], "MLI": [55, 119], "NER": [12, 115]}
    assert {k: list(by[k]) for k in exp} == exp
    status = df.group_by("source_status").len().sort("len", descending=True).row(0)
    assert status == ("Clear", 1953)


@pytest.mark.parametrize("name, kind, release", [
    ("GEDEvent_v25_1.csv", "ged", "25.1"),
    ("GEDEvent_v25_0_9.csv", "candidate", "25.0.9"),
    ("GEDEvent_v23_0_10.zip", "candidate", "23.0.10"),
    ("ged231-csv.zip", "ged", "23.1"),
    ("ged231_sample1000_global.csv", "ged", "23.1"),
    ("my-extract.csv", "ged", None),
])
def test_release_from_file_name(name, kind, release):
    assert ucdp.release_from_name(name, kind) == release


def test_zip_as_ucdp_distributes_it(obs, tmp_path, candidate):
    import zipfile

    z = tmp_path / "GEDEvent_v23_0_10.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(candidate, "GEDEvent_v23_0_10.csv")
    rep = obs.ingest("ucdp-candidate", z)
    assert rep.release == "23.0.10" and rep.counts["accepted"] == 2391


def test_wrong_header_is_refused_without_a_snapshot(obs, tmp_path):
    from sahelwatch import SourceFormatError

    p = tmp_path / "GEDEvent_v25_1.csv"
    p.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(SourceFormatError, match="not a UCDP GED file: missing column"):
        obs.ingest("ucdp", p)
    assert obs.snapshots() == []
    assert list((obs.home / "events").iterdir()) == []
