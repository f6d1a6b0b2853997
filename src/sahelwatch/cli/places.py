"""`sahelwatch places ...`: cells, gazetteer, admin units, user boundaries.

A thin shell over :mod:`sahelwatch.places`: parse, call one library function,
render a rich table or JSON/GeoJSON.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import click

from ._common import console, friendly, table

places_group = click.Group("places", help="PRIO-GRID cells, the gazetteer and admin boundaries (see docs/places.md).")

_home = click.option(
    "--home", envvar="SAHELWATCH_HOME", type=click.Path(file_okay=False),
    help="Store directory whose loaded boundaries apply (default $SAHELWATCH_HOME; else the bundled ones).")


def _boundaries(home):
    from sahelwatch.places import BoundarySet

    return BoundarySet.load(home) if home else BoundarySet.bundled()


def _echo_json(obj) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


@places_group.command("cell", context_settings={"ignore_unknown_options": True})
@click.argument("lat", type=float)
@click.argument("lon", type=float)
@click.option("--h3", "h3_res", type=click.IntRange(0, 15), help="Also give the H3 cell at this resolution.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_home
@friendly
def cell_cmd(lat, lon, h3_res, as_json, home):
    """The PRIO-GRID cell of LAT LON: gid, row/col, centroid, bounds, country and admin units.

    Negative numbers are read as coordinates: sahelwatch places cell 12.37 -1.52
    """
    from sahelwatch.places import describe_cell

    info = describe_cell(lat, lon, _boundaries(home), h3_resolution=h3_res)
    if as_json:
        _echo_json(info)
        return
    b = info["bounds"]
    rows = [
        ["gid", str(info["gid"])],
        ["row / col (0-based from SW)", f"{info['row']} / {info['col']}"],
        ["centroid (lat, lon)", f"{info['centroid_lat']}, {info['centroid_lon']}"],
        ["bounds (lon, lat)", f"{b['min_lon']}..{b['max_lon']}, {b['min_lat']}..{b['max_lat']}"],
        ["country", f"{info['country'] or '-'} ({info['country_iso3'] or '-'})"],
        ["admin1", f"{info['admin1_name'] or '-'} ({info['admin1_code'] or '-'})"],
        ["admin2", f"{info['admin2_name'] or '-'} ({info['admin2_code'] or '-'})"],
        ["admin match", info["admin_match"]],
    ]
    if "h3" in info:
        rows.append([f"H3 (res {info['h3_resolution']})", info["h3"]])
    console().print(table(f"PRIO-GRID cell of {lat}, {lon}", ["", "value"], rows))


@places_group.command("search")
@click.argument("query")
@click.option("--country", help="ISO3 or ISO2 code (MLI, BFA, NER, MRT, SEN, GIN, CIV).")
@click.option("--limit", type=click.IntRange(1, 500), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@friendly
def search_cmd(query, country, limit, as_json):
    """Find populated places by name (accents, case and French/English spellings ignored)."""
    from sahelwatch.places import search

    hits = search(query, country=country, limit=limit)
    if as_json:
        _echo_json(hits.to_dicts())
        return
    rows = [
        [h["name"], h["country_iso3"], f"{h['latitude']:.4f}", f"{h['longitude']:.4f}", h["admin1_name"] or h["geonames_admin1"],
         h["admin2_name"], h["population"], h["match"], ", ".join((h["alternatenames"] or [])[:6])]
        for h in hits.iter_rows(named=True)
    ]
    con = console()
    con.print(table(f"Places matching {query!r}", ["name", "iso3", "lat", "lon", "admin1", "admin2", "population", "match",
                                                    "alternate names"], rows, right={"population"}))
    con.print("Gazetteer: GeoNames (www.geonames.org), CC BY 4.0.")


@places_group.command("admin")
@click.argument("country")
@click.option("--level", type=click.IntRange(0, 2), default=1, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "geojson"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@_home
@friendly
def admin_cmd(country, level, fmt, output, home):
    """List or export COUNTRY's admin units at --level (GeoJSON is WGS84 lon/lat)."""
    from sahelwatch.places import admin_geojson, admin_units

    bset = _boundaries(home)
    if fmt == "geojson":
        text = json.dumps(admin_geojson(country, level, bset), ensure_ascii=False)
    else:
        units = admin_units(country, level, bset)
        if fmt == "json":
            text = json.dumps(units.to_dicts(), indent=2, ensure_ascii=False)
        elif fmt == "csv":
            text = units.write_csv()
        else:
            layer = bset.layer(country.upper(), level)
            cols = ["code", "name"] + (["admin1"] if level == 2 else []) + ["area km²", "cells"]
            rows = [[u["code"], u["name"]] + ([u["admin1_name"]] if level == 2 else []) + [u["area_km2"], u["priogrid_cells"]]
                    for u in units.iter_rows(named=True)]
            t = table(f"{layer.country} level {level}: {len(units)} units ({layer.unit})", cols, rows, right={"area km²", "cells"})
            con = console()
            con.print(t)
            con.print(f"Source: {layer.source} ({layer.licence}). Boundary set: {bset.id}")
            return
    if output:
        Path(output).write_text(text, "utf-8")
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text)


