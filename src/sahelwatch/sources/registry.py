"""The table of ingest kinds. Built-ins register here the same way plugins do.

A plugin package declares an entry point in the group ``sahelwatch.sources``
whose object is a :class:`Kind`; it then appears in ``sahelwatch ingest``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from ..domain.errors import UsageError


@dataclass(frozen=True)
class Kind:
    name: str  # what the user types: acled, acled-deletions, ucdp, ucdp-candidate, csv
    source: str  # canonical source name written to events ("csv" kinds take it from the mapping)
    rule: str  # versioning rule: "timestamp", "release", "additive", "deletions"
    description: str
    parse: Callable  # (path, workdir, *, release=None, progress=None, **options) -> Parsed


def _acled(*a, **k):
    from . import acled

    return acled.parse(*a, **k)


def _acled_del(*a, **k):
    from . import acled

    return acled.parse_deletions(*a, **k)


def _acled_sync(*a, **k):
    from . import acled_api

    return acled_api.parse_spool(*a, **k)


def _ged(*a, **k):
    from . import ucdp

    return ucdp.parse_ged(*a, **k)


def _cand(*a, **k):
    from . import ucdp

    return ucdp.parse_candidate(*a, **k)


def _csv(*a, **k):
    from . import generic

    return generic.parse(*a, **k)


BUILTIN = (
    Kind("acled", "acled", "timestamp", "ACLED export or API CSV (.csv or .zip)", _acled),
    Kind("acled-deletions", "acled", "deletions", "ACLED deleted events: event_id_cnty, deleted_timestamp", _acled_del),
    Kind("acled-sync", "acled", "timestamp", "ACLED API sync: rows changed since the last sync and deletions, one snapshot", _acled_sync),
    Kind("ucdp", "ucdp_ged", "release", "UCDP GED release (CSV or UCDP's zip); supersedes the previous release", _ged),
    Kind("ucdp-candidate", "ucdp_candidate", "additive", "UCDP Candidate monthly release; adds up until GED covers its months", _cand),
    Kind("csv", "csv", "additive", "your own CSV, columns mapped to the canonical schema by --mapping YAML", _csv),
)


@lru_cache(maxsize=1)
def kinds() -> dict[str, Kind]:
    from importlib.metadata import entry_points

    out = {k.name: k for k in BUILTIN}
    for ep in entry_points(group="sahelwatch.sources"):
        k = ep.load()
        out[k.name] = k
    return out


def get(name: str) -> Kind:
    try:
        return kinds()[name]
    except KeyError:
        raise UsageError(f"unknown ingest kind {name!r}", choices=sorted(kinds())) from None
