"""The PRIO-GRID cell formula: the one place it is written (places.grid builds on it).

PRIO-GRID (Tollefsen, Strand & Buhaug 2012; used by UCDP GED and VIEWS) cuts
the globe into 0.5° x 0.5° cells: 720 columns x 360 rows, numbered 1..259200
row by row from the south-west corner (-90, -180)::

    row = floor((lat + 90) / 0.5)          # 0..359, south to north
    col = floor((lon + 180) / 0.5)         # 0..719, west to east
    gid = row * 720 + col + 1

Edge rule (written down because points on cell edges are common — GED rounds
many coordinates to whole and half degrees):

- a cell holds its south and west edges, not its north and east edges: a point
  exactly on a cell boundary belongs to the cell north and/or east of it;
- the exceptions are the edges of the world: lat = 90 belongs to the top row
  (row 359) and lon = 180 to the last column (col 719), so every valid
  coordinate (-90 <= lat <= 90, -180 <= lon <= 180) has exactly one cell;
- anything outside those ranges, NaN or null has no cell (``None`` in Python,
  null in Polars and SQL); :func:`gid` raises on it.

Every GED row in the shared test data carries the gid this module computes.
The code evaluates ``row = floor(2 * lat) + 180`` and ``col = floor(2 * lon) + 360``:
the same numbers as the formula above, but exact — doubling is exact in binary
floating point, whereas ``lat + 90`` rounds (``-1e-192 + 180`` is ``180.0``) and
would put points a hair west or south of an edge into the wrong cell. The
Python, numpy, Polars and SQL versions therefore agree to the last bit.
"""

from __future__ import annotations

import math

CELL_DEG = 0.5
NCOLS = 720
NROWS = 360
MAX_GID = NCOLS * NROWS


def _valid(lat: float, lon: float) -> bool:
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0


def gid_or_none(lat: float | None, lon: float | None) -> int | None:
    """The cell of a point, or None when the coordinates are missing or out of range."""
    if lat is None or lon is None:
        return None
    lat, lon = float(lat), float(lon)
    if not _valid(lat, lon):  # also rejects NaN
        return None
    row = min(math.floor(lat * 2.0) + 180, NROWS - 1)
    col = min(math.floor(lon * 2.0) + 360, NCOLS - 1)
    return row * NCOLS + col + 1


def priogrid_gid_expr(lat, lon):
    """Polars expression: the gid of ``lat``/``lon`` (Int64; null when out of range).

    >>> import polars as pl
    >>> pl.DataFrame({"la": [12.37], "lo": [-1.52]}).select(priogrid_gid_expr(pl.col("la"), pl.col("lo"))).item()
    147237
    """
    import polars as pl

    lat = lat.cast(pl.Float64)
    lon = lon.cast(pl.Float64)
    row = pl.min_horizontal((lat * 2.0).floor() + 180.0, pl.lit(NROWS - 1.0))
    col = pl.min_horizontal((lon * 2.0).floor() + 360.0, pl.lit(NCOLS - 1.0))
    ok = lat.is_between(-90.0, 90.0) & lon.is_between(-180.0, 180.0)
    return pl.when(ok).then((row * NCOLS + col + 1).cast(pl.Int64)).otherwise(None)


def priogrid_sql(lat_sql: str, lon_sql: str) -> str:
    """Portable SQL for the gid of two numeric SQL expressions (NULL when out of range).

    Uses only CASE, BETWEEN, FLOOR, LEAST and CAST, which DuckDB, PostgreSQL,
    Spark, Trino and BigQuery share. The range test comes first because LEAST
    ignores NULLs in several engines.
    """
    la, lo = f"({lat_sql})", f"({lon_sql})"
    return (
        f"CASE WHEN {la} BETWEEN -90 AND 90 AND {lo} BETWEEN -180 AND 180 THEN CAST("
        f"LEAST(FLOOR({la} * 2) + 180, {NROWS - 1}) * {NCOLS} + "
        f"LEAST(FLOOR({lo} * 2) + 360, {NCOLS - 1}) + 1 AS BIGINT) END"
    )
