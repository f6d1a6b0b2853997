"""Assign events to admin units: vectorised point-in-polygon with a border tolerance.

For each event (``latitude``, ``longitude``, ``country_iso3``) and each level
(1 and 2) of the boundary set:

1. *inside* — the point lies in a unit of its stated country;
2. *nearest* — it lies in no unit of its stated country (just across a
   border, in a river or off the coast, or in a sliver the simplified polygons
   do not cover) but within ``tolerance_km`` of one: it gets the nearest such
   unit and is flagged;
3. *outside_country* — the stated country has an outline and the point is
   more than ``tolerance_km`` outside it: flagged, not dropped; the admin
   columns then name the unit that actually holds the point (any country) and
   ``admin_iso3`` says whose unit that is;
4. *none* — nothing within tolerance (no units for that country, e.g. Algeria
   or Senegal in the bundled set, or coordinates missing).

Events with no stated country are matched against every country's units.
``admin_match`` reports the worse of the two levels. Distances are great-circle
kilometres between the point and the nearest polygon point.
"""

from __future__ import annotations

from .boundaries import BoundarySet

DEFAULT_TOLERANCE_KM = 10.0
MATCHES = ("inside", "nearest", "none", "outside_country")
_KM_PER_DEG = 111.32


def _haversine_km(lat1, lon1, lat2, lon2):
    import numpy as np

    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def _tol_deg(tolerance_km: float, lat) -> float:
    """A degree radius surely covering ``tolerance_km`` at these latitudes."""
    import numpy as np

    top = float(np.nanmax(np.abs(lat))) if len(lat) else 0.0
    return tolerance_km / (_KM_PER_DEG * max(np.cos(np.radians(min(top + 1, 89.0))), 0.01))


def _distance_km(points, geoms):
    """Great-circle km from each point to the nearest point of the paired geometry."""
    import shapely

    lines = shapely.shortest_line(points, geoms)
    coords = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    return _haversine_km(coords[:, 0, 1], coords[:, 0, 0], coords[:, 1, 1], coords[:, 1, 0])


def _nearest_in_country(bset, level, countries, x, y, lat, iso_c, todo, tolerance_km):
    """For points in ``todo``: nearest unit of the stated country within tolerance (else -1) and km."""
    import numpy as np
    import shapely

    n = len(x)
    unit = np.full(n, -1, dtype=np.int64)
    dist = np.full(n, np.nan)
    if not todo.any() or tolerance_km <= 0:
        return unit, dist
    index = bset.index(level)
    edges = bset.nearest_edge(level)
    for c in np.unique(iso_c[todo]):
        if c != 0 and countries[c] not in index.by_country:
            continue
        sel = np.flatnonzero(todo & (iso_c == c))
        pts = shapely.points(x[sel], y[sel])
        pt, cand, seg = edges.nearest(pts, None if c == 0 else countries[c], _tol_deg(tolerance_km, lat[sel]))
        if len(pt) == 0:
            continue
        km = _distance_km(pts[pt], seg)
        keep = km <= tolerance_km
        unit[sel[pt[keep]]] = cand[keep]
        dist[sel[pt[keep]]] = km[keep]
    return unit, dist


def _outside_country(bset, countries, x, y, iso_c, candidates, tolerance_km):
    """Mask of points more than ``tolerance_km`` outside their stated country's outline."""
    import numpy as np
    import shapely

    out = np.zeros(len(x), dtype=bool)
    idx0 = bset.index(0)
    for c in np.unique(iso_c[candidates]):
        if c == 0 or countries[c] not in idx0.by_country:
            continue
        sel = np.flatnonzero(candidates & (iso_c == c))
        ids, _ = idx0.by_country[countries[c]]
        outline = shapely.union_all(idx0.geoms[ids]) if len(ids) > 1 else idx0.geoms[ids[0]]
        shapely.prepare(outline)
        far = sel[~shapely.contains_xy(outline, x[sel], y[sel])]
        if len(far):
            km = _distance_km(shapely.points(x[far], y[far]), np.full(len(far), outline, dtype=object))
            out[far[km > tolerance_km]] = True
    return out


