"""Answers the CLI and API render: a cell described, a country's units listed or exported,
and events given every place column at once."""

from __future__ import annotations

from .assign import DEFAULT_TOLERANCE_KM, assign_admin
from .boundaries import BoundarySet


def describe_cell(lat: float, lon: float, boundaries: BoundarySet | None = None, h3_resolution: int | None = None) -> dict:
    """Everything about the cell of a point: gid, row/col, centroid, bounds, country, admin units."""
    import polars as pl

    from ..domain.countries import name
    from . import grid

    c = grid.cell(lat, lon)
    bset = boundaries or BoundarySet.bundled()
    clat, clon = c.centroid
    out = {
        "latitude": float(lat),
        "longitude": float(lon),
        "gid": c.gid,
        "row": c.row,
        "col": c.col,
        "centroid_lat": clat,
        "centroid_lon": clon,
        "bounds": dict(zip(("min_lon", "min_lat", "max_lon", "max_lat"), c.bounds)),
        "country_iso3": None,
        "country": None,
    }
    idx0 = bset.index(0)
    if len(idx0.codes):
        import shapely

        hits = idx0.tree.query(shapely.Point(float(lon), float(lat)), predicate="within")
        if len(hits):
            iso = idx0.iso3[int(hits[0])]
            out["country_iso3"] = iso
            try:
                out["country"] = name(iso)
            except ValueError:
                out["country"] = idx0.names[int(hits[0])]
    row = assign_admin(
        pl.DataFrame({"latitude": [float(lat)], "longitude": [float(lon)], "country_iso3": [out["country_iso3"]]},
                     schema={"latitude": pl.Float64, "longitude": pl.Float64, "country_iso3": pl.String}),
        bset,
    ).row(0, named=True)
    for k in ("admin1_code", "admin1_name", "admin2_code", "admin2_name", "admin_match", "admin_boundary_set"):
        out[k] = row[k]
    if h3_resolution is not None:
        out["h3_resolution"] = int(h3_resolution)
        out["h3"] = grid.h3_cell(lat, lon, h3_resolution)
    return out


def admin_units(country: str, level: int, boundaries: BoundarySet | None = None):
    """A country's units at ``level`` as a Polars frame (code, name, parent, area, cells)."""
    import polars as pl
    import shapely

    from .spread import unit_cells

    bset = boundaries or BoundarySet.bundled()
    ly = bset.layer(country.upper(), level)
    cells = unit_cells(bset, level).group_by("unit_key").agg(pl.len().alias("priogrid_cells"))
    # Equal-area enough for a listing: degrees² scaled by cos(latitude) at the centroid.
    import numpy as np

    cy = shapely.get_y(shapely.centroid(ly.geoms))
    area = shapely.area(ly.geoms) * (111.32 * 110.57) * np.cos(np.radians(cy))
    frame = pl.DataFrame(
        {
            "country_iso3": [ly.country] * len(ly),
            "level": [ly.level] * len(ly),
            "code": list(ly.codes),
            "name": list(ly.names),
            "admin1_code": list(ly.parent_codes),
            "admin1_name": list(ly.parent_names),
            "area_km2": np.round(area, 1),
            "unit_key": [f"{level}:{ly.country}:{c}" for c in ly.codes],
        },
        schema_overrides={"admin1_code": pl.String, "admin1_name": pl.String},
    )
    frame = frame.join(cells, on="unit_key", how="left", maintain_order="left").with_columns(
        pl.col("priogrid_cells").fill_null(0).cast(pl.Int64)
    )
    return frame.drop("unit_key").with_columns(pl.lit(ly.id).alias("layer_id"), pl.lit(bset.id).alias("boundary_set"))


def admin_geojson(country: str, level: int, boundaries: BoundarySet | None = None) -> dict:
    """A country's units at ``level`` as a GeoJSON FeatureCollection (WGS84), credits included."""
    from shapely.geometry import mapping

    bset = boundaries or BoundarySet.bundled()
    ly = bset.layer(country.upper(), level)
    feats = []
    for code, nm, pc, pn, g in zip(ly.codes, ly.names, ly.parent_codes, ly.parent_names, ly.geoms):
        props = {"iso3": ly.country, "level": ly.level, "code": code, "name": nm}
        if level == 2:
            props |= {"admin1_code": pc, "admin1_name": pn}
        feats.append({"type": "Feature", "properties": props, "geometry": mapping(g)})
    return {
        "type": "FeatureCollection",
        "name": f"{ly.country}_adm{level}",
        "sahelwatch": {"boundary_set": bset.id, "layer": ly.id, "source": ly.source, "licence": ly.licence,
                       "unit": ly.unit},
        "features": feats,
    }


def with_places(df, boundaries: BoundarySet | None = None, tolerance_km: float = DEFAULT_TOLERANCE_KM,
                h3_resolution: int | None = None, *, progress=None):
    """``priogrid_gid`` (recomputed from the coordinates), admin columns and, optionally, ``h3_cell``."""
    import polars as pl

    from .grid import h3_expr, priogrid_gid_expr

    out = df.with_columns(priogrid_gid_expr(pl.col("latitude"), pl.col("longitude")).alias("priogrid_gid"))
    if h3_resolution is not None:
        out = out.with_columns(h3_expr(pl.col("latitude"), pl.col("longitude"), h3_resolution).alias("h3_cell"))
    return assign_admin(out, boundaries, tolerance_km, progress=progress)


__all__ = ["describe_cell", "admin_units", "admin_geojson", "with_places"]
