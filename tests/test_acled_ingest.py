"""ACLED exports: layouts, inter codes, date styles, real quirks accepted and flagged."""

from __future__ import annotations

import datetime as dt

import pytest

from sw_rows import ACLED_HEADER, acled_row, write_csv


def test_current_layout_with_text_inter_codes(obs, tmp_path):
    p = write_csv(tmp_path / "acled.csv", [acled_row(1), acled_row(2, fatalities=0, event_type="Violence against civilians",
                                                                     sub_event_type="Attack", inter2="Civilians",
                                                                     interaction="State forces-Civilians",
                                                                     civilian_targeting="Civilian targeting")])
    rep = obs.ingest("acled", p)
    assert rep.counts == {**rep.counts, "read": 2, "accepted": 2, "quarantined": 0, "new": 2}
    df = obs.events().to_polars().sort("source_event_id")
    a, b = df.rows(named=True)
    assert a["event_key"] == "acled:MLI1" and a["country_iso3"] == "MLI" and a["gwno"] == 432
    assert (a["inter1"], a["inter2"], a["interaction"]) == (1, 2, 12)
    assert a["category"] == "battle" and a["date_start"] == dt.date(2024, 1, 15)
    assert a["fatalities_low"] == a["fatalities_best"] == a["fatalities_high"] == 3
    assert a["priogrid_gid"] == 207 * 720 + 350 + 1  # rows floor(103.9061/0.5), cols floor(175.4467/0.5)
    assert a["civilian_targeting"] is False and b["civilian_targeting"] is True
    assert (b["inter2"], b["interaction"], b["category"]) == (7, 17, "violence_against_civilians")
    assert a["source_release"] == "1705500000"


def test_numeric_inter_codes_and_export_tool_dates(obs, tmp_path):
    p = write_csv(tmp_path / "acled.csv", [
        acled_row(1, inter1="1", inter2="2", interaction="12", event_date="15 January 2024"),
        acled_row(2, inter1="6", inter2="", interaction="60", event_type="Protests",
                  sub_event_type="Peaceful protest", event_date="03-March-2023", fatalities="0"),
    ])
    obs.ingest("acled", p)
    df = obs.events().to_polars().sort("source_event_id")
    assert df["date_start"].to_list() == [dt.date(2024, 1, 15), dt.date(2023, 3, 3)]
    assert df["interaction"].to_list() == [12, 60]
    assert df["inter2"].to_list() == [2, 0]
    assert df["category"].to_list() == ["battle", "protest"]


def test_old_layout_without_disorder_type_and_civilian_targeting(obs, tmp_path):
    header = [h for h in ACLED_HEADER if h not in ("disorder_type", "civilian_targeting")]
    p = write_csv(tmp_path / "old.csv", [acled_row(1)], header=header)
    rep = obs.ingest("acled", p)
    assert rep.counts["accepted"] == 1
    snap = obs.snapshots()[-1]
    assert snap.layout == "old"
    e = obs.events().to_polars().row(0, named=True)
    assert e["disorder_type"] is None and e["civilian_targeting"] is None


def test_population_columns_are_kept_and_exported(obs, tmp_path):
    header = ACLED_HEADER + ["population_1km", "population_2km", "population_5km", "population_best"]
    p = write_csv(tmp_path / "pop.csv", [acled_row(1, population_1km=1200, population_2km=3400,
                                                   population_5km=9000, population_best=1200)], header=header)
    obs.ingest("acled", p)
    assert obs.snapshots()[-1].layout == "current+population"
    src = obs.events().to_source()
    assert src.columns == header
    assert src.row(0, named=True)["population_5km"] == "9000"


def test_demostrations_spelling_is_accepted_and_flagged(obs, tmp_path):
    p = write_csv(tmp_path / "a.csv", [acled_row(1, event_type="Riots/Protests", sub_event_type="Demostrations",
                                                 inter1="Protesters", inter2="", interaction="Protesters only")])
    rep = obs.ingest("acled", p)
    assert rep.counts["accepted"] == 1
    e = obs.events().to_polars().row(0, named=True)
    assert e["flags"] == ["event_type_misspelt"] and e["category"] == "protest" and e["interaction"] == 60


def test_bom_and_latin1_files_are_read(obs, tmp_path):
    rows = [acled_row(1, location="Ségou", admin1="Ségou"), acled_row(2)]
    bom = write_csv(tmp_path / "bom.csv", rows, encoding="utf-8-sig")
    rep = obs.ingest("acled", bom)
    assert rep.counts["accepted"] == 2
    assert obs.events().to_polars().sort("source_event_id")["location"][0] == "Ségou"
    lat = write_csv(tmp_path / "latin1.csv", [acled_row(3, location="Ségou"), acled_row(4)], encoding="latin-1")
    rep = obs.ingest("acled", lat)
    assert rep.counts["accepted"] == 2 and rep.counts["quarantined"] == 0
    df = obs.events().to_polars().filter(obs.events().to_polars()["source_event_id"].is_in(["MLI3", "MLI4"])).sort("source_event_id")
    assert df["location"].to_list() == ["Ségou", "Djenne"]
    assert df["flags"].to_list() == [["latin1_decoded"], []]


def test_zip_export(obs, tmp_path):
    import zipfile

    p = write_csv(tmp_path / "acled.csv", [acled_row(i) for i in range(1, 6)])
    z = tmp_path / "acled.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(p, "2024-acled-export.csv")
    assert obs.ingest("acled", z).counts["accepted"] == 5


def test_not_an_acled_file_is_refused(obs, ged_sample):
    from sahelwatch import SourceFormatError

    with pytest.raises(SourceFormatError, match="not an ACLED export"):
        obs.ingest("acled", ged_sample)
    assert obs.snapshots() == []
