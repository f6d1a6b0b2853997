"""Nothing lost: every row read is accepted or quarantined with file, row, line, field, value, reason."""

from __future__ import annotations

import pytest

from sw_rows import ACLED_HEADER, acled_row, write_csv


def _q(obs):
    return obs.quarantine().select("file", "row", "line", "field", "value", "reason").rows()


@pytest.mark.parametrize("field, value, reason", [
    ("event_date", "2024-13-45", "unparseable date"),
    ("event_date", "yesterday", "unparseable date"),
    ("latitude", "95.2", "latitude"),
    ("longitude", "-190", "longitude"),
    ("latitude", "north", "latitude"),
    ("fatalities", "about 10", "fatalities"),
    ("fatalities", "-3", "fatalities"),
    ("event_id_cnty", "", "missing event id"),
    ("timestamp", "", "timestamp"),
    ("inter1", "Aliens", "unknown actor type"),
])
def test_bad_acled_field_is_quarantined_with_reason(obs, tmp_path, field, value, reason):
    p = write_csv(tmp_path / "a.csv", [acled_row(1), acled_row(2, **{field: value}), acled_row(3)])
    rep = obs.ingest("acled", p)
    assert (rep.counts["read"], rep.counts["accepted"], rep.counts["quarantined"]) == (3, 2, 1)
    [(file, row, line, f, v, why)] = _q(obs)
    assert (file, row, line, f) == ("a.csv", 2, 3, field)
    assert (v or "") == value and reason in why
    assert sorted(obs.events().to_polars()["source_event_id"]) == ["MLI1", "MLI3"]


def test_all_failures_of_a_row_are_collected(obs, tmp_path):
    p = write_csv(tmp_path / "a.csv", [acled_row(1, event_date="nope", latitude="999", fatalities="x")])
    obs.ingest("acled", p)
    assert sorted(r[3] for r in _q(obs)) == ["event_date", "fatalities", "latitude"]
    assert obs.snapshots()[-1].counts["quarantined"] == 1


def test_duplicate_id_with_different_content_quarantines_both(obs, tmp_path):
    p = write_csv(tmp_path / "a.csv", [acled_row(1), acled_row(2, fatalities=1), acled_row(2, fatalities=9),
                                       acled_row(3), acled_row(3)])
    rep = obs.ingest("acled", p)
    assert (rep.counts["accepted"], rep.counts["quarantined"], rep.counts["repeated_in_file"]) == (3, 2, 1)
    rows = _q(obs)
    assert [(r[1], r[3]) for r in rows] == [(2, "event_id_cnty"), (3, "event_id_cnty")]
    assert "more than once" in rows[0][5]
    assert sorted(obs.events().to_polars()["source_event_id"]) == ["MLI1", "MLI3"]


def test_line_numbers_count_multiline_notes(obs, tmp_path):
    rows = [acled_row(1, notes="first line\nsecond line\nthird"), acled_row(2), acled_row(3, latitude="x")]
    obs.ingest("acled", write_csv(tmp_path / "a.csv", rows))
    [(_, row, line, *_rest)] = _q(obs)
    assert (row, line) == (3, 6)  # header 1, row 1 spans 2-4, row 2 is line 5


def test_wrong_column_count_is_quarantined_and_the_rest_kept(obs, tmp_path):
    p = write_csv(tmp_path / "a.csv", [acled_row(i) for i in range(1, 5)])
    lines = p.read_text().splitlines()
    lines[2] = lines[2] + ",extra,fields"
    p.write_text("\n".join(lines) + "\n")
    rep = obs.ingest("acled", p)
    assert (rep.counts["read"], rep.counts["accepted"], rep.counts["quarantined"]) == (4, 3, 1)
    [(_, row, line, field, value, reason)] = _q(obs)
    assert (row, line, value) == (2, 3, "33") and "wrong column count" in reason


def test_undecodable_bytes_in_a_utf8_file(obs, tmp_path):
    p = write_csv(tmp_path / "a.csv", [acled_row(1, location="Ségou"), acled_row(2), acled_row(3)])
    data = p.read_bytes().replace(b"clash 2 near", b"clash \xff\xfe near")
    p.write_bytes(data)
    rep = obs.ingest("acled", p)
    assert (rep.counts["accepted"], rep.counts["quarantined"]) == (2, 1)
    [(_, row, line, field, value, reason)] = _q(obs)
    assert (row, line) == (2, 3) and "undecodable" in reason and "\\xff" in value
    assert obs.events().to_polars().sort("source_event_id")["location"][0] == "Ségou"


def test_quarantine_keeps_the_raw_row(obs, tmp_path):
    import json

    obs.ingest("acled", write_csv(tmp_path / "a.csv", [acled_row(7, fatalities="many")]))
    raw = json.loads(obs.quarantine()["raw"][0])
    assert raw["event_id_cnty"] == "MLI7" and raw["fatalities"] == "many"
    assert list(raw) == ACLED_HEADER


def test_counts_always_add_up_on_generated_messy_files(obs, tmp_path):
    import random

    rnd = random.Random(7)
    rows = []
    for i in range(1, 400):
        kw = {}
        if rnd.random() < 0.1:
            kw[rnd.choice(["latitude", "fatalities", "event_date"])] = rnd.choice(["", "x", "1e999", "-5"])
        rows.append(acled_row(i, **kw))
    rep = obs.ingest("acled", write_csv(tmp_path / "m.csv", rows))
    c = rep.counts
    assert c["read"] == 399 == c["accepted"] + c["quarantined"]
    assert c["accepted"] == c["new"] + c["changed"] + c["unchanged"] + c["older"] + c["repeated_in_file"]
    assert len(obs.events()) == c["new"]
    assert obs.quarantine()["row"].n_unique() == c["quarantined"] > 0
