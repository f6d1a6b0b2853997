"""Places: PRIO-GRID and H3 cells, admin areas, the gazetteer, precision policies.

Importing this package stays light: polars, numpy and shapely load inside the
functions that use them. See ``docs/places.md``.

    >>> from sahelwatch import places
    >>> places.grid.gid(12.37, -1.52)
    147237
"""

from __future__ import annotations

from . import grid, precision
from .assign import DEFAULT_TOLERANCE_KM, assign_admin
from .boundaries import BoundarySet, Layer
from .boundary_io import BoundaryRepairWarning, LoadedBoundaries, load_boundaries, remove_boundaries
from .describe import admin_geojson, admin_units, describe_cell, with_places
from .gazetteer import search
from .grid import GridCell, priogrid_gid_expr, priogrid_sql
from .precision import DEFAULT_POLICY, POLICIES, geo_precision_expr, normalise_geo_precision
from .spread import spread_weights

__all__ = [
    "grid",
    "precision",
    "GridCell",
    "priogrid_gid_expr",
    "priogrid_sql",
    "normalise_geo_precision",
    "geo_precision_expr",
    "POLICIES",
    "DEFAULT_POLICY",
    "BoundarySet",
    "Layer",
    "assign_admin",
    "DEFAULT_TOLERANCE_KM",
    "with_places",
    "load_boundaries",
    "remove_boundaries",
    "LoadedBoundaries",
    "BoundaryRepairWarning",
    "spread_weights",
    "search",
    "describe_cell",
    "admin_units",
    "admin_geojson",
]
