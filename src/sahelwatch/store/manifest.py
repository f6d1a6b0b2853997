"""Snapshot manifests: the provenance record and the commit marker of an ingest."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .layout import Layout, write_json_atomic


@dataclass
class Snapshot:
    id: int
    time: str  # ISO 8601 UTC
    kind: str  # ingest kind: acled, acled-deletions, ucdp, ucdp-candidate, csv
    source: str  # canonical source name
    file: str  # file name as given
    path: str  # absolute path at ingest time
    sha256: str
    release: str | None
    layout: str
    encoding: str
    header: list[str]
    verbatim: dict[str, str]
    counts: dict[str, int]  # read, accepted, quarantined, new, changed, unchanged, deleted, ...
    files: dict[str, list[str]] = field(default_factory=dict)  # kind -> relative paths of committed parts
    warnings: list[str] = field(default_factory=list)
    coverage_end: str | None = None
    sahelwatch_version: str = ""
    sample: bool = False  # the file is known to be a sample (--sample, --partial): claims say "in this sample"
    series: dict | None = None  # series snapshots: name, format, measures, period kind, units, first/last period

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Snapshot":
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})


def write(layout: Layout, snap: Snapshot) -> None:
    write_json_atomic(layout.manifest(snap.id), snap.to_dict())


def read_all(layout: Layout) -> list[Snapshot]:
    out = []
    for p in sorted(layout.snapshots.glob("[0-9]*.json")):
        out.append(Snapshot.from_dict(json.loads(p.read_text(encoding="utf-8"))))
    return out


def next_id(snaps: list[Snapshot]) -> int:
    return (max(s.id for s in snaps) + 1) if snaps else 1


def committed_ids(layout: Layout) -> set[int]:
    return {int(p.stem) for p in layout.snapshots.glob("[0-9]*.json")}


def sweep_orphans(layout: Layout) -> list[Path]:
    """Remove parts and staging left by an ingest that never committed. Call under the lock."""
    import shutil

    done = committed_ids(layout)
    removed = []
    for kind in ("events", "closures", "raw", "quarantine", "series", "series_changes"):
        d = layout.home / kind
        for p in d.glob("*.parquet"):
            if p.name[:6].isdigit() and int(p.name[:6]) not in done:
                p.unlink()
                removed.append(p)
    for p in layout.staging.glob("*"):
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink()
        removed.append(p)
    for p in layout.snapshots.glob(".*.tmp-*"):
        p.unlink()
        removed.append(p)
    return removed


