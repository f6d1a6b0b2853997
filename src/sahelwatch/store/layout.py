"""Where things live in a store directory (documented in docs/store.md).

    HOME/
      store.json                 format marker {"format": "sahelwatch-store", "version": 1}
      snapshots/000001.json      one manifest per committed snapshot: the commit record
      events/000001-0000.parquet canonical event versions (and tombstones) made current by snapshot 1
                                 (one file per batch of ~100,000 rows: -0000, -0001, ...)
      closures/000001-0000.parquet versions that stopped being current in snapshot 1
      raw/000001-0000.parquet    the source's own columns not kept verbatim in events/
      quarantine/000001-0000.parquet rejected rows of snapshot 1: row, line, field, value, reason, raw
      staging/                   work in progress of an ingest; never read by queries
      catalog.duckdb             DuckDB views over the committed Parquet (derived; delete to rebuild)
      cache/                     derived per-snapshot tables of the analytics (delete freely)
      forecasts/<id>/            stored forecasts (written by sahelwatch.forecast.stored, never altered)
      ingest.lock                held by the one ingest allowed at a time

A snapshot exists if and only if its manifest exists. Parquet files without a
manifest are leftovers of an interrupted ingest: queries never read them and
the next ingest removes them.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import StoreError

FORMAT = {"format": "sahelwatch-store", "version": 1}
KINDS = ("events", "closures", "raw", "quarantine")


def default_home() -> Path:
    env = os.environ.get("SAHELWATCH_HOME")
    return Path(env).expanduser() if env else Path.home() / ".sahelwatch"


@dataclass(frozen=True)
class Layout:
    home: Path

    @property
    def marker(self) -> Path:
        return self.home / "store.json"

    @property
    def snapshots(self) -> Path:
        return self.home / "snapshots"

    @property
    def staging(self) -> Path:
        return self.home / "staging"

    @property
    def catalog(self) -> Path:
        return self.home / "catalog.duckdb"

    @property
    def lock(self) -> Path:
        return self.home / "ingest.lock"

    def manifest(self, snap: int) -> Path:
        return self.snapshots / f"{snap:06d}.json"

    def part(self, kind: str, snap: int, k: int = 0) -> Path:
        return self.home / kind / f"{snap:06d}-{k:04d}.parquet"

    def exists(self) -> bool:
        return self.marker.exists()

    def create(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        for d in (self.snapshots, self.staging, *(self.home / k for k in KINDS)):
            d.mkdir(exist_ok=True)
        if not self.marker.exists():
            write_json_atomic(self.marker, FORMAT)

    def check(self) -> None:
        if not self.marker.exists():
            raise StoreError(f"no sahelwatch store at {self.home}; run `sahelwatch init` first")
        fmt = json.loads(self.marker.read_text())
        if fmt.get("format") != FORMAT["format"] or fmt.get("version") != FORMAT["version"]:
            raise StoreError(f"{self.marker}: unsupported store format {fmt}")


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json_atomic(path: Path, obj: object) -> None:
    """Write-to-temp, fsync, rename, fsync the directory: all or nothing."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, indent=2, ensure_ascii=False, default=str)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)
