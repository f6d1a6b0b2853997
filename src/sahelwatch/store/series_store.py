"""Series in the store: unit-period values as versioned snapshots.

A series (``views_cm``, ``ged_cm_251``...) is named by ``--name`` and addressed
as the source ``series:<name>``. Each ingest of a file into a series is one
snapshot, committed like an event ingest (the manifest rename is the commit):

    HOME/series/NNNNNN-0000.parquet          the whole series as it stands after snapshot N
    HOME/series_changes/NNNNNN-0000.parquet  cells snapshot N added, changed or removed (old and new value)
    HOME/quarantine/NNNNNN-0000.parquet      rejected rows, same columns as for events

A series is small (a country-month series of every country for 35 years is
~80,000 cells a measure), so each snapshot keeps the full state: ``as_of``
reads one file, and two vintages compare cell by cell. A full file replaces the
series (cells it no longer holds are counted ``deleted``); ``--partial`` keeps
the cells it does not mention, and marks the snapshot a sample.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

from ..domain.errors import SourceFormatError, UsageError
from ..domain.version import __version__
from ..sources import series as S
from ..sources.base import FileHasher
from . import manifest
from .ingest import PARQUET, IngestReport, _checkpoint
from .layout import Layout, fsync_dir, fsync_file
from .lock import IngestLock

KIND = "series"
PARTS = ("series", "series_changes")
PREFIX = "series:"
STATE_COLUMNS = ("country_iso3", "gwno", "period", "period_kind", "measure", "value")


def default_name(path: str | Path) -> str:
    """The file stem, lower-cased, every run of non-alphanumerics -> ``_``."""
    stem = Path(path).name.split(".")[0]
    return re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_") or "series"


def check_name(name: str) -> str:
    n = str(name).strip()
    if n.lower().startswith(PREFIX):
        n = n[len(PREFIX):]
    if not re.fullmatch(r"[a-z0-9][a-z0-9_]{0,63}", n):
        raise UsageError(f"series name {name!r}: lower-case letters, digits and _ (e.g. views_cm)")
    return n


def is_series(snap) -> bool:
    return snap.kind == KIND


def latest(snaps, name: str, as_of: int | None = None):
    """The snapshot holding series ``name`` as of ``as_of`` (None: latest); None if never ingested."""
    hits = [s for s in snaps if is_series(s) and s.source == PREFIX + name and (as_of is None or s.id <= as_of)]
    return hits[-1] if hits else None


def state(layout: Layout, snap):
    """The series as snapshot ``snap`` left it (Polars, STATE_COLUMNS)."""
    import polars as pl

    files = [str(layout.home / f) for f in snap.files.get("series", [])]
    if not files:
        return pl.DataFrame(schema=_state_schema())
    return pl.read_parquet(files).select(STATE_COLUMNS)


def changes(layout: Layout, snap):
    """What snapshot ``snap`` changed in its series: cells new, changed or deleted, old and new values."""
    import polars as pl

    files = [str(layout.home / f) for f in snap.files.get("series_changes", [])]
    if not files:
        return pl.DataFrame(schema={"country_iso3": pl.String, "gwno": pl.Int64, "period": pl.Date,
                                    "measure": pl.String, "old_value": pl.Float64, "new_value": pl.Float64,
                                    "change": pl.String})
    return pl.read_parquet(files)


def _state_schema():
    import polars as pl

    return {"country_iso3": pl.String, "gwno": pl.Int64, "period": pl.Date, "period_kind": pl.String,
            "measure": pl.String, "value": pl.Float64}


def _diff(new, cur, partial: bool):
    """(state after, changes, counts) from the file's cells and the series' current cells."""
    import polars as pl

    key = ["country_iso3", "period", "measure"]
    j = new.join(cur.select(*key, pl.col("value").alias("old")), on=key, how="full", coalesce=True)
    status = (pl.when(pl.col("old").is_null()).then(pl.lit("new"))
              .when(pl.col("value").is_null()).then(pl.lit("deleted"))
              .when(pl.col("value") == pl.col("old")).then(pl.lit("unchanged"))
              .otherwise(pl.lit("changed")))
    j = j.with_columns(status.alias("change"))
    counts = {k: int((j["change"] == k).sum()) for k in ("new", "changed", "unchanged", "deleted")}
    if partial:
        kept = cur.join(new.select(key), on=key, how="anti")
        after = pl.concat([new.select(STATE_COLUMNS), kept.select(STATE_COLUMNS)])
        counts["kept"] = counts.pop("deleted")
        changed = j.filter(pl.col("change").is_in(["new", "changed"]))
    else:
        after = new.select(STATE_COLUMNS)
        changed = j.filter(pl.col("change") != "unchanged")
    if not cur.height:
        changed = changed.head(0)  # a first ingest: every cell is new, the state says it all
    gw_fill = changed.join(cur.select("country_iso3", "gwno").unique("country_iso3"), on="country_iso3",
                           how="left", suffix="_cur")
    ch = gw_fill.select("country_iso3", pl.coalesce("gwno", "gwno_cur").alias("gwno"), "period", "measure",
                        pl.col("old").alias("old_value"), pl.col("value").alias("new_value"), "change")
    return after.sort("measure", "country_iso3", "period"), ch.sort("measure", "country_iso3", "period"), counts


def ingest_series(layout: Layout, path: str | Path, *, format: str, name: str | None = None,
                  release: str | None = None, partial: bool = False, sample: bool = False, wait: float = 0.0,
                  progress=None, **options) -> IngestReport:
    """Ingest one series file as a new snapshot of series ``name`` (default: from the file name)."""
    import polars as pl

    path = Path(path)
    if not path.is_file():
        raise SourceFormatError(str(path), "no such file")
    note = options.pop("note", None)
    name = check_name(name) if name else default_name(path)
    source = PREFIX + name
    layout.check()
    with IngestLock(layout.lock, wait=wait):
        manifest.sweep_orphans(layout)  # series/ and series_changes/ parts too
        hasher = FileHasher(path)
        if progress:
            progress("read", 0, None)
        parsed = S.parse(path, format, **options)
        sha = hasher.result()
        snaps = manifest.read_all(layout)
        for s in snaps:
            if s.sha256 == sha and s.source == source:
                return IngestReport(None, KIND, source, path.name, sha, release,
                                    counts={"read": parsed.rows_read, "accepted": 0, "quarantined": 0},
                                    duplicate_of=s.id,
                                    warnings=[f"same file already ingested as snapshot {s.id} ({s.time}); nothing new"])
        prev = latest(snaps, name)
        if prev is not None and prev.series and prev.series.get("period_kind") != parsed.period_kind:
            raise UsageError(f"series {name!r} holds {prev.series.get('period_kind')} values and {path.name} "
                             f"holds {parsed.period_kind} values; give this file another --name")
        cur = state(layout, prev) if prev is not None else pl.DataFrame(schema=_state_schema())
        if progress:
            progress("version", 0, parsed.cells.height)
        after, ch, diff_counts = _diff(parsed.cells, cur, partial)
        snap_id = manifest.next_id(snaps)
        quarantined = parsed.problems["row"].n_unique() if parsed.problems.height else 0
        counts = {"read": parsed.rows_read, "accepted": parsed.rows_read - quarantined, "quarantined": quarantined,
                  "cells": parsed.cells.height, **diff_counts, **{k: v for k, v in parsed.counts.items() if v}}
        job = layout.staging / f"series-{os.getpid()}"
        job.mkdir(parents=True, exist_ok=True)
        try:
            files = _write(layout, job, snap_id, path, after, ch, parsed.problems)
            warnings = list(parsed.warnings)
            if partial:
                warnings.append("partial file: cells absent from it were kept; the snapshot is marked a sample")
            elif diff_counts.get("deleted"):
                warnings.append(f"{diff_counts['deleted']:,} cells of series {name!r} are not in this file and were "
                                "removed (use --partial to keep them)")
            first = after["period"].min() if after.height else None
            last = after["period"].max() if after.height else None
            end = _period_end(last, parsed.period_kind) if last else None
            snap = manifest.Snapshot(
                id=snap_id, time=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), kind=KIND,
                source=source, file=path.name, path=str(path.resolve()), sha256=sha, release=release,
                layout=parsed.format, encoding="parquet" if path.suffix.lower() == ".parquet" else "utf-8",
                header=parsed.header, verbatim={}, counts=counts, files=files, warnings=warnings,
                coverage_end=end.isoformat() if end else None, sahelwatch_version=__version__,
                sample=bool(sample or partial),
                series={"name": name, "format": parsed.format, "period_kind": parsed.period_kind,
                        "measures": sorted(after["measure"].unique().to_list()),
                        "units": int(after["country_iso3"].n_unique()),
                        "first": first.isoformat() if first else None, "last": last.isoformat() if last else None,
                        "options": {k: str(v) for k, v in options.items() if v is not None and k != "mapping"},
                        "partial": bool(partial), "notes": [str(note)] if note else []},
            )
            _checkpoint("moved")  # parts in place, no manifest yet: a crash here must leave no snapshot
            manifest.write(layout, snap)  # the commit point
            _checkpoint("committed")
        finally:
            shutil.rmtree(job, ignore_errors=True)
    from . import catalog

    catalog.refresh(layout)
    if progress:
        progress("commit", 1, 1)
    return IngestReport(snap_id, KIND, source, path.name, sha, release, counts, warnings=warnings)


def _period_end(start: dt.date, kind: str) -> dt.date:
    if kind == "year":
        return dt.date(start.year, 12, 31)
    nxt = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _write(layout: Layout, job: Path, snap_id: int, path: Path, after, ch, problems) -> dict[str, list[str]]:
    import polars as pl

    parts = {"series": after}
    if ch.height:
        parts["series_changes"] = ch
    if problems.height:
        parts["quarantine"] = problems.with_columns(pl.lit(snap_id, pl.Int64).alias("snapshot"),
                                                    pl.lit(path.name).alias("file")).sort(["row", "field"])
    staged = {}
    for kind, df in parts.items():
        p = job / f"{kind}.parquet"
        df.write_parquet(p, **PARQUET)
        fsync_file(p)
        staged[kind] = p
    out: dict[str, list[str]] = {}
    for kind, p in staged.items():
        target = layout.part(kind, snap_id, 0)
        target.parent.mkdir(exist_ok=True)
        os.replace(p, target)
        fsync_dir(target.parent)
        out[kind] = [str(target.relative_to(layout.home))]
    return out


def describe(layout: Layout, snaps, as_of: int | None = None) -> list[dict]:
    """One entry per series as of ``as_of``: what ``sahelwatch series`` shows."""
    names = []
    for s in snaps:
        if is_series(s) and (as_of is None or s.id <= as_of) and s.series and s.series["name"] not in names:
            names.append(s.series["name"])
    out = []
    for n in names:
        s = latest(snaps, n, as_of)
        info = s.series or {}
        history = [x.id for x in snaps if is_series(x) and x.source == s.source and (as_of is None or x.id <= as_of)]
        out.append({"series": n, "source": s.source, "snapshot": s.id, "snapshots": history, "file": s.file,
                    "sha256": s.sha256, "vintage": s.release, "ingested": s.time, "format": info.get("format"),
                    "period_kind": info.get("period_kind"), "measures": info.get("measures", []),
                    "units": info.get("units"), "first": info.get("first"), "last": info.get("last"),
                    "coverage_end": s.coverage_end, "sample": bool(s.sample),
                    "cells": s.counts.get("cells"), "quarantined": s.counts.get("quarantined", 0)})
    return out


__all__ = ["KIND", "PREFIX", "changes", "check_name", "default_name", "describe", "ingest_series", "latest",
           "state"]
