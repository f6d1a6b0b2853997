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

ROW_GROUP = 16_384  # small row groups: a country-year filter skips most of each sorted batch file
#: how every part is written (zstd level 1: nearly zstd-3 sizes at lz4-like cost)
PARQUET = {"compression": "zstd", "compression_level": 1, "row_group_size": ROW_GROUP}
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
           sample: bool = False, **options: object) -> IngestReport:
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
            snaps = manifest.read_all(layout)
            snap_id = manifest.next_id(snaps)
            staged = _stage(parsed, job, snap_id, progress)
            sha = hasher.result()
            _checkpoint("parsed")
            for s in snaps:
                if s.sha256 == sha and s.kind == kind.name:
                    return IngestReport(
                        None, kind.name, parsed.source, path.name, sha, parsed.release,
                        counts={"read": staged.rows_read, "accepted": 0, "quarantined": 0},
                        duplicate_of=s.id,
                        warnings=[f"same file already ingested as snapshot {s.id} ({s.time}); nothing new"],
                    )
            if progress:
                progress("version", 0, staged.keys.height)
            con = _duckdb()
            try:
                plan = _plan(con, layout, snaps, kind, parsed, staged, snap_id, partial=partial)
            finally:
                con.close()
            if progress:
                progress("write", 0, None)
            files = _write_parts(layout, job, snap_id, parsed, staged, plan)
            counts = {"read": staged.rows_read, "accepted": staged.rows_read - plan.quarantined,
                      "quarantined": plan.quarantined, **plan.counts}
            snap = manifest.Snapshot(
                id=snap_id, time=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                kind=kind.name, source=parsed.source, file=path.name, path=str(path.resolve()),
                sha256=sha, release=parsed.release, layout=parsed.layout, encoding=parsed.encoding,
                header=parsed.header, verbatim=parsed.verbatim, counts=counts, files=files,
                warnings=parsed.warnings + plan.warnings,
                coverage_end=str(plan.coverage_end) if plan.coverage_end else None,
                sahelwatch_version=__version__, sample=bool(sample or partial),
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


KEY_COLUMNS = ("event_key", "source_row", "source_release", "content_hash",
               "date_start", "date_end", "country_iso3", "year")


@dataclass
class Staged:
    """What the batches left in staging: files of candidate rows, their keys, the problems."""

    events: list[Path]  # canonical rows of every accepted row, one file per batch, each sorted
    raw: list[Path]  # source columns: event_key, snapshot_from, source_row, raw columns
    keys: object  # pl.DataFrame of KEY_COLUMNS, one row per accepted row
    problems: object  # pl.DataFrame
    rows_read: int


class _Writer:
    """Write Polars batches as Parquet files ``stem-0000.parquet``, ``stem-0001.parquet``...
    on a background thread, so writing batch k overlaps with parsing batch k+1.

    One file per batch: Polars' own writer is about twice as fast as appending row
    groups through pyarrow, and the store reads lists of files anyway.
    """

    def __init__(self, job: Path, stem: str):
        import queue
        import threading

        self.job, self.stem = job, stem
        self.paths: list[Path] = []
        self._q: queue.Queue = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self) -> None:
        while (item := self._q.get()) is not None:
            if self._error is not None:
                continue
            path, df = item
            try:
                df.write_parquet(path, **PARQUET, statistics=True)
            except BaseException as e:  # re-raised in close()
                self._error = e

    def write(self, df) -> None:
        path = self.job / f"{self.stem}-{len(self.paths):04d}.parquet"
        self.paths.append(path)
        self._q.put((path, df))

    def close(self) -> list[Path]:
        self._q.put(None)
        self._t.join()
        if self._error is not None:
            raise self._error
        return self.paths


