"""Versions and snapshots: revisions, deletions, release supersession, as-of views."""

from __future__ import annotations

import csv

import pytest

from sw_rows import acled_row, write_csv


def _keys(res):
    return sorted(res.to_polars()["event_key"].to_list())


def test_same_file_again_is_reported_and_writes_nothing(obs, tmp_path):
    p = write_csv(tmp_path / "a.csv", [acled_row(1)])
    first = obs.ingest("acled", p)
    again = obs.ingest("acled", p)
    assert again.snapshot is None and again.duplicate_of == first.snapshot
    assert "already ingested as snapshot 1" in again.warnings[0]
    assert len(obs.snapshots()) == 1


def test_newer_acled_timestamp_is_a_new_version_older_is_ignored(obs, tmp_path):
    obs.ingest("acled", write_csv(tmp_path / "1.csv", [acled_row(1, fatalities=3), acled_row(2)]))
    rep = obs.ingest("acled", write_csv(tmp_path / "2.csv", [
        acled_row(1, fatalities=7, timestamp=1705600000),  # revised
        acled_row(2, fatalities=99, timestamp=1705400000),  # older than the store: ignored
        acled_row(3),
    ]))
    assert {k: rep.counts[k] for k in ("new", "changed", "unchanged", "older")} == \
        {"new": 1, "changed": 1, "unchanged": 0, "older": 1}
    now = obs.events().to_polars().sort("event_key")
    assert now["fatalities_best"].to_list() == [7, 3, 3]
    then = obs.events(as_of=1).to_polars().sort("event_key")
    assert then["fatalities_best"].to_list() == [3, 3]


def test_acled_deletion_tombstones_and_blocks_older_resurrection(obs, tmp_path):
    obs.ingest("acled", write_csv(tmp_path / "1.csv", [acled_row(1), acled_row(2)]))
    d = tmp_path / "deleted.csv"
    d.write_text("event_id_cnty,deleted_timestamp\nMLI1,1705600000\nMLI999,1705600000\n")
    rep = obs.ingest("acled-deletions", d)
    assert (rep.counts["deleted"], rep.counts["unknown"]) == (1, 1)
    assert _keys(obs.events()) == ["acled:MLI2"]
    assert _keys(obs.events(as_of=1)) == ["acled:MLI1", "acled:MLI2"]
    # an export older than the deletion does not bring the event back ...
    rep = obs.ingest("acled", write_csv(tmp_path / "old.csv", [acled_row(1), acled_row(999)]))
    assert rep.counts["older"] == 2 and _keys(obs.events()) == ["acled:MLI2"]
    # ... a genuinely newer version does
    rep = obs.ingest("acled", write_csv(tmp_path / "new.csv", [acled_row(1, timestamp=1705700000)]))
    assert rep.counts["new"] == 1 and _keys(obs.events()) == ["acled:MLI1", "acled:MLI2"]


