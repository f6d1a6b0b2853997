"""Own data: a CSV mapped to the canonical schema by a YAML file."""

from __future__ import annotations

import pytest

from sahelwatch import MappingError

MAPPING = """
source: ngo_field
columns:
  source_event_id: ref
  date_start: when
  country_iso3: iso
  latitude: lat
  longitude: lon
  fatalities_best: killed
  actor1: perpetrator
  notes: what
date_format: "%d/%m/%Y"
constants:
  category: violence_against_civilians
  geo_precision: exact
"""


def _files(tmp_path, body):
    (tmp_path / "map.yaml").write_text(MAPPING)
    (tmp_path / "own.csv").write_text(body)
    return tmp_path / "own.csv", tmp_path / "map.yaml"


def test_mapped_csv_is_ingested_with_codes_and_flags(obs, tmp_path):
    csv, m = _files(tmp_path, "ref,when,iso,lat,lon,killed,perpetrator,what\n"
                              "A1,03/10/2023,mli,14.49,-4.19,4,Unknown,Attack on Mopti road\n"
                              "A2,2023-10-05,BFA,12.37,-1.52,,JNIM,Raid\n"
                              "A3,31/02/2023,NER,13.5,2.1,1,IS Sahel,Bad date\n")
    rep = obs.ingest("csv", csv, mapping=m)
    assert (rep.counts["accepted"], rep.counts["quarantined"]) == (2, 1)
    df = obs.events().to_polars().sort("source_event_id")
    a = df.row(0, named=True)
    assert a["event_key"] == "ngo_field:A1" and a["country_iso3"] == "MLI" and a["gwno"] == 432
    assert str(a["date_start"]) == "2023-10-03" and a["category"] == "violence_against_civilians"
    assert a["fatalities_best"] == a["fatalities_high"] == 4
    assert df.row(1, named=True)["fatalities_best"] is None
    [q] = obs.quarantine().select("row", "field", "reason").rows()
    assert q[0] == 3 and q[1] == "when" and "unparseable date" in q[2]
    # same rows changed: a new version of A2 only
    csv.write_text(csv.read_text().replace("JNIM,Raid", "JNIM,Raid on Kaya road"))
    rep = obs.ingest("csv", csv, mapping=m)
    assert (rep.counts["changed"], rep.counts["unchanged"]) == (1, 1)


@pytest.mark.parametrize("yaml_text, message", [
    ("source: acled\ncolumns: {source_event_id: a, date_start: b, country_iso3: c}", "must be a lower-case name"),
    ("source: mine\ncolumns: {date_start: b, country_iso3: c}", "source_event_id and date_start are required"),
    ("source: mine\ncolumns: {source_event_id: a, date_start: b}", "country_iso3 or gwno is required"),
    ("source: mine\ncolumns: {source_event_id: a, date_start: b, country_iso3: c, deaths: d}", "'deaths' is not a mappable"),
    ("source: mine\ncolumn: {}", "unknown key(s) ['column']"),
    ("source: [\n", "not valid YAML"),
])
def test_bad_mapping_gives_a_clear_error(obs, tmp_path, yaml_text, message):
    (tmp_path / "m.yaml").write_text(yaml_text)
    (tmp_path / "x.csv").write_text("a,b,c,d\n1,2023-01-01,MLI,3\n")
    with pytest.raises(MappingError) as e:
        obs.ingest("csv", tmp_path / "x.csv", mapping=tmp_path / "m.yaml")
    assert message in str(e.value) and "m.yaml" in str(e.value)
    assert obs.snapshots() == []
