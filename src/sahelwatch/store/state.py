"""Which version of each event is current, as of a snapshot, from the Parquet parts alone.

A version is current as of snapshot N when it was written by a snapshot <= N
and no snapshot <= N closed it. Closures are written by the snapshot that
supersedes or deletes a version, so the answer needs no mutable state: the
set of manifests <= N names every file to read.
"""

from __future__ import annotations

from .layout import Layout
from .manifest import Snapshot


def part_list(layout: Layout, snaps: list[Snapshot], kind: str, as_of: int | None = None) -> list[str]:
    out = []
    for s in snaps:
        if as_of is not None and s.id > as_of:
            continue
        out += [str(layout.home / rel) for rel in s.files.get(kind, [])]
    return out


def sql_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


def versions_sql(layout: Layout, snaps: list[Snapshot], as_of: int | None, where: str = "TRUE",
                 columns: str = "e.*", include_deleted: bool = False,
                 closure_where: str = "TRUE") -> str | None:
    """SQL selecting the current versions as of ``as_of`` (None: latest). None if the store is empty.

    ``where`` filters the versions before the anti-join, so a filter on
    ``country_iso3``/``date_start`` prunes row groups of the sorted parts.
    ``closure_where`` is the same filter on closures (alias ``c``): a closure
    carries the country and date of the version it closed, so only closures of
    matching versions need reading. It must not mention ``source``.
    """
    events = part_list(layout, snaps, "events", as_of)
    if not events:
        return None
    closures = part_list(layout, snaps, "closures", as_of)
    live = "" if include_deleted else "AND NOT e.is_deleted"
    base = f"SELECT {columns} FROM read_parquet({sql_list(events)}, union_by_name=true) e WHERE ({where}) {live}"
    if not closures:
        return base
    return (
        f"SELECT {columns} FROM (SELECT * FROM read_parquet({sql_list(events)}, union_by_name=true) e "
        f"WHERE ({where}) {live}) e "
        f"ANTI JOIN (SELECT event_key, snapshot_from FROM read_parquet({sql_list(closures)}) c "
        f"WHERE {closure_where}) c "
        f"ON e.event_key = c.event_key AND e.snapshot_from = c.snapshot_from"
    )


def current_keys(con, layout: Layout, snaps: list[Snapshot], source: str):
    """Latest version (tombstones included) of every event of ``source``, as Polars."""
    import polars as pl

    sql = versions_sql(
        layout, snaps, None, where="e.source = $source", include_deleted=True,
        columns="e.event_key, e.snapshot_from, e.source_release, e.content_hash, e.is_deleted, "
                "e.country_iso3, e.date_start, e.year",
    )
    schema = {"event_key": pl.String, "snapshot_from": pl.Int64, "source_release": pl.String,
              "content_hash": pl.String, "is_deleted": pl.Boolean, "country_iso3": pl.String,
              "date_start": pl.Date, "year": pl.Int64}
    if sql is None:
        return pl.DataFrame(schema=schema)
    df = con.sql(sql, params={"source": source}).pl()
    return df.cast(schema) if df.height else pl.DataFrame(schema=schema)