def _ged_subset(src, dst, keep, change=None):
    with open(src, newline="", encoding="utf-8") as fh:
        r = csv.DictReader(fh)
        rows = [row for i, row in enumerate(r) if i in keep]
        header = r.fieldnames
    for row in rows:
        if change and row["id"] in change:
            row["best"] = change[row["id"]]
    with open(dst, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(rows)
    return dst, [row["id"] for row in rows]


def test_new_ged_release_supersedes_the_previous(obs, tmp_path, ged_sample):
    a, ids_a = _ged_subset(ged_sample, tmp_path / "GEDEvent_v23_1.csv", range(0, 10))
    b, ids_b = _ged_subset(ged_sample, tmp_path / "GEDEvent_v24_1.csv", range(5, 15),
                           change={ids_a[6]: "1234"})
    obs.ingest("ucdp", a)
    rep = obs.ingest("ucdp", b)
    assert {k: rep.counts[k] for k in ("new", "changed", "unchanged", "deleted")} == \
        {"new": 5, "changed": 1, "unchanged": 4, "deleted": 5}
    now = obs.events().to_polars()
    assert sorted(now["source_event_id"]) == sorted(str(int(float(i))) for i in ids_b)
    assert now.filter(now["source_event_id"] == str(int(float(ids_a[6]))))["fatalities_best"][0] == 1234
    # unchanged events keep the version (and release) they were first seen in
    assert sorted(now["source_release"].unique().to_list()) == ["23.1", "24.1"]
    assert len(obs.events(as_of=1)) == 10


def test_candidates_add_up_until_ged_covers_their_months(obs, tmp_path, candidate, ged_sample):
    obs.ingest("ucdp-candidate", candidate)
    assert len(obs.events(source="ucdp_candidate")) == 2391
    # a GED 24.1 release covers 2023: the October 2023 candidates are superseded
    g, _ = _ged_subset(ged_sample, tmp_path / "GEDEvent_v24_1.csv", range(0, 20))
    rep = obs.ingest("ucdp", g)
    assert rep.counts["superseded_candidates"] == 2391
    assert len(obs.events(source="ucdp_candidate")) == 0
    assert len(obs.events(source="ucdp_candidate", as_of=1)) == 2391
    # a later candidate file for months GED covers adds nothing
    c2 = tmp_path / "GEDEvent_v23_0_11.csv"
    c2.write_bytes(candidate.read_bytes() + b"\n")  # other bytes (a blank line), same rows
    rep = obs.ingest("ucdp-candidate", c2)
    assert rep.counts["superseded"] == 2391 and rep.counts["new"] == 0


def test_ged_release_older_than_current_warns(obs, tmp_path, ged_sample):
    a, _ = _ged_subset(ged_sample, tmp_path / "GEDEvent_v24_1.csv", range(0, 5))
    b, _ = _ged_subset(ged_sample, tmp_path / "GEDEvent_v23_1.csv", range(0, 6))
    obs.ingest("ucdp", a)
    rep = obs.ingest("ucdp", b)
    assert any("older than the current 24.1" in w for w in rep.warnings)


def test_as_of_unknown_snapshot_is_a_clear_error(obs, tmp_path):
    from sahelwatch import SnapshotNotFound

    obs.ingest("acled", write_csv(tmp_path / "a.csv", [acled_row(1)]))
    with pytest.raises(SnapshotNotFound, match="snapshot 5 does not exist \\(snapshots: 1..1\\)"):
        obs.events(as_of=5)


def test_partial_ged_extract_keeps_absent_events(obs, tmp_path, ged_sample):
    a, _ = _ged_subset(ged_sample, tmp_path / "GEDEvent_v23_1.csv", range(0, 10))
    b, _ = _ged_subset(ged_sample, tmp_path / "extract.csv", range(0, 3))
    obs.ingest("ucdp", a)
    rep = obs.ingest("ucdp", b, release="23.1", partial=True)
    assert rep.counts["deleted"] == 0 and len(obs.events()) == 10


def test_filters_follow_each_version_when_a_revision_moves_an_event(obs, tmp_path):
    obs.ingest("acled", write_csv(tmp_path / "1.csv", [acled_row(1), acled_row(2)]))
    moved = acled_row(1, iso=854, country="Burkina Faso", event_date="2023-12-30", timestamp=1705600000)
    obs.ingest("acled", write_csv(tmp_path / "2.csv", [moved]))
    assert _keys(obs.events(country="MLI", start="2024-01-01")) == ["acled:MLI2"]
    assert _keys(obs.events(country="BFA", end="2023-12-31")) == ["acled:MLI1"]
    assert _keys(obs.events(country="MLI", start="2024-01-01", as_of=1)) == ["acled:MLI1", "acled:MLI2"]
    assert _keys(obs.events(country="BFA", as_of=1)) == []
    assert _keys(obs.events(country="MLI,BFA", source="acled")) == ["acled:MLI1", "acled:MLI2"]
