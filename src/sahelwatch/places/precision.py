"""Location precision: one vocabulary for ACLED and UCDP, and the spatial policies.

Normalised precision (``domain.schema.GEO_PRECISIONS``), from best to worst:
``exact`` (the named town or village), ``near`` (within ~25 km / part of an
area), ``admin2``, ``admin1``, ``country``.

============  ==========================================  ==========================
normalised    ACLED ``geo_precision``                     UCDP GED ``where_prec``
============  ==========================================  ==========================
exact         1 — the town itself                         1 — exact location
near          2 — near the town, part of a small region   2 — within ~25 km
                                                          5 — part of a country
                                                          (linear feature, border,
                                                          river): coordinates are a
                                                          point on it
admin2        —                                           3 — second-order admin unit
admin1        3 — larger region: the centroid of an       4 — first-order admin unit
              admin area (ACLED does not say which)
country       —                                           6 — the country
                                                          7 — international waters
                                                          or airspace
============  ==========================================  ==========================

ACLED 3 maps to ``admin1``: ACLED codes "provincial capital or region" at 3 and
gives admin1 and admin2 names, so the admin1 unit is the safe spread area.
GED 5 maps to ``near``: the coordinates lie on the feature, not at an admin
centroid, so spreading over an admin unit would move them further from truth.
GED 7 maps to ``country`` because spreading it over its stated country is the
least wrong choice. Unknown codes map to null.

Spatial policies (every spatial aggregation takes one):

- ``exact`` — keep only ``exact`` events;
- ``as-coded`` — use the given coordinates for every event (the default:
  it is what UCDP's and ACLED's own maps do and it never invents locations);
- ``spread`` — ``exact`` and ``near`` events stay in their cell; ``admin2``,
  ``admin1`` and ``country`` events are shared evenly over the PRIO-GRID cells
  whose centre lies in their unit (see :mod:`sahelwatch.places.spread`).
"""

from __future__ import annotations

from ..domain.errors import UsageError
from ..domain.vocab import ACLED_GEO_PRECISION, GED_WHERE_PREC

PRECISIONS = ("exact", "near", "admin2", "admin1", "country")
POLICIES = ("exact", "as-coded", "spread")
DEFAULT_POLICY = "as-coded"
#: Precisions that ``spread`` shares out over an area, and the area used.
SPREAD_AREA = {"admin2": "admin2", "admin1": "admin1", "country": "country"}

_ACLED = ACLED_GEO_PRECISION
_GED = GED_WHERE_PREC
_SOURCES = {"acled": _ACLED, "ucdp_ged": _GED, "ucdp_candidate": _GED, "ucdp": _GED, "ged": _GED}


def _table(source: str) -> dict[int, str]:
    try:
        return _SOURCES[source.lower()]
    except (KeyError, AttributeError):
        raise UsageError(f"no precision codes for source {source!r}", choices=sorted(_SOURCES)) from None


def _as_int(code: object) -> int | None:
    if code is None or isinstance(code, bool):
        return None
    try:
        number = float(str(code).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def normalise_geo_precision(source: str, code: object) -> str | None:
    """Source precision code (``1``, ``"2"``, ``"3.0"``) -> ``exact``..``country``; None if unknown.

    >>> normalise_geo_precision("acled", 3), normalise_geo_precision("ucdp_ged", "6.0")
    ('admin1', 'country')
    """
    table = _table(source)
    if isinstance(code, str) and code.strip().lower() in PRECISIONS:
        return code.strip().lower()
    number = _as_int(code)
    return table.get(number) if number is not None else None


def geo_precision_expr(source: str, col):
    """Polars expression mapping a column of source codes (int, float or text) to the vocabulary."""
    import polars as pl

    table = _table(source)
    as_float = col.cast(pl.String).str.strip_chars().cast(pl.Float64, strict=False)
    as_int = pl.when(as_float == as_float.floor()).then(as_float).cast(pl.Int64)
    return as_int.replace_strict(table, default=None, return_dtype=pl.String)


def check_policy(policy: str) -> str:
    p = str(policy).lower().replace("_", "-")
    if p == "ascoded":
        p = "as-coded"
    if p not in POLICIES:
        raise UsageError(f"unknown precision policy {policy!r}", choices=list(POLICIES))
    return p


__all__ = [
    "PRECISIONS",
    "POLICIES",
    "DEFAULT_POLICY",
    "SPREAD_AREA",
    "normalise_geo_precision",
    "geo_precision_expr",
    "check_policy",
]
