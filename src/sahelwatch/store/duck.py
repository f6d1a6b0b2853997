"""One in-memory DuckDB database per process for the store's read queries.

Opening a DuckDB database costs about 35 ms (measured on 2 cores), more than a page of
events takes to read; a cursor on a database already open costs microseconds. Read
queries (event pages, event tables) therefore run on a cursor of one process-wide
database: cursors share its thread pool, so concurrent requests queue for the cores
instead of each starting threads of its own. A cursor is its own connection: temporary
views and registered tables stay on it, and a cursor is never shared between threads.

Its Parquet footer cache is on: binding ``read_parquet`` over a snapshot's parts read every
footer again on each query (16 ms for ten parts of 100,000 events, 7 ms cached). It is safe
because queries read only parts that a committed manifest lists, and a committed part is
never rewritten. A path is reused only after an ingest failed before its commit (the
snapshot id is taken again), and the failed part was never read, so it is never in the
cache; DuckDB also checks each cached footer against the file's modification time.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager

_db = None
_pid = None
_lock = threading.Lock()


def _database():
    global _db, _pid
    with _lock:
        if _db is None or _pid != os.getpid():  # a forked child opens its own
            import duckdb

            _db = duckdb.connect()
            _db.execute("SET parquet_metadata_cache = true")  # a global setting: every cursor has it
            # A page of events is a top-N: DuckDB finds the N rows on the sort columns, then reads
            # the other columns for those rows only (late materialization), up to this many rows
            # (default 50; a page asks for its size + 1, at most 1,001 through the HTTP API). On
            # 1,000,000 events, the newest 100 of a country: ~145 -> ~105 ms.
            _db.execute("SET GLOBAL late_materialization_max_rows = 1001")
            _pid = os.getpid()
        return _db


@contextmanager
def cursor():
    """A fresh cursor on the process's read database, closed on exit."""
    cur = _database().cursor()
    try:
        yield cur
    finally:
        cur.close()
