"""The PRIO-GRID cell formula, the one place it is written (places/ builds on it).

0.5 degree cells, 720 columns x 360 rows, gid 1-based from the south-west
corner (-90, -180), counting along rows:

    gid = row * 720 + col + 1,  row = floor((lat + 90) / 0.5),  col = floor((lon + 180) / 0.5)

Edge rule: a point on a cell edge belongs to the cell to its north / east
(floor); lat = 90 belongs to the top row (359) and lon = 180 to the last
column (719), so every valid coordinate has exactly one cell.
"""

from __future__ import annotations

import math

NCOLS, NROWS, SIZE = 720, 360, 0.5


def gid(lat: float, lon: float) -> int:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"coordinates out of range: {lat}, {lon}")
    row = min(math.floor((lat + 90) / SIZE), NROWS - 1)
    col = min(math.floor((lon + 180) / SIZE), NCOLS - 1)
    return row * NCOLS + col + 1


def gid_expr(lat, lon):
    """The same formula as a Polars expression (null where an input is null)."""
    import polars as pl

    row = ((lat + 90) / SIZE).floor().clip(0, NROWS - 1).cast(pl.Int64)
    col = ((lon + 180) / SIZE).floor().clip(0, NCOLS - 1).cast(pl.Int64)
    return row * NCOLS + col + 1


def gid_sql(lat: str, lon: str) -> str:
    """Portable SQL for the formula (DuckDB, Spark, Trino, BigQuery)."""
    return (f"(LEAST(CAST(FLOOR(({lat} + 90) / 0.5) AS BIGINT), 359) * 720 "
            f"+ LEAST(CAST(FLOOR(({lon} + 180) / 0.5) AS BIGINT), 719) + 1)")
