"""One smoke test per `sahelwatch places` command."""

from __future__ import annotations

import json

from click.testing import CliRunner

from sahelwatch.cli.places import places_group


def _run(*args, **env):
    result = CliRunner().invoke(places_group, list(args), env={"SAHELWATCH_HOME": None, **env}, catch_exceptions=False)
    return result


def test_cell_takes_a_negative_longitude_without_dashes():
    r = _run("cell", "12.37", "-1.52", "--json")
    assert r.exit_code == 0, r.output
    info = json.loads(r.output)
    assert (info["gid"], info["row"], info["col"], info["country_iso3"]) == (147237, 204, 356, "BFA")
    assert info["bounds"] == {"min_lon": -2.0, "min_lat": 12.0, "max_lon": -1.5, "max_lat": 12.5}
    table = _run("cell", "12.37", "-1.52")
    assert "147237" in table.output and "Burkina Faso" in table.output


def test_cell_out_of_range_is_a_usage_error():
    r = _run("cell", "95", "0")
    assert r.exit_code == 2 and "no PRIO-GRID cell" in r.output


def test_search():
    r = _run("search", "Menaka", "--country", "MLI", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)[0]["name"] == "Ménaka"
    assert "GeoNames" in _run("search", "Diffa").output


def test_admin_geojson_export(tmp_path):
    out = tmp_path / "mali-admin1.geojson"
    r = _run("admin", "MLI", "--level", "1", "--format", "geojson", "-o", str(out))
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text("utf-8"))
    assert sorted(f["properties"]["name"] for f in doc["features"]) == [
        "Bamako", "Gao", "Kayes", "Kidal", "Koulikoro", "Mopti", "Sikasso", "Ségou", "Tombouctou"]
    assert doc["sahelwatch"]["licence"] == "CC BY 4.0"
    assert "Kadiogo" in _run("admin", "BFA", "--level", "2").output


def test_load_boundaries_and_list_them(tmp_path):
    src = tmp_path / "mopti.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"n": "Mopti", "c": "ML04"},
        "geometry": {"type": "Polygon", "coordinates": [[[-5, 14], [-3, 14], [-3, 15], [-5, 15], [-5, 14]]]}}]}))
    home = tmp_path / "home"
    r = _run("load-boundaries", str(src), "--country", "MLI", "--level", "1", "--name-field", "n", "--code-field", "c",
             "--home", str(home), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["units"] == 1
    listed = json.loads(_run("boundaries", "--json", SAHELWATCH_HOME=str(home)).output)
    assert any(ly["user"] and ly["country"] == "MLI" and ly["level"] == 1 for ly in listed["layers"])
    bad = _run("load-boundaries", str(src), "--country", "MLI", "--level", "1", "--name-field", "nope", "--code-field", "c",
               "--home", str(home))
    assert bad.exit_code == 1 and "nope" in bad.output
