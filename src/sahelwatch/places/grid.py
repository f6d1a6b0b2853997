"""PRIO-GRID arithmetic (and H3 as an option), in Python, numpy, Polars and SQL.

The cell formula and its edge rule are written once, in
:mod:`sahelwatch.domain.priogrid` (sources compute ``priogrid_gid`` at ingest
with it); this module adds rows/columns, bounds, centroids, vectorised forms
and H3.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.priogrid import (  # noqa: F401 - re-exported: the formula lives in domain
    CELL_DEG,
    MAX_GID,
    NCOLS,
    NROWS,
    _valid,
    gid_or_none,
    priogrid_gid_expr,
    priogrid_sql,
)


@dataclass(frozen=True)
class GridCell:
    """One PRIO-GRID cell (``row``/``col`` 0-based from the south-west)."""

    gid: int
    row: int
    col: int

    @property
    def centroid(self) -> tuple[float, float]:
        """(lat, lon) of the cell centre."""
        return centroid(self.gid)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(min_lon, min_lat, max_lon, max_lat)."""
        return bounds(self.gid)


def gid(lat: float, lon: float) -> int:
    """PRIO-GRID gid of a point; raises UsageError outside [-90, 90] x [-180, 180]."""
    out = gid_or_none(lat, lon)
    if out is None:
        from ..domain.errors import UsageError

        raise UsageError(f"no PRIO-GRID cell for lat={lat!r}, lon={lon!r}: need -90<=lat<=90 and -180<=lon<=180")
    return out


def _check_gid(g: int) -> int:
    g = int(g)
    if not 1 <= g <= MAX_GID:
        from ..domain.errors import UsageError

        raise UsageError(f"gid {g} is outside 1..{MAX_GID}")
    return g


def row_col(g: int) -> tuple[int, int]:
    """(row, col), both 0-based from the south-west corner."""
    g = _check_gid(g) - 1
    return g // NCOLS, g % NCOLS


def from_row_col(row: int, col: int) -> int:
    if not (0 <= row < NROWS and 0 <= col < NCOLS):
        from ..domain.errors import UsageError

        raise UsageError(f"row {row}, col {col} outside 0..{NROWS - 1} x 0..{NCOLS - 1}")
    return row * NCOLS + col + 1


def bounds(g: int) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of a cell."""
    row, col = row_col(g)
    return (col * CELL_DEG - 180.0, row * CELL_DEG - 90.0, (col + 1) * CELL_DEG - 180.0, (row + 1) * CELL_DEG - 90.0)


def centroid(g: int) -> tuple[float, float]:
    """(lat, lon) of a cell's centre."""
    row, col = row_col(g)
    return row * CELL_DEG - 90.0 + CELL_DEG / 2, col * CELL_DEG - 180.0 + CELL_DEG / 2


def cell(lat: float, lon: float) -> GridCell:
    g = gid(lat, lon)
    row, col = row_col(g)
    return GridCell(g, row, col)


def gid_array(lat, lon):
    """Vectorised gid over numpy arrays; -1 where there is no cell."""
    import numpy as np

    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        ok = (lat >= -90) & (lat <= 90) & (lon >= -180) & (lon <= 180)
        row = np.minimum(np.floor(np.where(ok, lat, 0.0) * 2.0) + 180, NROWS - 1)
        col = np.minimum(np.floor(np.where(ok, lon, 0.0) * 2.0) + 360, NCOLS - 1)
    return np.where(ok, row.astype(np.int64) * NCOLS + col.astype(np.int64) + 1, -1)


def centroid_array(gids):
    """(lat, lon) numpy arrays of cell centres for an array of gids."""
    import numpy as np

    g = np.asarray(gids, dtype=np.int64) - 1
    return (g // NCOLS) * CELL_DEG - 90.0 + CELL_DEG / 2, (g % NCOLS) * CELL_DEG - 180.0 + CELL_DEG / 2



# --- H3 (optional: pip install h3) -------------------------------------------------


def _h3():
    try:
        import h3
    except ImportError as err:  # pragma: no cover - h3 is in the test extra
        from ..domain.errors import UsageError

        raise UsageError("H3 cells need the optional 'h3' package: pip install 'sahelwatch[h3]'") from err
    return h3


def h3_cell(lat: float, lon: float, resolution: int = 5) -> str:
    """H3 cell id (hex string) of a point at ``resolution`` (0..15; res 5 ~ 250 km²)."""
    if not 0 <= int(resolution) <= 15:
        from ..domain.errors import UsageError

        raise UsageError(f"H3 resolution {resolution} outside 0..15")
    return _h3().latlng_to_cell(float(lat), float(lon), int(resolution))


def h3_array(lat, lon, resolution: int = 5) -> list[str | None]:
    """H3 cells for arrays of coordinates (None where a coordinate is missing/invalid)."""
    h3 = _h3()
    out: list[str | None] = []
    for la, lo in zip(lat, lon):
        if la is None or lo is None or not _valid(float(la), float(lo)):
            out.append(None)
        else:
            out.append(h3.latlng_to_cell(float(la), float(lo), int(resolution)))
    return out


def h3_expr(lat, lon, resolution: int = 5):
    """Polars expression: H3 cell id of ``lat``/``lon`` (String, null when invalid)."""
    import polars as pl

    _h3()
    return pl.struct(lat.alias("lat"), lon.alias("lon")).map_batches(
        lambda s: pl.Series(
            h3_array(s.struct.field("lat").to_list(), s.struct.field("lon").to_list(), resolution), dtype=pl.String
        ),
        return_dtype=pl.String,
    )


__all__ = [
    "CELL_DEG",
    "NCOLS",
    "NROWS",
    "MAX_GID",
    "GridCell",
    "gid",
    "gid_or_none",
    "row_col",
    "from_row_col",
    "bounds",
    "centroid",
    "cell",
    "gid_array",
    "centroid_array",
    "priogrid_gid_expr",
    "priogrid_sql",
    "h3_cell",
    "h3_array",
    "h3_expr",
]