INSIDE, NEAREST, NONE, FOREIGN = 0, 1, 2, 3
#: From this many points on, a raster locator is built (once per boundary set and level).
RASTER_MIN_POINTS = 50_000


def _contained(index, x, y, ok):
    """Unit index containing each point (first hit), -1 where none: the exact STRtree test."""
    import numpy as np
    import shapely

    out = np.full(len(x), -1, dtype=np.int64)
    sel = np.flatnonzero(ok)
    if len(sel) == 0:
        return out
    pt, unit = index.tree.query(shapely.points(x[sel], y[sel]), predicate="within")
    first = np.unique(pt, return_index=True)[1]
    out[sel[pt[first]]] = unit[first]
    return out


def _assign_level(bset, level, countries, x, y, lat, iso_c, ok, tolerance_km):
    """(unit index or -1, status code, distance km) for one level.

    Status: INSIDE, NEAREST, NONE, or FOREIGN (inside another country's unit
    and no unit of its own within tolerance).
    """
    import numpy as np

    index = bset.index(level)
    n = len(x)
    status = np.full(n, NONE, dtype=np.int8)
    dist = np.full(n, np.nan)
    if len(index.codes) == 0:
        return np.full(n, -1, dtype=np.int64), status, dist
    if ok.sum() >= RASTER_MIN_POINTS:
        loc = bset.locator(level)
        unit = loc.locate(x, y, ok)
        near_ok = loc.maybe_near
    else:  # building the raster costs more than it saves on few points
        unit = _contained(index, x, y, ok)
        near_ok = None
    pos = {c: i for i, c in enumerate(countries)}
    unit_c = np.array([pos.get(c, -1) for c in index.iso3] + [-1], dtype=np.int64)[unit]
    same = (unit >= 0) & ((iso_c == 0) | (unit_c == iso_c))
    status[same] = INSIDE
    dist[same] = 0.0
    todo = ok & ~same
    if todo.any() and near_ok is not None:
        todo &= near_ok(x, y, ok, _tol_deg(tolerance_km, lat[todo]))
    near, near_km = _nearest_in_country(bset, level, countries, x, y, lat, iso_c, todo, tolerance_km)
    got = near >= 0
    foreign = ok & ~same & ~got & (unit >= 0)
    unit = np.where(got, near, np.where(foreign | same, unit, -1))
    status[got] = NEAREST
    dist[got] = near_km[got]
    status[foreign] = FOREIGN
    return unit, status, dist


