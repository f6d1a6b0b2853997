"""``catalog.duckdb``: DuckDB views over the committed Parquet, for users' own SQL.

    duckdb ~/.sahelwatch/catalog.duckdb -c "SELECT country_iso3, count(*) FROM events GROUP BY 1"

It holds no data, only views naming the committed files, so it is rebuilt in
milliseconds: after each ingest, and on open when it is missing or behind the
manifests. sahelwatch's own queries do not depend on it. If another process has
it open, the refresh is skipped and retried next time.
"""

from __future__ import annotations

from . import manifest, state
from .layout import Layout


def built_for(layout: Layout) -> int | None:
    import duckdb

    if not layout.catalog.exists():
        return None
    try:
        con = duckdb.connect(str(layout.catalog), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.sql("SELECT max_snapshot FROM sahelwatch_meta").fetchall()[0][0]
    except duckdb.Error:
        return None
    finally:
        con.close()


def refresh(layout: Layout, force: bool = False) -> bool:
    """Rebuild the views when behind; True when the catalog is up to date afterwards."""
    import duckdb

    snaps = manifest.read_all(layout)
    latest = max((s.id for s in snaps), default=0)
    if not force and built_for(layout) == latest:
        return True
    import os

    tmp = layout.catalog.with_name(f".catalog.duckdb.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute("CREATE TABLE sahelwatch_meta AS SELECT ?::INTEGER AS max_snapshot", [latest])
        cur = state.versions_sql(layout, snaps, None)
        allv = state.versions_sql(layout, snaps, None, include_deleted=True)
        closures = state.part_list(layout, snaps, "closures")
        quarantine = state.part_list(layout, snaps, "quarantine")
        empty = "SELECT NULL::VARCHAR AS event_key WHERE FALSE"
        con.execute(f"CREATE VIEW events AS {cur or empty}")
        con.execute("CREATE VIEW event_versions AS "
                    + (f"SELECT * FROM read_parquet({state.sql_list(state.part_list(layout, snaps, 'events'))}, union_by_name=true)"
                       if allv else empty))
        con.execute("CREATE VIEW closures AS "
                    + (f"SELECT * FROM read_parquet({state.sql_list(closures)})" if closures else empty))
        con.execute("CREATE VIEW quarantine AS "
                    + (f"SELECT * FROM read_parquet({state.sql_list(quarantine)}, union_by_name=true)"
                       if quarantine else empty))
        rows = [(s.id, s.time, s.kind, s.source, s.file, s.sha256, s.release,
                 *(s.counts.get(k, 0) for k in ("read", "accepted", "quarantined", "new", "changed", "deleted")))
                for s in snaps]
        con.execute("CREATE TABLE snapshots (id INTEGER, time VARCHAR, kind VARCHAR, source VARCHAR, "
                    "file VARCHAR, sha256 VARCHAR, release VARCHAR, read BIGINT, accepted BIGINT, "
                    "quarantined BIGINT, new BIGINT, changed BIGINT, deleted BIGINT)")
        if rows:
            con.executemany("INSERT INTO snapshots VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    finally:
        con.close()
    try:
        tmp.replace(layout.catalog)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    return True