def _stage(parsed, job: Path, snap_id: int, progress: Progress | None) -> Staged:
    """Consume the source's batches: sorted canonical rows and raw columns to staging files."""
    import polars as pl

    from ..sources.base import RESET

    sch = schema.polars_schema()
    raw_cols = [f"raw.{h}" for h in parsed.header if h not in parsed.verbatim]
    while True:  # runs twice only when the reader starts over on its careful path
        for p in job.glob("staged-*.parquet"):
            p.unlink()
        ev_w, raw_w = _Writer(job, "staged-events"), _Writer(job, "staged-raw")
        keys, problems, read, restart = [], [], 0, False
        for b in parsed.batches:
            if b is RESET:
                ev_w.close(), raw_w.close()
                restart = True
                break
            read += b.rows_read
            problems.append(b.problems)
            if progress:
                progress("read", read, None)
            if parsed.kind == "deletions" or not b.accepted.height:
                if b.accepted.height:
                    keys.append(b.accepted)
                continue
            acc = b.accepted.with_columns(
                (pl.lit(parsed.source + ":") + pl.col("source_event_id")).alias("event_key"),
                pl.lit(snap_id, pl.Int64).alias("snapshot_from"),
                pl.lit(False).alias("is_deleted"),
                pl.lit(None, pl.String).alias("deletion_reason"),
            ).sort(["country_iso3", "date_start"], nulls_last=True)
            ev_w.write(acc.select(schema.STORED).cast(dict(sch)))
            raw_w.write(acc.select("event_key", "snapshot_from", "source_row",
                                   *[pl.col(c).cast(pl.String).alias(c[4:]) for c in raw_cols]))
            keys.append(acc.select(KEY_COLUMNS))
        if not restart:
            break
    if not read and not problems:
        raise SourceFormatError(str(parsed.path), "a header and no data rows: nothing to ingest "
                                "(the store is unchanged)")
    key_schema = ({"source": pl.String, "source_event_id": pl.String, "source_release": pl.String,
                   "source_row": pl.Int64} if parsed.kind == "deletions"
                  else {c: sch[c] for c in KEY_COLUMNS})
    keys_df = pl.concat(keys, how="vertical_relaxed") if keys else pl.DataFrame(schema=key_schema)
    return Staged(ev_w.close(), raw_w.close(), keys_df, pl.concat(problems), read)


@dataclass
class Plan:
    keep_rows: object  # pl.Series of source_row to make current, or None for every staged row
    tombstones: object  # pl.DataFrame of stored columns (may be empty)
    closures: object  # pl.DataFrame event_key, snapshot_from, closed_by, country_iso3, date_start
    problems: object  # pl.DataFrame: every rejected row's problems
    counts: dict[str, int]
    warnings: list[str]
    coverage_end: dt.date | None = None

    @property
    def quarantined(self) -> int:
        return self.problems["row"].n_unique() if self.problems.height else 0


CONFLICT = "event id appears more than once in this file with different content"


def _conflicts(keys, dup_mask, problems, parsed, staged: Staged):
    """Ids repeated with different content: every copy goes to quarantine.

    Only the (rare) repeated ids are compared, on their full staged rows.
    """
    import polars as pl

    from ..sources.base import raw_rows_json

    dup = keys.filter(dup_mask)
    if not dup.height:
        return keys, problems
    rows = dup["source_row"].implode()
    ev = pl.scan_parquet(staged.events).filter(pl.col("source_row").is_in(rows))
    raw = pl.scan_parquet(staged.raw).filter(pl.col("source_row").is_in(rows)).drop("event_key", "snapshot_from")
    full = ev.join(raw, on="source_row").drop("source_row").collect()
    content = [c for c in full.columns if c != "event_key"]
    bad = (full.with_columns(pl.struct(content).hash(seed=7).alias("_h"))
           .group_by("event_key").agg(pl.col("_h").n_unique().alias("n")).filter(pl.col("n") > 1))
    if not bad.height:
        return keys, problems
    rows = keys.filter(pl.col("event_key").is_in(bad["event_key"].implode()))
    found = raw_rows_json(parsed.csv_path, set(rows["source_row"].to_list()), parsed.header, parsed.encoding)
    extra = pl.DataFrame({
        "row": rows["source_row"],
        "line": [found[r][0] for r in rows["source_row"]],
        "field": [parsed.id_field] * rows.height,
        "value": rows["event_key"].str.split_exact(":", 1).struct.field("field_1"),
        "reason": [CONFLICT] * rows.height,
        "raw": [found[r][1] for r in rows["source_row"]],
    }, schema=dict(problems.schema))
    return keys.filter(~pl.col("event_key").is_in(bad["event_key"].implode())), pl.concat([problems, extra])


