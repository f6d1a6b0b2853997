"""What a sync remembers between runs, and the work of a run in progress.

    HOME/sync/state.json           per source: last sync, cut-offs, counts, snapshot, schedule, quota
    HOME/sync/<source>/run.json    the run in progress: its parameters, queries, pages done
    HOME/sync/<source>/pages/      one Parquet file per page fetched (written before run.json names it)
    HOME/sync/<source>/spool.*     the assembled snapshot file, ingested atomically by the store

The store's snapshot is the commit: ``state.json`` is written after it, and a run whose
snapshot was committed but whose state was not is recognised on the next run (the same
spool file is already a snapshot) and completed without a second snapshot.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import UsageError
from ..store.layout import Layout, write_json_atomic

DEFAULT_EVERY = {"acled": "7d", "ucdp": "30d"}  # ACLED publishes weekly, UCDP Candidate monthly


def sync_dir(layout: Layout) -> Path:
    return layout.home / "sync"


def load(layout: Layout) -> dict:
    p = sync_dir(layout) / "state.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}


def save(layout: Layout, state: dict) -> None:
    d = sync_dir(layout)
    d.mkdir(parents=True, exist_ok=True)
    write_json_atomic(d / "state.json", state)


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def parse_every(value: str) -> dt.timedelta:
    """``30m``, ``6h``, ``1d``, ``2w`` -> timedelta."""
    m = re.fullmatch(r"\s*(\d+)\s*([smhdw])\s*", str(value or ""))
    if not m or int(m.group(1)) == 0:
        raise UsageError(f"--every {value!r}: expected a number and a unit, e.g. 30m, 6h, 1d, 2w (s for seconds)")
    n, unit = int(m.group(1)), m.group(2)
    return {"s": dt.timedelta(seconds=n), "m": dt.timedelta(minutes=n), "h": dt.timedelta(hours=n), "d": dt.timedelta(days=n),
            "w": dt.timedelta(weeks=n)}[unit]


@dataclass
class Run:
    """A run in progress for one source: parameters and progress in ``run.json``, pages beside it."""

    dir: Path
    data: dict

    @classmethod
    def open(cls, layout: Layout, source: str, params: dict) -> tuple["Run", bool, str | None]:
        """Resume the run with the same parameters, or start afresh. Returns (run, resumed, note)."""
        d = sync_dir(layout) / source
        note = None
        p = d / "run.json"
        if p.exists():
            try:
                data = json.loads(p.read_text(encoding="utf-8"))
            except ValueError:
                data = {}
            if data.get("params") == params:
                return cls(d, data), True, None
            note = "an interrupted sync with other options was discarded"
        shutil.rmtree(d, ignore_errors=True)
        (d / "pages").mkdir(parents=True)
        run = cls(d, {"params": params, "started": now().isoformat(), "queries": [], "phase": "fetch"})
        run.save()
        return run, False, note

    def save(self) -> None:
        write_json_atomic(self.dir / "run.json", self.data)

    def page_path(self, name: str) -> Path:
        return self.dir / "pages" / f"{name}.parquet"

    def write_page(self, name: str, df) -> Path:
        """Write a page durably (temp, fsync, rename) before run.json names it as done."""
        path = self.page_path(name)
        tmp = path.with_name(path.name + ".tmp")
        df.write_parquet(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        return path

    def finish(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def crash_point(name: str, count: int | None = None) -> None:
    """Fault injection for the tests: ``SAHELWATCH_SYNC_CRASH_AT=page:3`` kills the process
    after the third page is saved; ``=spooled`` after the spool file is written."""
    want = os.environ.get("SAHELWATCH_SYNC_CRASH_AT")
    if not want:
        return
    if want == name or (count is not None and want == f"{name}:{count}"):
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


def status(layout: Layout, at: dt.datetime | None = None) -> list[dict]:
    """One row per source ever synced: last sync, counts, next due, stale or not, run in progress."""
    at = at or now()
    st = load(layout)
    rows = []
    for source in ("acled", "ucdp"):
        s = st.get(source)
        pending = (sync_dir(layout) / source / "run.json").exists()
        if not s and not pending:
            continue
        s = s or {}
        every = s.get("every") or DEFAULT_EVERY[source]
        last = dt.datetime.fromisoformat(s["last_sync"]) if s.get("last_sync") else None
        due = (last + parse_every(every)) if last else None
        c = s.get("counts", {})
        rows.append({
            "source": source, "last_sync": s.get("last_sync"), "snapshot": s.get("snapshot"),
            "scope": s.get("scope", ""), "new": c.get("new", 0), "changed": c.get("changed", 0),
            "deleted": c.get("deleted", 0), "requests": s.get("requests", 0), "every": every,
            "next_due": due.isoformat() if due else None,
            "stale": bool(due is None or at > due),
            "interrupted_run": pending,
            **({"quota_used_today": s["quota"]["used"], "quota": s["quota"].get("limit")}
               if s.get("quota") and s["quota"].get("day") == at.date().isoformat() else {}),
        })
    return rows
