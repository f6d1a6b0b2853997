"""Files larger than one batch: the rules hold across batch boundaries."""

from __future__ import annotations

import pytest
from sw_rows import acled_row, write_csv

from sahelwatch.sources import _csvread


@pytest.fixture
def tiny_batches(monkeypatch):
    monkeypatch.setattr(_csvread, "BATCH_ROWS", 3)


def test_conflicts_and_repeats_across_batches(obs, tmp_path, tiny_batches):
    rows = [acled_row(i) for i in range(1, 11)]
    rows.append(acled_row(2, fatalities=40))  # same id as row 2, other content, 9 rows later
    rows.append(acled_row(5))  # identical repeat of row 5
    rep = obs.ingest("acled", write_csv(tmp_path / "a.csv", rows))
    c = rep.counts
    assert (c["read"], c["accepted"], c["quarantined"], c["repeated_in_file"]) == (12, 10, 2, 1)
    q = obs.quarantine().select("row", "line", "field").rows()
    assert q == [(2, 3, "event_id_cnty"), (11, 12, "event_id_cnty")]
    assert sorted(obs.events().to_polars()["source_event_id"]) == sorted(f"MLI{i}" for i in range(1, 11) if i != 2)
    assert len(list((obs.home / "events").glob("000001-*.parquet"))) == 1  # rewritten as one file


def test_many_batch_files_make_one_snapshot(obs, tmp_path, tiny_batches):
    rep = obs.ingest("acled", write_csv(tmp_path / "a.csv", [acled_row(i) for i in range(1, 11)]))
    assert rep.counts["new"] == 10
    assert len(list((obs.home / "events").glob("000001-*.parquet"))) == 4  # 3+3+3+1 rows
    assert len(obs.events(country="MLI")) == 10


def test_a_bad_record_late_in_the_file_restarts_on_the_careful_path(obs, tmp_path, tiny_batches):
    p = write_csv(tmp_path / "a.csv", [acled_row(i) for i in range(1, 11)])
    lines = p.read_text().splitlines()
    lines[9] += ",one,too,many"  # record 9: after two good batches were already staged
    p.write_text("\n".join(lines) + "\n")
    rep = obs.ingest("acled", p)
    assert (rep.counts["read"], rep.counts["accepted"], rep.counts["quarantined"]) == (10, 9, 1)
    [(row, line, reason)] = obs.quarantine().select("row", "line", "reason").rows()
    assert (row, line) == (9, 10) and "wrong column count" in reason
    assert len(obs.events()) == 9
