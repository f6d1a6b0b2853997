"""Loading a user's boundary file (OCHA COD-AB, geoBoundaries...) into a store home.

:func:`load_boundaries` reads a GeoJSON file, checks it and copies a
normalised version (properties ``iso3``, ``code``, ``name`` and, when given,
``admin1_code``/``admin1_name``) to ``HOME/places/boundaries/``, then records
it in ``registry.json``. :meth:`BoundarySet.load(home)
<sahelwatch.places.boundaries.BoundarySet.load>` lays it over the bundled set.

Checks, each a :class:`BoundaryError` or a repair announced by a
:class:`BoundaryRepairWarning` that says what was done:

- not JSON / not GeoJSON / no polygon features -> error;
- a ``crs`` member naming anything but WGS84 lon/lat (``CRS84``, ``EPSG:4326``)
  -> error (reproject first, e.g. ``ogr2ogr -t_srs EPSG:4326``);
- no ``crs`` member but coordinates that cannot be degrees (|x| > 180 or
  |y| > 90: projected metres) -> error;
- features nowhere near the country (when its outline is known); the message
  says when swapping latitude and longitude would fix it -> error;
- missing name/code field -> error listing the fields the file has;
- invalid geometry (self-intersections...) -> repaired with ``make_valid``,
  warned, and the repair recorded in the registry;
- several features with the same code -> merged into one unit, warned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import BoundaryError, UsageError
from .boundaries import REGISTRY, BoundarySet, boundaries_dir, read_registry

_WGS84_NAMES = {"crs84", "epsg:4326", "wgs84", "wgs 84", "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:epsg::4326",
                "urn:ogc:def:crs:ogc::crs84", "http://www.opengis.net/def/crs/ogc/1.3/crs84",
                "http://www.opengis.net/def/crs/epsg/0/4326"}


class BoundaryRepairWarning(UserWarning):
    """A boundary file was usable only after a repair; the message says which."""


@dataclass(frozen=True)
class LoadedBoundaries:
    """What :func:`load_boundaries` did."""

    layer_id: str
    boundary_set_id: str
    country: str
    level: int
    units: int
    path: Path
    repairs: tuple[str, ...]


def _crs_name(doc: dict) -> str | None:
    crs = doc.get("crs")
    if not crs:
        return None
    if isinstance(crs, dict):
        props = crs.get("properties") or {}
        name = props.get("name") or props.get("href") or crs.get("name")
        if name is None and "code" in props:
            name = f"EPSG:{props['code']}"
        return str(name) if name is not None else json.dumps(crs)
    return str(crs)


def check_crs(doc: dict, path: str) -> None:
    name = _crs_name(doc)
    if name is None:
        return
    if name.strip().lower() not in _WGS84_NAMES:
        raise BoundaryError(
            path,
            f"coordinates are in {name}, not WGS84 longitude/latitude; reproject the file to EPSG:4326 first "
            "(for example: ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson)",
        )


def _read(path: Path) -> dict:
    try:
        doc = json.loads(path.read_text("utf-8-sig"))
    except FileNotFoundError:
        raise BoundaryError(str(path), "no such file") from None
    except (UnicodeDecodeError, ValueError) as err:
        raise BoundaryError(
            str(path), f"not a GeoJSON file ({err.__class__.__name__}); convert shapefiles with ogr2ogr -f GeoJSON"
        ) from err
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc]}
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise BoundaryError(str(path), "not a GeoJSON FeatureCollection")
    return doc


def read_boundary_file(
    path: Path | str, country: str, level: int, name_field: str, code_field: str,
    parent_code_field: str | None = None, parent_name_field: str | None = None,
) -> tuple[list[dict], list[str]]:
    """Checked, repaired features as ``(features, repairs)``; raises BoundaryError."""
    import numpy as np
    import shapely
    from shapely.geometry import mapping, shape

    path = Path(path)
    spath = str(path)
    doc = _read(path)
    check_crs(doc, spath)
    feats = [f for f in doc.get("features") or [] if isinstance(f, dict) and f.get("geometry")]
    feats = [f for f in feats if f["geometry"].get("type") in ("Polygon", "MultiPolygon")]
    if not feats:
        raise BoundaryError(spath, "no Polygon or MultiPolygon features")
    fields = sorted({k for f in feats for k in (f.get("properties") or {})})
    for label, fld in (("name", name_field), ("code", code_field), ("parent code", parent_code_field),
                       ("parent name", parent_name_field)):
        if fld and fld not in fields:
            raise BoundaryError(spath, f"{label} field {fld!r} not in the file's properties (it has: {', '.join(fields)})")
    try:
        geoms = np.array([shape(f["geometry"]) for f in feats], dtype=object)
    except Exception as err:  # shapely raises several types on malformed coordinates
        raise BoundaryError(spath, f"malformed geometry: {err}") from err
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    if not (-180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90):
        raise BoundaryError(
            spath,
            f"coordinates reach x={max(abs(minx), abs(maxx)):.6g}, y={max(abs(miny), abs(maxy)):.6g}: not longitude/latitude "
            "degrees, so the file is projected but declares no CRS; reproject it to EPSG:4326",
        )
    _check_location(geoms, country, spath)
    repairs: list[str] = []
    bad = np.flatnonzero(~shapely.is_valid(geoms))
    if len(bad):
        reasons = [shapely.is_valid_reason(geoms[i]) for i in bad[:3]]
        before = shapely.area(geoms[bad]).sum()
        fixed = shapely.make_valid(geoms[bad])
        fixed = np.array([_polygonal(g) for g in fixed], dtype=object)
        after = shapely.area(fixed).sum()
        geoms[bad] = fixed
        msg = (f"repaired {len(bad)} invalid geometr{'y' if len(bad) == 1 else 'ies'} with shapely.make_valid "
               f"({'; '.join(reasons)}); their area changed from {before:.6g} to {after:.6g} square degrees")
        repairs.append(msg)
        warnings.warn(BoundaryRepairWarning(f"{spath}: {msg}"), stacklevel=3)
    empty = np.flatnonzero(shapely.is_empty(geoms))
    if len(empty):
        raise BoundaryError(spath, f"{len(empty)} features have empty geometry after repair (first: #{int(empty[0])})")
    units: dict[str, dict] = {}
    missing = []
    for i, (f, g) in enumerate(zip(feats, geoms)):
        p = f.get("properties") or {}
        code, name = p.get(code_field), p.get(name_field)
        if code in (None, "") or name in (None, ""):
            missing.append(i)
            continue
        code = str(code).strip()
        u = units.setdefault(code, {"code": code, "name": str(name).strip(), "parts": [],
                                    "admin1_code": p.get(parent_code_field) if parent_code_field else None,
                                    "admin1_name": p.get(parent_name_field) if parent_name_field else None})
        u["parts"].append(g)
    if missing:
        raise BoundaryError(spath, f"{len(missing)} features lack a {code_field!r} or {name_field!r} value (first: #{missing[0]})")
    merged = [c for c, u in units.items() if len(u["parts"]) > 1]
    if merged:
        msg = f"merged {len(merged)} codes that appear on several features into one unit each (e.g. {merged[0]!r})"
        repairs.append(msg)
        warnings.warn(BoundaryRepairWarning(f"{spath}: {msg}"), stacklevel=3)
    out = []
    for u in units.values():
        g = u["parts"][0] if len(u["parts"]) == 1 else _polygonal(shapely.union_all(u["parts"]))
        props = {"iso3": country, "code": u["code"], "name": u["name"]}
        if level == 2:
            props["admin1_code"] = None if u["admin1_code"] is None else str(u["admin1_code"])
            props["admin1_name"] = None if u["admin1_name"] is None else str(u["admin1_name"])
        out.append({"type": "Feature", "properties": props, "geometry": mapping(g)})
    return out, repairs


def _polygonal(g):
    import shapely

    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _check_location(geoms, country: str, path: str) -> None:
    """Refuse files that lie nowhere near the country they are loaded for."""
    import shapely

    outline = BoundarySet.bundled().layers.get((country, 0))
    if outline is None:
        return
    cx0, cy0, cx1, cy1 = shapely.total_bounds(outline.geoms)
    fx0, fy0, fx1, fy1 = shapely.total_bounds(geoms)
    def overlaps(a, b):
        return a[0] <= b[2] + 1 and b[0] <= a[2] + 1 and a[1] <= b[3] + 1 and b[1] <= a[3] + 1
    if not overlaps((fx0, fy0, fx1, fy1), (cx0, cy0, cx1, cy1)):
        hint = " (latitude and longitude look swapped)" if overlaps((fy0, fx0, fy1, fx1), (cx0, cy0, cx1, cy1)) else ""
        raise BoundaryError(
            path, f"features span lon {fx0:.2f}..{fx1:.2f}, lat {fy0:.2f}..{fy1:.2f}: nowhere near {country}{hint}"
        )


def load_boundaries(
    path: Path | str,
    country: str,
    level: int,
    name_field: str,
    code_field: str,
    home: Path | str,
    *,
    parent_code_field: str | None = None,
    parent_name_field: str | None = None,
    source: str | None = None,
    licence: str | None = None,
    attribution: str | None = None,
) -> LoadedBoundaries:
    """Check, normalise and record a user's boundary file for ``country`` at ``level`` (0, 1 or 2).

    The file replaces the bundled (or previously loaded) layer of that country
    and level for every later :meth:`BoundarySet.load(home)`; re-run the
    assignment to use it. Emits :class:`BoundaryRepairWarning` for repairs.
    """
    from ..domain.countries import lookup

    country = lookup(str(country).strip().upper()).iso3  # ISO3 or ISO numeric; raises UsageError
    if int(level) not in (0, 1, 2):
        raise UsageError(f"level {level} not supported", choices=["0", "1", "2"])
    level = int(level)
    src = Path(path).expanduser()
    feats, repairs = read_boundary_file(src, country, level, name_field, code_field, parent_code_field, parent_name_field)
    raw = src.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    layer_id = f"user-{country}-adm{level}-{digest[:10]}"
    folder = boundaries_dir(Path(home))
    folder.mkdir(parents=True, exist_ok=True)
    fname = f"{country}_adm{level}_{digest[:10]}.geojson"
    doc = {"type": "FeatureCollection", "features": feats}
    tmp = folder / (fname + ".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), "utf-8")
    tmp.replace(folder / fname)
    entries = [e for e in read_registry(Path(home)) if not (e["country"] == country and int(e["level"]) == level)]
    old_files = {e["file"] for e in read_registry(Path(home))} - {e["file"] for e in entries}
    entries.append({
        "id": layer_id,
        "country": country,
        "level": level,
        "file": fname,
        "source_path": str(src.resolve()),
        "sha256": digest,
        "name_field": name_field,
        "code_field": code_field,
        "parent_code_field": parent_code_field,
        "parent_name_field": parent_name_field,
        "source": source or src.name,
        "licence": licence or "",
        "attribution": attribution or "",
        "units": len(feats),
        "repairs": repairs,
        "loaded_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    })
    reg = folder / REGISTRY
    tmp = folder / (REGISTRY + ".tmp")
    tmp.write_text(json.dumps({"layers": entries}, ensure_ascii=False, indent=1) + "\n", "utf-8")
    tmp.replace(reg)
    for old in old_files - {fname}:
        (folder / old).unlink(missing_ok=True)
    bset = BoundarySet.load(home)
    return LoadedBoundaries(layer_id, bset.id, country, level, len(feats), folder / fname, tuple(repairs))


def remove_boundaries(home: Path | str, country: str, level: int) -> bool:
    """Forget the user layer of ``country``/``level``; the bundled one applies again."""
    entries = read_registry(Path(home))
    keep = [e for e in entries if not (e["country"] == country.upper() and int(e["level"]) == int(level))]
    if len(keep) == len(entries):
        return False
    folder = boundaries_dir(Path(home))
    for e in entries:
        if e not in keep:
            (folder / e["file"]).unlink(missing_ok=True)
    (folder / REGISTRY).write_text(json.dumps({"layers": keep}, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return True


__all__ = ["load_boundaries", "remove_boundaries", "read_boundary_file", "check_crs", "BoundaryRepairWarning", "LoadedBoundaries"]