def _plan(con, layout: Layout, snaps, kind, parsed, staged: Staged, snap_id: int, *, partial: bool) -> Plan:
    import polars as pl

    src = parsed.source
    keys, problems = staged.keys, staged.problems
    if kind.rule == "deletions":
        keys = keys.with_columns((pl.lit(src + ":") + pl.col("source_event_id")).alias("event_key"))
    dup_mask = keys["event_key"].is_duplicated()
    if kind.rule != "deletions" and dup_mask.any():
        keys, problems = _conflicts(keys, dup_mask, problems, parsed, staged)
    before = keys.height
    if dup_mask.any():  # identical repeats: the first one counts
        keys = keys.sort("source_row").unique(subset=["event_key"], keep="first", maintain_order=True)
    counts = {"repeated_in_file": before - keys.height}
    cur = state.current_keys(con, layout, snaps, src)
    if kind.rule == "deletions":
        return _plan_deletions(keys, cur, snap_id, counts, problems)

    warnings: list[str] = []
    tomb_parts = []
    coverage = None
    j = keys.join(
        cur.select("event_key", pl.col("source_release").alias("cur_release"),
                   pl.col("content_hash").alias("cur_hash"), pl.col("is_deleted").alias("cur_deleted")),
        on="event_key", how="left", maintain_order="left")
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
    take = j.filter(pl.col("status").is_in(["new", "changed"]))
    keep = None if take.height == staged.keys.height else take["source_row"]

    counts["deleted"] = 0
    extra_current = []
    if kind.rule == "timestamp" and getattr(parsed, "deletions", None) is not None:
        # an API sync: changed rows and the deleted-events list land in one snapshot
        take, tomb = _deletions_with_rows(parsed.deletions, j, cur, src, snap_id, counts)
        tomb_parts.append(tomb)
        keep = None if take.height == staged.keys.height else take["source_row"]
    if kind.rule == "release":
        coverage = parsed.coverage_end or keys["date_end"].max()
        if not partial:
            gone = cur.filter(~pl.col("is_deleted") & ~pl.col("event_key").is_in(keys["event_key"].implode()))
            tomb_parts.append(_tombstones(gone, snap_id, "absent_from_release", parsed.release))
            counts["deleted"] += gone.height
        else:
            warnings.append("partial file: events absent from it were kept")
        cand = state.current_keys(con, layout, snaps, "ucdp_candidate")
        extra_current.append(cand)
        if coverage is not None:
            sup = cand.filter(~pl.col("is_deleted") & (pl.col("date_start") <= pl.lit(coverage)))
            tomb_parts.append(_tombstones(sup, snap_id, "superseded_by_ged", parsed.release))
            counts["superseded_candidates"] = sup.height
        latest = [s for s in snaps if s.source == "ucdp_ged" and s.release]
        if latest and parsed.release and _release_key(parsed.release) < _release_key(latest[-1].release):
            warnings.append(f"release {parsed.release} is older than the current {latest[-1].release}; "
                            "it replaces it all the same (the latest ingest wins)")

    sch = schema.polars_schema()
    tombs = pl.concat(tomb_parts) if tomb_parts else pl.DataFrame(schema=dict(sch))
    changed_keys = pl.concat([take.select("event_key"), tombs.select("event_key")])
    closures = _closures(cur, changed_keys, snap_id, extra_current)
    return Plan(keep, tombs, closures, problems, counts, warnings, coverage)