@places_group.command("load-boundaries")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--country", required=True, help="ISO3 code the file covers.")
@click.option("--level", type=click.IntRange(0, 2), required=True, help="0 outline, 1 admin1, 2 admin2.")
@click.option("--name-field", required=True, help="Property holding the unit's name.")
@click.option("--code-field", required=True, help="Property holding the unit's code (P-code, shapeID...).")
@click.option("--parent-code-field", help="Level 2: property holding the admin1 code.")
@click.option("--parent-name-field", help="Level 2: property holding the admin1 name.")
@click.option("--source", help="Where the file comes from (e.g. 'OCHA COD-AB MLI 2023').")
@click.option("--licence", help="Its licence (e.g. 'CC BY-IGO').")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--home", envvar="SAHELWATCH_HOME", type=click.Path(file_okay=False),
              help="Store directory (default $SAHELWATCH_HOME, else ~/.sahelwatch).")
@friendly
def load_boundaries_cmd(file, country, level, name_field, code_field, parent_code_field, parent_name_field, source,
                        licence, as_json, home):
    """Check FILE (GeoJSON, WGS84) and use it for COUNTRY at LEVEL from now on; re-run assignments after."""
    from sahelwatch.places import load_boundaries

    home = Path(home).expanduser() if home else Path.home() / ".sahelwatch"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = load_boundaries(file, country, level, name_field, code_field, home, parent_code_field=parent_code_field,
                              parent_name_field=parent_name_field, source=source, licence=licence)
    for w in caught:
        click.echo(f"Warning: {w.message}", err=True)
    if as_json:
        _echo_json({"layer_id": res.layer_id, "boundary_set": res.boundary_set_id, "country": res.country,
                    "level": res.level, "units": res.units, "path": str(res.path), "repairs": list(res.repairs)})
        return
    click.echo(f"Loaded {res.units} level-{res.level} units for {res.country} as {res.layer_id}")
    click.echo(f"Boundary set now: {res.boundary_set_id}")


@places_group.command("boundaries")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_home
@friendly
def boundaries_cmd(as_json, home):
    """The boundary layers in use (bundled, or loaded into --home) with sources and licences."""
    bset = _boundaries(home)
    rows = bset.describe()
    if as_json:
        _echo_json({"boundary_set": bset.id, "layers": rows, "credits": bset.credits})
        return
    t = table(f"Boundary set {bset.id}", ["country", "level", "units", "unit", "source", "licence", "user"],
              [[r["country"], r["level"], r["units"], r["unit"], r["source"], r["licence"], "yes" if r["user"] else ""]
               for r in rows], right={"units"})
    console().print(t)


__all__ = ["places_group"]
