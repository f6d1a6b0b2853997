"""Atomic, versioned ingest of one file into the store.

Sequence (the manifest rename is the single commit point):

1. take the ingest lock; remove leftovers of interrupted ingests;
2. parse and validate the file into ``staging/`` (sha256 computed meanwhile);
3. same sha256 as an earlier snapshot of the same kind: report it, write nothing;
4. classify each accepted row against the current versions (rule per kind);
5. write the snapshot's Parquet parts to ``staging/``, fsync, move them into
   ``events/``, ``closures/``, ``raw/``, ``quarantine/``;
6. write ``snapshots/NNNNNN.json`` atomically: from here on the snapshot exists;
7. refresh the DuckDB catalog (derived; failure here loses nothing).

A crash before 6 leaves only files that no manifest names: queries never read
them and the next ingest deletes them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..domain import schema
from ..domain.version import __version__
from ..domain.errors import SourceFormatError
from ..sources import registry
from ..sources.base import FileHasher, Progress
from . import manifest, state
from .layout import Layout, fsync_dir, fsync_file
from .lock import IngestLock

ROW_GROUP = 65_536
CRASH_POINTS = ("parsed", "staged", "moved", "committed")


def _checkpoint(name: str) -> None:
    """Fault injection for the crash tests: ``SAHELWATCH_CRASH_AT=moved`` kills the process there."""
    if os.environ.get("SAHELWATCH_CRASH_AT") == name:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class IngestReport:
    snapshot: int | None  # None when nothing was written (same file again)
    kind: str
    source: str
    file: str
    sha256: str
    release: str | None
    counts: dict[str, int]
    duplicate_of: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        c = self.counts
        return c.get("read", 0) == c.get("accepted", 0) + c.get("quarantined", 0)


def _duckdb():
    import duckdb

    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    return con


def ingest(layout: Layout, kind_name: str, path: str | Path, *, release: str | None = None,
           progress: Progress | None = None, wait: float = 0.0, partial: bool = False,
           **options: object) -> IngestReport:
    kind = registry.get(kind_name)
    path = Path(path)
    if not path.is_file():
        raise SourceFormatError(str(path), "no such file")
    layout.check()
    with IngestLock(layout.lock, wait=wait):
        manifest.sweep_orphans(layout)
        job = layout.staging / f"job-{os.getpid()}"
        job.mkdir(parents=True, exist_ok=True)
        try:
            hasher = FileHasher(path)
            parsed = kind.parse(path, job, release=release, progress=progress, **options)
            sha = hasher.result()
            _checkpoint("parsed")
            snaps = manifest.read_all(layout)
            for s in snaps:
                if s.sha256 == sha and s.kind == kind.name:
                    return IngestReport(
                        None, kind.name, parsed.source, path.name, sha, parsed.release,
                        counts={"read": parsed.rows_read, "accepted": 0, "quarantined": 0},
                        duplicate_of=s.id,
                        warnings=[f"same file already ingested as snapshot {s.id} ({s.time}); nothing new"],
                    )
            snap_id = manifest.next_id(snaps)
            if progress:
                progress("version", 0, parsed.accepted.height)
            con = _duckdb()
            try:
                plan = _plan(con, layout, snaps, kind, parsed, snap_id, partial=partial)
            finally:
                con.close()
            if progress:
                progress("write", 0, None)
            files = _write_parts(layout, job, snap_id, parsed, plan)
            counts = {"read": parsed.rows_read, "accepted": parsed.rows_read - parsed.quarantined,
                      "quarantined": parsed.quarantined, **plan.counts}
            snap = manifest.Snapshot(
                id=snap_id, time=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                kind=kind.name, source=parsed.source, file=path.name, path=str(path.resolve()),
                sha256=sha, release=parsed.release, layout=parsed.layout, encoding=parsed.encoding,
                header=parsed.header, verbatim=parsed.verbatim, counts=counts, files=files,
                warnings=parsed.warnings + plan.warnings,
                coverage_end=str(plan.coverage_end) if plan.coverage_end else None,
                sahelwatch_version=__version__,
            )
            _checkpoint("moved")
            manifest.write(layout, snap)  # the commit point
            _checkpoint("committed")
            if progress:
                progress("commit", 1, 1)
        finally:
            shutil.rmtree(job, ignore_errors=True)
    from . import catalog

    catalog.refresh(layout)
    return IngestReport(snap_id, kind.name, parsed.source, path.name, sha, parsed.release, counts,
                        warnings=snap.warnings)


@dataclass
class Plan:
    versions: object  # pl.DataFrame of new versions (canonical, stored columns)
    raw: object  # pl.DataFrame event_key, snapshot_from, source columns
    closures: object  # pl.DataFrame event_key, snapshot_from, closed_by, country_iso3, date_start
    counts: dict[str, int]
    warnings: list[str]
    coverage_end: dt.date | None = None


def _plan(con, layout: Layout, snaps, kind, parsed, snap_id: int, *, partial: bool) -> Plan:
    import polars as pl

    src = parsed.source
    acc = parsed.accepted.with_columns(
        (pl.lit(src + ":") + pl.col("source_event_id")).alias("event_key"))
    # Identical repeats of a row within the file: keep the first, count the rest.
    before = acc.height
    acc = acc.unique(subset=["event_key"], keep="first", maintain_order=True)
    counts = {"repeated_in_file": before - acc.height}
    cur = state.current_keys(con, layout, snaps, src)
    warnings: list[str] = []
    tomb_parts = []
    coverage = None

    if kind.rule == "deletions":
        return _plan_deletions(acc, cur, snap_id, counts)

    j = acc.select("event_key", "source_release", "content_hash", "date_start").join(
        cur.select("event_key", pl.col("source_release").alias("cur_release"),
                   pl.col("content_hash").alias("cur_hash"), pl.col("is_deleted").alias("cur_deleted")),
        on="event_key", how="left")
    known = pl.col("cur_deleted").is_not_null()
    if kind.rule == "timestamp":
        ts, cts = pl.col("source_release").cast(pl.Int64), pl.col("cur_release").cast(pl.Int64)
        status = (pl.when(~known).then(pl.lit("new"))
                  .when(ts > cts).then(pl.when(pl.col("cur_deleted")).then(pl.lit("new")).otherwise(pl.lit("changed")))
                  .when((ts == cts) & ~pl.col("cur_deleted")).then(pl.lit("unchanged"))
                  .otherwise(pl.lit("older")))
    else:
        status = (pl.when(~known | pl.col("cur_deleted")).then(pl.lit("new"))
                  .when(pl.col("content_hash") == pl.col("cur_hash")).then(pl.lit("unchanged"))
                  .otherwise(pl.lit("changed")))
        if kind.rule == "additive" and src == "ucdp_candidate":
            coverage = _ged_coverage(snaps)
            if coverage is not None:
                status = pl.when(pl.col("date_start") <= pl.lit(coverage)).then(
                    pl.lit("superseded")).otherwise(status)
    j = j.with_columns(status.alias("status"))
    for s in ("new", "changed", "unchanged", "older", "superseded"):
        counts[s] = int((j["status"] == s).sum())
    take = j.filter(pl.col("status").is_in(["new", "changed"]))["event_key"]
    versions = acc.filter(pl.col("event_key").is_in(take.implode()))

    counts["deleted"] = 0
    if kind.rule == "release":
        coverage = parsed.coverage_end or acc["date_end"].max()
        if not partial:
            gone = cur.filter(~pl.col("is_deleted") & ~pl.col("event_key").is_in(acc["event_key"].implode()))
            tomb_parts.append(_tombstones(gone, snap_id, "absent_from_release", parsed.release))
            counts["deleted"] += gone.height
        else:
            warnings.append("partial file: events absent from it were kept")
        cand = state.current_keys(con, layout, snaps, "ucdp_candidate")
        if coverage is not None:
            sup = cand.filter(~pl.col("is_deleted") & (pl.col("date_start") <= pl.lit(coverage)))
            tomb_parts.append(_tombstones(sup, snap_id, "superseded_by_ged", parsed.release))
            counts["superseded_candidates"] = sup.height
        latest = [s for s in snaps if s.source == "ucdp_ged" and s.release]
        if latest and parsed.release and _release_key(parsed.release) < _release_key(latest[-1].release):
            warnings.append(f"release {parsed.release} is older than the current {latest[-1].release}; "
                            "it replaces it all the same (the latest ingest wins)")

    versions = _stamp(versions, snap_id)
    raw = versions.select("event_key", "snapshot_from",
                          *[pl.col(c).alias(c[4:]) for c in versions.columns if c.startswith("raw.")])
    allv = pl.concat([versions.select(schema.STORED), *tomb_parts], how="vertical_relaxed") \
        if tomb_parts else versions.select(schema.STORED)
    closures = _closures(cur, allv, snap_id, extra_current=[] if kind.rule != "release" else [cand])
    return Plan(allv, raw, closures, counts, warnings, coverage)


def _plan_deletions(acc, cur, snap_id: int, counts: dict) -> Plan:
    import polars as pl

    j = acc.select("event_key", "source_event_id", "source_release").join(
        cur.select("event_key", pl.col("source_release").alias("cur_release"),
                   pl.col("is_deleted").alias("cur_deleted"), "country_iso3", "date_start", "year"),
        on="event_key", how="left")
    ts, cts = pl.col("source_release").cast(pl.Int64), pl.col("cur_release").cast(pl.Int64)
    status = (pl.when(pl.col("cur_deleted").is_null()).then(pl.lit("unknown"))
              .when(pl.col("cur_deleted")).then(pl.lit("already_deleted"))
              .when(ts >= cts).then(pl.lit("deleted"))
              .otherwise(pl.lit("older")))
    j = j.with_columns(status.alias("status"))
    for s in ("deleted", "unknown", "already_deleted", "older"):
        counts[s] = int((j["status"] == s).sum())
    # Unknown ids are tombstoned too, so an older export can never bring them back.
    t = j.filter(pl.col("status").is_in(["deleted", "unknown"]))
    tomb = _tombstones(t.with_columns(pl.lit(False).alias("is_deleted")), snap_id, "acled_deleted", None)
    closures = _closures(cur, tomb, snap_id)
    return Plan(tomb, None, closures, counts, [])


def _release_key(r: str) -> tuple:
    return tuple(int(x) for x in r.split(".") if x.isdigit())


def _ged_coverage(snaps) -> dt.date | None:
    ged = [s for s in snaps if s.source == "ucdp_ged" and s.coverage_end]
    return dt.date.fromisoformat(ged[-1].coverage_end) if ged else None


def _stamp(df, snap_id: int):
    import polars as pl

    return df.with_columns(
        pl.lit(snap_id, pl.Int64).alias("snapshot_from"),
        pl.lit(False).alias("is_deleted"),
        pl.lit(None, pl.String).alias("deletion_reason"),
    )


def _tombstones(rows, snap_id: int, reason: str, release: str | None):
    """Tombstone rows for the given current versions (keeps their country and date for listings)."""
    import polars as pl

    key = rows["event_key"]
    src = key.str.split_exact(":", 1).struct.field("field_0")
    sid = key.str.split_exact(":", 1).struct.field("field_1")
    rel = rows["source_release"] if release is None else pl.Series([release] * rows.height, dtype=pl.String)
    base = pl.DataFrame({
        "event_key": key, "source": src, "source_event_id": sid, "source_release": rel,
        "snapshot_from": pl.Series([snap_id] * rows.height, dtype=pl.Int64),
        "is_deleted": pl.Series([True] * rows.height, dtype=pl.Boolean),
        "deletion_reason": pl.Series([reason] * rows.height, dtype=pl.String),
        "country_iso3": rows["country_iso3"], "date_start": rows["date_start"], "year": rows["year"],
    })
    sch = schema.polars_schema()
    return base.with_columns([pl.lit(None, sch[c]).alias(c) for c in schema.STORED if c not in base.columns]) \
        .select(schema.STORED).cast(dict(sch))


def _closures(cur, new_rows, snap_id: int, extra_current=()):
    """Current versions whose event gets a new row (version or tombstone) in this snapshot."""
    import polars as pl

    pool = pl.concat([cur, *extra_current], how="vertical_relaxed") if extra_current else cur
    closed = pool.join(new_rows.select("event_key").unique(), on="event_key", how="semi")
    return closed.select(
        "event_key", "snapshot_from", pl.lit(snap_id, pl.Int64).alias("closed_by"),
        "country_iso3", "date_start",
    ).sort(["country_iso3", "date_start"], nulls_last=True)


def _write_parts(layout: Layout, job: Path, snap_id: int, parsed, plan: Plan) -> dict[str, str]:
    """Write every part to staging, fsync, then move into place. Returns relative paths."""
    import polars as pl

    parts: dict[str, object] = {
        "events": plan.versions.sort(["country_iso3", "date_start"], nulls_last=True),
        "closures": plan.closures,
        "quarantine": parsed.problems.with_columns(
            pl.lit(snap_id, pl.Int64).alias("snapshot"), pl.lit(parsed.path.name).alias("file")),
    }
    if plan.raw is not None and plan.raw.height:
        parts["raw"] = plan.raw
    staged = {}
    for k, df in parts.items():
        if k != "events" and not df.height:
            continue
        p = job / f"{k}-{snap_id:06d}.parquet"
        df.write_parquet(p, compression="zstd", compression_level=1, row_group_size=ROW_GROUP,
                         statistics=True)
        fsync_file(p)
        staged[k] = p
    _checkpoint("staged")
    out = {}
    for k, p in staged.items():
        target = layout.part(k, snap_id)
        os.replace(p, target)
        out[k] = str(target.relative_to(layout.home))
    for d in {layout.part(k, snap_id).parent for k in staged}:
        fsync_dir(d)
    return out