def _plan_deletions(keys, cur, snap_id: int, counts: dict, problems) -> Plan:
    import polars as pl

    j = keys.select("event_key", "source_release").join(
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
    tomb = _tombstones(j.filter(pl.col("status").is_in(["deleted", "unknown"])), snap_id, "acled_deleted", None)
    closures = _closures(cur, tomb.select("event_key"), snap_id)
    return Plan(pl.Series("source_row", [], dtype=pl.Int64), tomb, closures, problems, counts, [])


def _deletions_with_rows(dels, j, cur, src: str, snap_id: int, counts: dict):
    """Apply a deleted-events list (source_event_id, source_release = deletion timestamp)
    together with the snapshot's rows: a deletion wins over a version with an older or equal
    timestamp (stored or arriving now); a row newer than its deletion brings the event back.
    Ids the store never held are counted, not tombstoned (the list is not per country)."""
    import polars as pl

    d = dels.select((pl.lit(src + ":") + pl.col("source_event_id")).alias("event_key"),
                    pl.col("source_release").cast(pl.Int64).alias("del_ts")) \
        .group_by("event_key").agg(pl.col("del_ts").max())
    inc = j.filter(pl.col("status").is_in(["new", "changed"])).select(
        "event_key", "status", pl.col("source_release").cast(pl.Int64).alias("ts")).join(d, on="event_key")
    gone_now = inc.filter(pl.col("del_ts") >= pl.col("ts"))
    back = inc.filter(pl.col("del_ts") < pl.col("ts"))["event_key"].implode()
    for s in ("new", "changed"):
        counts[s] -= int((gone_now["status"] == s).sum())
    take = j.filter(pl.col("status").is_in(["new", "changed"])
                    & ~pl.col("event_key").is_in(gone_now["event_key"].implode()))
    live = cur.filter(~pl.col("is_deleted")).join(d, on="event_key").filter(
        (pl.col("del_ts") >= pl.col("source_release").cast(pl.Int64)) & ~pl.col("event_key").is_in(back))
    tomb = _tombstones(live.with_columns(pl.col("del_ts").cast(pl.String).alias("source_release")),
                       snap_id, "acled_deleted", None)
    counts["deleted"] += live.height
    known = pl.concat([cur["event_key"], j["event_key"]]).implode()
    counts["deletions_listed"] = d.height
    counts["deletions_not_in_store"] = int((~d["event_key"].is_in(known)).sum())
    return take, tomb


def _release_key(r: str) -> tuple:
    return tuple(int(x) for x in r.split(".") if x.isdigit())


def _ged_coverage(snaps) -> dt.date | None:
    ged = [s for s in snaps if s.source == "ucdp_ged" and s.coverage_end]
    return dt.date.fromisoformat(ged[-1].coverage_end) if ged else None


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
    if not pool.height or not new_rows.height:
        closed = pool.head(0)
    else:
        closed = pool.join(new_rows.select("event_key").unique(), on="event_key", how="semi")
    return closed.select(
        "event_key", "snapshot_from", pl.lit(snap_id, pl.Int64).alias("closed_by"),
        "country_iso3", "date_start",
    ).sort(["country_iso3", "date_start"], nulls_last=True)


def _write_parts(layout: Layout, job: Path, snap_id: int, parsed, staged: Staged, plan: Plan) -> dict[str, str]:
    """Write every part to staging, fsync, then move into place. Returns relative paths."""
    import polars as pl

    from ..sources.base import fill_lines

    keep = plan.keep_rows
    parts: dict[str, list[Path]] = {}
    if staged.events and keep is None and not plan.tombstones.height:
        parts["events"], parts["raw"] = staged.events, staged.raw  # the common case: no rewrite
    else:
        frames = []
        if staged.events and (keep is None or keep.len()):
            frames.append(_kept(staged.events, keep))
        if plan.tombstones.height:
            frames.append(plan.tombstones.lazy())
        if frames:
            parts["events"] = [job / "events.parquet"]
            pl.concat(frames, how="vertical_relaxed").sink_parquet(
                parts["events"][0], **PARQUET)
        if staged.raw and (keep is None or keep.len()):
            parts["raw"] = [job / "raw.parquet"]
            _kept(staged.raw, keep).sink_parquet(parts["raw"][0], **PARQUET)
    if plan.closures.height:
        parts["closures"] = [job / "closures.parquet"]
        plan.closures.write_parquet(parts["closures"][0], **PARQUET)
    if plan.problems.height:
        q = fill_lines(plan.problems, parsed.csv_path, parsed.encoding).with_columns(
            pl.lit(snap_id, pl.Int64).alias("snapshot"), pl.lit(parsed.path.name).alias("file"))
        parts["quarantine"] = [job / "quarantine.parquet"]
        q.sort(["row", "field"]).write_parquet(parts["quarantine"][0], **PARQUET)
    for paths in parts.values():
        for p in paths:
            fsync_file(p)
    _checkpoint("staged")
    out: dict[str, list[str]] = {}
    for k, paths in parts.items():
        out[k] = []
        for i, p in enumerate(paths):
            target = layout.part(k, snap_id, i)
            os.replace(p, target)
            out[k].append(str(target.relative_to(layout.home)))
    for d in {layout.home / k for k in parts}:
        fsync_dir(d)
    return out


def _kept(path: Path, keep):
    import polars as pl

    lf = pl.scan_parquet(path)
    return lf if keep is None else lf.filter(pl.col("source_row").is_in(keep.implode()))
