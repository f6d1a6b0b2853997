"""One in-memory DuckDB database per process for the store's read queries.

Opening a DuckDB database costs about 35 ms (measured on 2 cores), more than a page of
events takes to read; a cursor on a database already open costs microseconds. Read
queries (event pages, event tables) therefore run on a cursor of one process-wide
database: cursors share its thread pool, so concurrent requests queue for the cores
instead of each starting threads of its own. (Its Parquet footer cache stays off: a
snapshot id, and so a part's path, is reused after a failed ingest.) A cursor
is its own connection: temporary views and registered tables stay on it, and a cursor
is never shared between threads.
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
