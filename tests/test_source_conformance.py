"""One conformance suite for every source format (sktime's check_estimator, for ingest).

Each source, fed a file the generator or a mapping produces, must: account for every row,
give every event ISO3 and Gleditsch-Ward codes, quarantine a broken row with its line,
refuse a file of another format without making a snapshot, and give its file back
(export in the source's format, ingest again: nothing new).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import sahelwatch
from sahelwatch import SourceFormatError
from sahelwatch.fixtures.generator import generate_acled, generate_ucdp

MAPPING = """source: field_team
columns:
  source_event_id: ref
  date_start: day
  country_iso3: iso3
  latitude: lat
  longitude: lon
  fatalities_best: deaths
"""


def _acled(tmp: Path) -> tuple[str, Path, dict, str]:
    p = tmp / "acled.csv"
    generate_acled(p, 300, seed=3)
    return "acled", p, {}, "latitude"


def _ged(tmp: Path):
    p = tmp / "GEDEvent_v25_1.csv"
    generate_ucdp(p, 300, seed=3, kind="ged", release="25.1")
    return "ucdp", p, {}, "latitude"


def _ged42(tmp: Path):
    p = tmp / "GEDEvent_v19_1.csv"
    generate_ucdp(p, 300, seed=3, kind="ged", release="19.1", layout="42")
    return "ucdp", p, {}, "latitude"


def _candidate(tmp: Path):
    p = tmp / "GEDEvent_v25_0_9.csv"
    generate_ucdp(p, 300, seed=3, kind="candidate", release="25.0.9")
    return "ucdp-candidate", p, {}, "latitude"


def _own(tmp: Path):
    (tmp / "map.yaml").write_text(MAPPING)
    p = tmp / "own.csv"
    with open(p, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["ref", "day", "iso3", "lat", "lon", "deaths", "comment"])
        for i in range(300):
            w.writerow([f"F{i}", f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", ["MLI", "BFA", "NER"][i % 3],
                        12 + (i % 50) / 10, -2 + (i % 40) / 10, i % 7, f"note {i}, with a comma"])
    return "csv", p, {"mapping": tmp / "map.yaml"}, "lat"


SOURCES = {"acled": _acled, "ucdp_ged_49": _ged, "ucdp_ged_42": _ged42, "ucdp_candidate": _candidate,
           "own_csv": _own}


@pytest.fixture(params=sorted(SOURCES))
def case(request, tmp_path):
    kind, path, opts, lat_col = SOURCES[request.param](tmp_path)
    return sahelwatch.open(tmp_path / "home"), kind, path, opts, lat_col


def _break_row(path: Path, lat_col: str, row: int) -> Path:
    """The same file with row ``row`` (1-based) given latitude 123."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
        header = list(rows[0])
    rows[row - 1][lat_col] = "123"
    out = path.with_name("broken-" + path.name)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(rows)
    return out


def test_every_row_is_accounted_for_and_coded(case):
    obs, kind, path, opts, _ = case
    rep = obs.ingest(kind, path, **opts)
    c = rep.counts
    assert c["read"] == 300 == c["accepted"] + c["quarantined"] and c["quarantined"] == 0
    df = obs.events().to_polars()
    assert df.height == c["new"] == 300
    assert df["country_iso3"].null_count() == 0 and df["gwno"].null_count() == 0
    assert df["event_key"].str.starts_with(rep.source + ":").all()


def test_a_broken_row_is_quarantined_with_its_line(case):
    obs, kind, path, opts, lat_col = case
    rep = obs.ingest(kind, _break_row(path, lat_col, 7), **opts)
    assert (rep.counts["accepted"], rep.counts["quarantined"]) == (299, 1)
    [(row, line, field, value)] = obs.quarantine().select("row", "line", "field", "value").rows()
    assert (row, field, value) == (7, lat_col, "123") and line >= 8


def test_another_format_is_refused_without_a_snapshot(case, tmp_path):
    obs, kind, _, opts, _ = case
    other = tmp_path / "GEDEvent_v25_1-other.csv"
    other.write_text("date,place,count\n2024-01-01,Gao,3\n")
    with pytest.raises(SourceFormatError):
        obs.ingest(kind, other, **opts)
    assert obs.snapshots() == []


def test_a_header_without_rows_is_refused_without_a_snapshot(case, tmp_path):
    obs, kind, path, opts, _ = case
    obs.ingest(kind, path, **opts)
    before = [(s.id, s.sha256) for s in obs.snapshots()]
    empty = tmp_path / ("empty-" + path.name)
    with path.open(encoding="utf-8-sig", newline="") as f:
        empty.write_text(f.readline(), encoding="utf-8")
    with pytest.raises(SourceFormatError, match="a header and no data rows: nothing to ingest"):
        obs.ingest(kind, empty, **opts)
    assert [(s.id, s.sha256) for s in obs.snapshots()] == before
    assert not any((obs.home / "staging").iterdir())


def test_export_in_the_source_format_gives_the_file_back(case, tmp_path):
    obs, kind, path, opts, _ = case
    obs.ingest(kind, path, **opts)
    out = tmp_path / ("again-" + path.name)
    obs.events().write(out, "source")
    with open(path, newline="", encoding="utf-8") as a, open(out, newline="", encoding="utf-8") as b:
        original = sorted(tuple(r.values()) for r in csv.DictReader(a))
        exported = sorted(tuple(r.values()) for r in csv.DictReader(b))
    assert exported == original
    rep = obs.ingest(kind, out, **opts)
    assert rep.counts["unchanged"] == 300 and rep.counts["new"] == rep.counts["changed"] == 0
