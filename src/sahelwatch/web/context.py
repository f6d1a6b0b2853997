"""What every route shares: the store (one ``Observatory`` per worker thread), the
server's mode (private, write token) and the parameter helpers.

An ``Observatory`` reads the snapshot manifests on every call, so a snapshot committed
by another process is served on the next request without a restart, and a half-written
one (no manifest yet) never is. Each worker thread keeps its own ``Observatory``: the
facade caches a DuckDB connection per store state, and a connection replaced by one
thread must not be closed under another.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ApiError, bad_parameter

MAX_PAGE = 1000


@dataclass
class WebContext:
    home: Path
    private: bool = False
    write_token: str | None = None
    max_upload_bytes: int = 200 * 1024 * 1024
    #: signs event cursors (new on every start: cursors do not outlive the server)
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    _local: threading.local = field(default_factory=threading.local, repr=False)
    _all: list = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def obs(self):
        o = getattr(self._local, "obs", None)
        if o is None:
            import sahelwatch

            o = self._local.obs = sahelwatch.open(self.home, create=False)
            with self._lock:
                self._all.append(o)
        return o

    def close(self) -> None:
        """Close every thread's DuckDB connection (on shutdown: a connection left to the
        interpreter's exit can abort the process)."""
        with self._lock:
            for o in self._all:
                o.close()

    def acled_loaded(self, snaps=None) -> bool:
        snaps = self.obs().snapshots() if snaps is None else snaps
        return any(s.source == "acled" for s in snaps)

    def acled_mode(self, snaps=None) -> str:
        """``none`` (no ACLED data), ``aggregates`` (ACLED only as aggregates) or ``private``."""
        if not self.acled_loaded(snaps):
            return "none"
        return "private" if self.private else "aggregates"


def context(request) -> WebContext:
    return request.app.state.sw


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def day_param(value: str | None, name: str, *, end: bool = False) -> str | None:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; a month or year means its first day
    (``from``) or its last day (``to``)."""
    if value is None or value == "":
        return None
    v = value.strip()
    try:
        if m := _MONTH.match(v):
            y, mo = int(m[1]), int(m[2])
            return dt.date(y, mo, calendar.monthrange(y, mo)[1] if end else 1).isoformat()
        if m := _YEAR.match(v):
            return dt.date(int(m[1]), 12, 31).isoformat() if end else dt.date(int(m[1]), 1, 1).isoformat()
        return dt.date.fromisoformat(v).isoformat() if len(v) == 10 else _bad_day(name, value)
    except ValueError:
        return _bad_day(name, value)


def _bad_day(name: str, value: str):
    raise bad_parameter(name, value, f"{name}: {value!r} is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)")


def check_range(start: str | None, end: str | None) -> None:
    if start and end and start > end:
        raise bad_parameter("from", start, f"empty date range: from {start} is after to {end}")


def as_of_param(ctx: WebContext, as_of: int | None, snaps) -> int | None:
    if as_of is not None and as_of not in {s.id for s in snaps}:
        ids = sorted(s.id for s in snaps)
        raise ApiError(404, "not_found", f"snapshot {as_of} does not exist (snapshots: "
                       + (f"{ids[0]}..{ids[-1]}" if ids else "none yet") + ")",
                       {"param": "as_of", "value": as_of, "available": ids})
    return as_of
