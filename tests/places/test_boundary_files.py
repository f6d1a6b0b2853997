"""User boundary files: checks, repairs with a warning, and the set the assignment records."""

from __future__ import annotations

import json

import pytest

from sahelwatch.domain.errors import BoundaryError
from sahelwatch.places import BoundaryRepairWarning, BoundarySet, assign_admin, load_boundaries


def _fc(features, crs=None):
    doc = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    return doc


def _square(code, name, x0, y0, x1, y1, **props):
    return {"type": "Feature", "properties": {"pcode": code, "label": name, **props},
            "geometry": {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}}


def _write(tmp_path, doc, name="b.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps(doc), "utf-8")
    return path


def test_a_crs_other_than_wgs84_is_refused(tmp_path):
    path = _write(tmp_path, _fc([_square("ML01", "A", 0, 0, 1, 1)], crs="urn:ogc:def:crs:EPSG::3857"))
    with pytest.raises(BoundaryError, match="EPSG::3857.*reproject"):
        load_boundaries(path, "MLI", 1, "label", "pcode", tmp_path / "home")


def test_projected_coordinates_without_a_crs_are_refused(tmp_path):
    path = _write(tmp_path, _fc([_square("ML01", "A", -450000, 1500000, -350000, 1600000)]))
    with pytest.raises(BoundaryError, match="not longitude/latitude"):
        load_boundaries(path, "MLI", 1, "label", "pcode", tmp_path / "home")


def test_wgs84_crs_names_are_accepted(tmp_path):
    path = _write(tmp_path, _fc([_square("ML01", "A", -4, 14, -3, 15)], crs="urn:ogc:def:crs:OGC:1.3:CRS84"))
    assert load_boundaries(path, "MLI", 1, "label", "pcode", tmp_path / "home").units == 1


def test_swapped_coordinates_are_explained(tmp_path):
    path = _write(tmp_path, _fc([_square("ML01", "A", 14, -4, 15, -3)]))
    with pytest.raises(BoundaryError, match="swapped"):
        load_boundaries(path, "MLI", 1, "label", "pcode", tmp_path / "home")


def test_a_missing_field_names_the_fields_the_file_has(tmp_path):
    path = _write(tmp_path, _fc([_square("ML01", "A", -4, 14, -3, 15)]))
    with pytest.raises(BoundaryError, match="'ADM1_FR'.*label, pcode"):
        load_boundaries(path, "MLI", 1, "ADM1_FR", "pcode", tmp_path / "home")


def test_not_geojson_is_a_boundary_error(tmp_path):
    path = tmp_path / "x.geojson"
    path.write_text("PK\x03\x04 not json", "utf-8")
    with pytest.raises(BoundaryError, match="not a GeoJSON"):
        load_boundaries(path, "MLI", 1, "label", "pcode", tmp_path / "home")


def test_a_self_intersecting_polygon_is_repaired_with_a_warning(tmp_path):
    bowtie = {"type": "Feature", "properties": {"pcode": "ML99", "label": "Bowtie"},
              "geometry": {"type": "Polygon", "coordinates": [[[-4, 14], [-3, 15], [-3, 14], [-4, 15], [-4, 14]]]}}
    path = _write(tmp_path, _fc([bowtie]))
    with pytest.warns(BoundaryRepairWarning, match=r"repaired 1 invalid geometry with shapely.make_valid \(Self-intersection"):
        res = load_boundaries(path, "MLI", 1, "label", "pcode", tmp_path / "home")
    assert res.repairs and "make_valid" in res.repairs[0]
    saved = json.loads(res.path.read_text("utf-8"))["features"][0]
    assert saved["geometry"]["type"] == "MultiPolygon"  # the two triangles of the bow tie
    registry = json.loads((tmp_path / "home" / "places" / "boundaries" / "registry.json").read_text("utf-8"))
    assert registry["layers"][0]["repairs"] == list(res.repairs)


def test_loaded_boundaries_replace_the_bundled_layer_and_are_recorded(tmp_path):
    import polars as pl

    home = tmp_path / "home"
    # two made-up "cercles" splitting the Mopti area at 4°W
    doc = _fc([
        _square("ML0401", "West", -6.0, 13.5, -4.0, 15.5, adm1="ML04", adm1_name="Mopti"),
        _square("ML0402", "East", -4.0, 13.5, -2.0, 15.5, adm1="ML04", adm1_name="Mopti"),
    ])
    res = load_boundaries(_write(tmp_path, doc), "MLI", 2, "label", "pcode", home,
                          parent_code_field="adm1", parent_name_field="adm1_name", source="test file", licence="CC0")
    assert res.layer_id.startswith("user-MLI-adm2-")
    bset = BoundarySet.load(home)
    assert bset.id == f"{BoundarySet.bundled().id}+{res.layer_id}" == res.boundary_set_id
    assert bset.layer("MLI", 2).user and bset.layer("BFA", 2).user is False
    ev = pl.DataFrame({"latitude": [14.4843, 12.3714], "longitude": [-4.1827, -1.5197], "country_iso3": ["MLI", "BFA"]})
    out = assign_admin(ev, bset)
    assert out["admin2_name"].to_list() == ["West", "Kadiogo"]
    assert out["admin2_code"].to_list()[0] == "ML0401"
    assert out["admin1_name"].to_list()[0] == "Mopti"  # level 1 still bundled
    assert set(out["admin_boundary_set"].to_list()) == {bset.id}
    # loading again for the same country and level replaces, not stacks
    res2 = load_boundaries(_write(tmp_path, _fc([_square("X", "Only", -6, 13.5, -2, 15.5)]), "c.geojson"),
                           "MLI", 2, "label", "pcode", home)
    layers = json.loads((home / "places" / "boundaries" / "registry.json").read_text("utf-8"))["layers"]
    assert [e["id"] for e in layers] == [res2.layer_id]
    assert not res.path.exists()


def test_duplicate_codes_are_merged_with_a_warning(tmp_path):
    doc = _fc([_square("ML04", "Mopti", -5, 14, -4, 15), _square("ML04", "Mopti", -4, 14, -3, 15)])
    with pytest.warns(BoundaryRepairWarning, match="merged 1 codes"):
        res = load_boundaries(_write(tmp_path, doc), "MLI", 1, "label", "pcode", tmp_path / "home")
    assert res.units == 1
