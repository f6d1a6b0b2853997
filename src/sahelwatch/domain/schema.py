"""The canonical event: one row per event *version*.

This module is the single place where a canonical column is named, typed and
described. ``docs/data-dictionary.md`` is generated from it
(``python -m sahelwatch.domain.schema > docs/data-dictionary.md``) and a test
checks the two agree.

Types are logical names (``str``, ``int``, ``float``, ``date``, ``bool``,
``list[str]``) mapped to Polars / DuckDB types where those libraries are
imported, so ``import sahelwatch`` stays light.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    group: str


_C = Column

COLUMNS: tuple[Column, ...] = (
    # identity and versioning
    _C("event_key", "str", "`source:source_event_id`, e.g. `acled:MLI12345`, `ucdp_ged:412345`.", "identity"),
    _C("source", "str", "`acled`, `ucdp_ged`, `ucdp_candidate` or the name given to a generic CSV source.", "identity"),
    _C("source_event_id", "str", "The source's own id (ACLED `event_id_cnty`, UCDP `id`), as text.", "identity"),
    _C("source_release", "str", "Release of this version: GED version (`23.1`), Candidate version (`23.0.10`), ACLED `timestamp` (Unix seconds, as text).", "identity"),
    _C("snapshot_from", "int", "Snapshot that made this version current.", "versioning"),
    _C("snapshot_to", "int", "First snapshot in which this version is no longer current (superseded or deleted); null while current. Computed by the store, never stored in the snapshot's own files.", "versioning"),
    _C("is_deleted", "bool", "True on a tombstone row: the event stops existing from `snapshot_from` on.", "versioning"),
    _C("deletion_reason", "str", "For tombstones: `acled_deleted`, `absent_from_release`, `superseded_by_ged`.", "versioning"),
    _C("content_hash", "str", "MD5 of the source row's values in source column order; identifies an unchanged row across releases.", "versioning"),
    _C("source_row", "int", "1-based data row number in the ingested file (header excluded).", "versioning"),
    # time
    _C("date_start", "date", "First day of the event (ACLED `event_date`, GED `date_start`).", "time"),
    _C("date_end", "date", "Last day of the event (ACLED: equal to `date_start`).", "time"),
    _C("date_precision", "str", "`day`, `week`, `month` or `longer` (ACLED `time_precision` 1/2/3; GED `date_prec` 1/2-3/4/5).", "time"),
    _C("year", "int", "Year of `date_start`.", "time"),
    # place
    _C("country", "str", "Country name as the source gives it.", "place"),
    _C("country_iso3", "str", "ISO 3166-1 alpha-3 code (from the project's own crosswalk).", "place"),
    _C("gwno", "int", "Gleditsch–Ward country number (GED `country_id`; for ACLED from the crosswalk).", "place"),
    _C("region", "str", "Region as the source names it.", "place"),
    _C("admin1", "str", "First-level admin unit as the source names it (ACLED `admin1`, GED `adm_1`).", "place"),
    _C("admin2", "str", "Second-level admin unit as the source names it (ACLED `admin2`, GED `adm_2`).", "place"),
    _C("admin3", "str", "Third-level admin unit (ACLED only).", "place"),
    _C("location", "str", "Place name (ACLED `location`, GED `where_coordinates`).", "place"),
    _C("latitude", "float", "WGS84 latitude.", "place"),
    _C("longitude", "float", "WGS84 longitude.", "place"),
    _C("geo_precision", "str", "`exact`, `near`, `admin2`, `admin1` or `country` (ACLED `geo_precision` 1/2/3; GED `where_prec` 1..7).", "place"),
    _C("priogrid_gid", "int", "PRIO-GRID cell: `floor((lat+90)/0.5)*720 + floor((lon+180)/0.5) + 1`.", "place"),
    # what happened
    _C("category", "str", "Harmonised category: `battle`, `explosion_remote`, `violence_against_civilians`, `protest`, `riot`, `strategic`.", "what"),
    _C("disorder_type", "str", "ACLED `disorder_type`.", "what"),
    _C("event_type", "str", "ACLED `event_type` (spelling as given; `Demostrations` is flagged, not changed).", "what"),
    _C("sub_event_type", "str", "ACLED `sub_event_type`.", "what"),
    _C("type_of_violence", "int", "UCDP type of violence: 1 state-based, 2 non-state, 3 one-sided.", "what"),
    _C("source_status", "str", "UCDP Candidate `code_status` (`Clear`, `Check dyad`...); null elsewhere.", "what"),
    # who
    _C("actor1", "str", "ACLED `actor1`; GED `side_a`.", "who"),
    _C("actor2", "str", "ACLED `actor2`; GED `side_b`.", "who"),
    _C("assoc_actors1", "str", "ACLED `assoc_actor_1`.", "who"),
    _C("assoc_actors2", "str", "ACLED `assoc_actor_2`.", "who"),
    _C("inter1", "int", "ACLED actor type code 1..8 of actor1 (text labels are converted to codes).", "who"),
    _C("inter2", "int", "ACLED actor type code 0..8 of actor2.", "who"),
    _C("interaction", "int", "ACLED interaction code (e.g. 12, 17).", "who"),
    # how many
    _C("fatalities_best", "int", "Best estimate of deaths (ACLED `fatalities`; GED `best`).", "toll"),
    _C("fatalities_low", "int", "Low estimate (ACLED: equal to best; GED `low`).", "toll"),
    _C("fatalities_high", "int", "High estimate (ACLED: equal to best; GED `high`).", "toll"),
    _C("civilian_targeting", "bool", "ACLED `civilian_targeting` (true when 'Civilian targeting'); GED: type 3 (one-sided).", "toll"),
    # text
    _C("tags", "str", "ACLED `tags`.", "text"),
    _C("notes", "str", "ACLED `notes`; GED `source_headline`.", "text"),
    _C("sources", "str", "ACLED `source`; GED `source_office`.", "text"),
    _C("flags", "list[str]", "Real quirks accepted and flagged: `low_best_high_inconsistent`, `event_type_misspelt`, `country_code_unknown`, `latin1_decoded`...", "text"),
)

NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}

#: Columns stored in a snapshot's files (``snapshot_to`` is derived).
STORED: tuple[str, ...] = tuple(n for n in NAMES if n != "snapshot_to")

CATEGORIES = (
    "battle",
    "explosion_remote",
    "violence_against_civilians",
    "protest",
    "riot",
    "strategic",
)
DATE_PRECISIONS = ("day", "week", "month", "longer")
GEO_PRECISIONS = ("exact", "near", "admin2", "admin1", "country")

_POLARS = {
    "str": "String",
    "int": "Int64",
    "float": "Float64",
    "date": "Date",
    "bool": "Boolean",
}


def polars_schema(names: tuple[str, ...] = STORED):
    """The canonical Polars schema for ``names`` (imports polars lazily)."""
    import polars as pl

    out = {}
    for n in names:
        t = BY_NAME[n].type
        out[n] = pl.List(pl.String) if t == "list[str]" else getattr(pl, _POLARS[t])
    return pl.Schema(out)


def markdown() -> str:
    """The data dictionary as Markdown (what ``docs/data-dictionary.md`` holds)."""
    lines = [
        "# Data dictionary: the canonical event",
        "",
        "Generated from `src/sahelwatch/domain/schema.py` — edit there, then run",
        "`python -m sahelwatch.domain.schema > docs/data-dictionary.md`.",
        "",
        "One row per event *version*. The source's own row is kept beside it (see",
        "`docs/store.md`), so `sahelwatch events --format source` writes events back",
        "in their source's columns and values.",
        "",
    ]
    group = None
    for c in COLUMNS:
        if c.group != group:
            group = c.group
            lines += ["", f"## {group}", "", "| column | type | meaning |", "|---|---|---|"]
        lines.append(f"| `{c.name}` | {c.type} | {c.description} |")
    lines += [
        "",
        "## Vocabularies",
        "",
        f"- `category`: {', '.join(CATEGORIES)}",
        f"- `date_precision`: {', '.join(DATE_PRECISIONS)}",
        f"- `geo_precision`: {', '.join(GEO_PRECISIONS)}",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - a generator script
    import sys

    sys.stdout.write(markdown())
