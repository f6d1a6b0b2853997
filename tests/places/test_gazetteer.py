"""Gazetteer search: accents, case and French/English spellings; ranked by quality and population."""

from __future__ import annotations

import pytest

from sahelwatch.domain.errors import UsageError
from sahelwatch.places import search


def _top(query, **kw):
    hits = search(query, **kw)
    assert hits.height > 0, query
    return hits.row(0, named=True)


@pytest.mark.parametrize("query", ["Menaka", "ménaka", "MENAKA", "Ménaka"])
def test_menaka_is_found_whatever_the_accents_and_case(query):
    top = _top(query, country="MLI")
    assert (top["name"], top["latitude"], top["longitude"]) == ("Ménaka", 15.9182, 2.4022)
    assert top["country_iso3"] == "MLI"
    assert "Menaka" in top["alternatenames"]
    assert (top["admin1_name"], top["admin2_name"]) == ("Gao", "Menaka")  # bundled boundaries: pre-2016 regions


@pytest.mark.parametrize("query", ["Timbuktu", "Tombouctou", "tombouctou", "Tombuctu"])
def test_timbuktu_and_tombouctou_are_the_same_town(query):
    top = _top(query)
    assert (top["name"], top["latitude"], top["longitude"]) == ("Timbuktu", 16.7735, -3.0074)
    assert top["population"] == 32460
    assert "Tombouctou" in top["alternatenames"]


@pytest.mark.parametrize("query", ["Ouahigouya", "ouahigouya", "Wahiguya", "Ouahiguya"])
def test_ouahigouya_and_its_english_spellings(query):
    top = _top(query)
    assert (top["name"], top["country_iso3"], top["latitude"], top["longitude"]) == ("Ouahigouya", "BFA", 13.5828, -2.4216)
    assert top["admin2_name"] == "Yatenga"


def test_diffa():
    top = _top("Diffa", country="NE")
    assert (top["name"], top["latitude"], top["longitude"], top["population"]) == ("Diffa", 13.3154, 12.6114, 27948)
    assert top["geonames_admin1"] == "Diffa"


def test_ranking_puts_exact_names_and_big_places_first():
    hits = search("Niamey", limit=5)
    assert hits.row(0, named=True)["name"] == "Niamey"
    assert hits.row(0, named=True)["feature_code"] == "PPLC"
    assert hits["match"].to_list()[0] == "exact"
    labels = ["exact", "alternate", "sound", "prefix", "contains", "fuzzy"]
    ranks = [labels.index(m) for m in hits["match"].to_list()]
    assert ranks == sorted(ranks)


def test_prefix_search_finds_ouagadougou_first():
    top = _top("ouaga")
    assert (top["name"], top["match"]) == ("Ouagadougou", "prefix")


def test_country_filter_accepts_iso2_and_iso3():
    assert set(search("Kaya", country="BF")["country_iso3"].to_list()) == {"BFA"}
    assert set(search("Kaya", country="BFA")["country_iso3"].to_list()) == {"BFA"}
    with pytest.raises(UsageError):
        search("Kaya", country="FRA")


def test_nothing_found_is_an_empty_frame():
    assert search("Qqqzzzxx").height == 0
    with pytest.raises(UsageError):
        search("  ")


def test_the_bundled_files_are_what_the_build_script_makes(tmp_path):
    """Bundled data = python -m sahelwatch.places._build_data <shared data> (byte for byte)."""
    import hashlib
    from importlib import resources

    from .conftest import SHARED

    if not (SHARED / "boundaries").is_dir():
        pytest.skip("the shared data folder is not next to the repository")
    from sahelwatch.places import _build_data

    _build_data.build(SHARED, tmp_path)
    bundled = resources.files("sahelwatch.places").joinpath("data")
    for name in ("admin0.geojson", "admin1.geojson", "admin2.geojson", "gazetteer.parquet", "manifest.json"):
        ours = hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
        assert ours == hashlib.sha256(bundled.joinpath(name).read_bytes()).hexdigest(), name
