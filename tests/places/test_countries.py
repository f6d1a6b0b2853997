"""The country crosswalk: GED's GW numbers, names in two languages, dated changes."""

from __future__ import annotations

import datetime as dt

import pytest

from sahelwatch.domain import countries
from sahelwatch.domain.errors import UsageError


def test_every_ged_country_id_maps_to_an_iso3(ged_rows):
    ids = {(r["country_id"], r["country"]) for r in ged_rows.select("country_id", "country").unique().iter_rows(named=True)}
    unmapped = [(i, n) for i, n in ids if countries.gwno_to_iso3_on(i) is None]
    assert unmapped == []
    # GED writes "432.0" in the 1000-row sample and "432" elsewhere
    assert countries.gwno_to_iso3_on("432.0") == countries.gwno_to_iso3_on("432") == "MLI"


@pytest.mark.parametrize("gw,iso3", [(432, "MLI"), (439, "BFA"), (436, "NER"), (483, "TCD"), (435, "MRT"), (475, "NGA"),
                                     (437, "CIV"), (490, "COD"), (678, "YEM"), (365, "RUS"), (626, "SSD"), (625, "SDN")])
def test_gw_numbers_of_ged_countries(gw, iso3):
    assert countries.gwno_to_iso3()[gw] == iso3


def test_dated_changes():
    assert countries.gwno_to_iso3_on(678, dt.date(1989, 1, 1)) == "YEM"
    assert countries.gwno_to_iso3_on(680, dt.date(1989, 1, 1)) == "YMD"
    assert countries.iso3_to_gwno()["YEM"] == 679
    assert countries.lookup("DEU", on=dt.date(1985, 1, 1)).gwno == 260
    assert countries.lookup("DEU", on=dt.date(2000, 1, 1)).gwno == 255
    assert countries.gwno_to_iso3_on(265, dt.date(1980, 1, 1)) == "DDR"
    assert countries.lookup("SDN", on=dt.date(2005, 1, 1)).iso_numeric == 736
    assert countries.lookup("SDN", on=dt.date(2015, 1, 1)).iso_numeric == 729
    assert countries.numeric_to_iso3()[736] == countries.numeric_to_iso3()[729] == "SDN"
    assert countries.lookup("SSD").valid_from == dt.date(2011, 7, 9)
    assert countries.lookup("ERI").valid_from == dt.date(1993, 5, 24)
    assert countries.gwno_to_iso3_on(345, dt.date(1999, 3, 24)) == "YUG"
    assert countries.gwno_to_iso3_on(340, dt.date(2010, 1, 1)) == "SRB"
    assert countries.lookup("gw:347").iso3 == "XKX"
    assert countries.gwno_to_iso3_on(315, dt.date(1990, 1, 1)) == "CSK"
    assert countries.lookup("CZE").valid_from == countries.lookup("SVK").valid_from == dt.date(1993, 1, 1)
    assert countries.gwno_to_iso3_on(365, dt.date(1985, 1, 1)) == "SUN"


def test_names_in_english_and_french():
    assert countries.name("CIV") == "Côte d'Ivoire" == countries.name("CIV", "fr")
    assert countries.name("COD") == "DR Congo"
    assert countries.name("TCD", "fr") == "Tchad"
    assert countries.name("MRT", "fr") == "Mauritanie"
    assert countries.name("DEU", "fr") == "Allemagne"
    assert all(c.name_fr for c in countries.all_countries())
    with pytest.raises(UsageError):
        countries.name("MLI", "de")


def test_intervals_of_one_code_do_not_overlap():
    by_gw: dict[int, list] = {}
    for c in countries.all_countries():
        if c.gwno is not None:
            by_gw.setdefault(c.gwno, []).append(c)
    for gw, rows in by_gw.items():
        rows.sort(key=lambda c: c.valid_from or dt.date.min)
        for a, b in zip(rows, rows[1:]):
            assert a.valid_to is not None and b.valid_from is not None and a.valid_to < b.valid_from, gw