def assign_admin(df, boundaries: BoundarySet | None = None, tolerance_km: float = DEFAULT_TOLERANCE_KM, *, progress=None):
    """Add admin columns to a Polars frame of events (see the module docstring).

    ``df`` needs ``latitude``, ``longitude`` and ``country_iso3`` (null allowed);
    ``admin1`` (the source's own name) is compared when present, and a
    ``flags`` list column, when present, gains ``admin_nearest`` or
    ``outside_stated_country``. Added columns: ``admin1_code``, ``admin1_name``,
    ``admin2_code``, ``admin2_name``, ``admin_iso3``, ``admin_match``,
    ``admin_distance_km``, ``admin_boundary_set``, ``admin1_disagrees``.
    ``progress`` is called as ``progress(step: str, done: int, total: int)``.
    """
    import numpy as np
    import polars as pl

    from ..domain.errors import UsageError

    missing = [c for c in ("latitude", "longitude") if c not in df.columns]
    if missing:
        raise UsageError(f"assign_admin needs columns {missing}")
    if tolerance_km < 0:
        raise UsageError(f"tolerance_km must be >= 0, got {tolerance_km}")
    bset = boundaries or BoundarySet.bundled()
    n = df.height
    say = progress or (lambda step, done, total: None)
    lat = df["latitude"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    lon = df["longitude"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    if "country_iso3" in df.columns:
        stated = df["country_iso3"].cast(pl.String).fill_null("").str.to_uppercase()
    else:
        stated = pl.Series("country_iso3", [""] * n, dtype=pl.String)
    # Countries as small integers (0 = none stated): comparisons stay in numpy.
    countries = [""] + sorted(set(stated.unique().to_list()) - {""})
    iso_c = stated.replace_strict({c: i for i, c in enumerate(countries)}, return_dtype=pl.Int64).to_numpy()
    say("admin1", 0, n)
    u1, s1, d1 = _assign_level(bset, 1, countries, lon, lat, lat, iso_c, ok, tolerance_km)
    say("admin2", n // 3, n)
    u2, s2, d2 = _assign_level(bset, 2, countries, lon, lat, lat, iso_c, ok, tolerance_km)
    say("country check", 2 * n // 3, n)
    settled = (s1 == INSIDE) | (s2 == INSIDE)  # in a unit of its own country: inside the country
    outside = _outside_country(bset, countries, lon, lat, iso_c, ok & ~settled & (iso_c != 0), tolerance_km)
    has2 = np.isin(np.array(countries, dtype=object), list(bset.index(2).by_country))
    has2[0] = True
    has2 = has2[iso_c]
    r1, r2 = np.minimum(s1, NONE), np.minimum(s2, NONE)  # FOREIGN ranks as NONE
    use2 = has2 & (r2 >= r1)
    worst = np.where(use2, r2, r1)
    worst[outside] = 3
    worst[~ok] = NONE
    match = pl.Series(["inside", "nearest", "none", "outside_country"], dtype=pl.String).gather(pl.Series(worst, dtype=pl.Int64))
    dist = np.where(use2, d2, d1)
    dist[worst >= NONE] = np.nan

    def pick(level, unit, status):
        idx = bset.index(level)
        keep = (unit >= 0) & ok & ((status != FOREIGN) | outside)
        at = pl.Series(np.where(keep, unit, 0), dtype=pl.Int64).set(pl.Series(~keep), None)
        return [pl.Series(values, dtype=pl.String).gather(at) if len(values) else pl.repeat(None, n, dtype=pl.String, eager=True)
                for values in (idx.codes, idx.names, idx.iso3)]

    c1, n1, i1 = pick(1, u1, s1)
    c2, n2, i2 = pick(2, u2, s2)
    out = df.with_columns(
        c1.alias("admin1_code"),
        n1.alias("admin1_name"),
        c2.alias("admin2_code"),
        n2.alias("admin2_name"),
        i2.fill_null(i1).alias("admin_iso3"),
        match.alias("admin_match"),
        pl.Series("admin_distance_km", dist, dtype=pl.Float64).fill_nan(None),
        pl.lit(bset.id, dtype=pl.String).alias("admin_boundary_set"),
    )
    out = _disagreement(out, df)
    if "flags" in df.columns and isinstance(df.schema["flags"], pl.List):
        empty = pl.lit([], dtype=pl.List(pl.String))
        extra = (
            pl.when(pl.col("admin_match") == "nearest").then(pl.lit(["admin_nearest"], dtype=pl.List(pl.String)))
            .when(pl.col("admin_match") == "outside_country").then(pl.lit(["outside_stated_country"], dtype=pl.List(pl.String)))
            .otherwise(empty)
        )
        out = out.with_columns(pl.col("flags").fill_null(empty).list.concat(extra))
    say("done", n, n)
    return out


def _disagreement(out, df):
    """``admin1_disagrees``: the source's admin1 name vs ours (null when either is missing)."""
    import polars as pl

    from .textnorm import same_admin_name

    if "admin1" not in df.columns:
        return out.with_columns(pl.lit(None, dtype=pl.Boolean).alias("admin1_disagrees"))
    pairs = out.select(pl.col("admin1").cast(pl.String).alias("__a1"), "admin1_name").unique()
    verdict = [None if not a or not b else not same_admin_name(b, a) for a, b in pairs.iter_rows()]
    pairs = pairs.with_columns(pl.Series("admin1_disagrees", verdict, dtype=pl.Boolean))
    return (
        out.with_columns(pl.col("admin1").cast(pl.String).alias("__a1"))
        .join(pairs, on=["__a1", "admin1_name"], how="left", nulls_equal=True, maintain_order="left")
        .drop("__a1")
    )


__all__ = ["assign_admin", "DEFAULT_TOLERANCE_KM", "MATCHES"]
