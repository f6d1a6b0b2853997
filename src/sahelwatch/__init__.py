"""sahelwatch: an open, local-first observatory of political violence in the Sahel.

    >>> import sahelwatch
    >>> obs = sahelwatch.open("~/sahelwatch-home")        # doctest: +SKIP
    >>> obs.ingest("ucdp", "GEDEvent_v25_1.csv")           # doctest: +SKIP
    >>> obs.events(country="MLI", start="2024-01-01").to_polars()  # doctest: +SKIP

Heavy libraries (polars, duckdb, pyarrow) load only when used.
"""

from __future__ import annotations

from .domain.errors import (
    BoundaryError,
    MappingError,
    RegistryError,
    SahelwatchError,
    SnapshotNotFound,
    SourceFormatError,
    StoreBusyError,
    StoreError,
    UsageError,
)

from .domain.version import __version__


def open(home=None, *, create: bool = True, registry=None):  # noqa: A001 - the public verb
    """Open (and by default create) the store at ``home`` or ``$SAHELWATCH_HOME``."""
    from .api import Observatory

    return Observatory(home, create=create, registry=registry)


__all__ = [
    "open",
    "__version__",
    "SahelwatchError",
    "UsageError",
    "SourceFormatError",
    "StoreError",
    "StoreBusyError",
    "SnapshotNotFound",
    "MappingError",
    "RegistryError",
    "BoundaryError",
]
