"""Atomic file writes: a failed fit or an interrupted write never leaves a partial file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ..domain.errors import UsageError

FRAME_SUFFIXES = (".parquet", ".csv")


def check_frame_path(path) -> Path:
    p = Path(path)
    if p.suffix.lower() not in FRAME_SUFFIXES:
        raise UsageError(f"{p}: output must end in .parquet or .csv")
    if not p.parent.exists():
        raise UsageError(f"{p}: folder {p.parent} does not exist")
    return p


def _atomic(path: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_frame(df, path, *, meta: dict | None = None) -> None:
    """Parquet (with ``sahelwatch`` JSON metadata) or CSV, chosen by suffix; atomic."""
    p = check_frame_path(path)
    if p.suffix.lower() == ".csv":
        _atomic(p, lambda tmp: df.write_csv(tmp))
        return
    import pyarrow.parquet as pq

    table = df.to_arrow()
    if meta:
        md = dict(table.schema.metadata or {})
        md[b"sahelwatch"] = json.dumps(meta, default=str).encode()
        table = table.replace_schema_metadata(md)
    _atomic(p, lambda tmp: pq.write_table(table, tmp))


def read_meta(path) -> dict:
    import pyarrow.parquet as pq

    md = pq.read_schema(path).metadata or {}
    return json.loads(md.get(b"sahelwatch", b"{}"))


def write_text(path, text: str) -> None:
    p = Path(path)
    if not p.parent.exists():
        raise UsageError(f"{p}: folder {p.parent} does not exist")
    _atomic(p, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def write_bytes(path, data: bytes) -> None:
    p = Path(path)
    if not p.parent.exists():
        raise UsageError(f"{p}: folder {p.parent} does not exist")
    _atomic(p, lambda tmp: Path(tmp).write_bytes(data))
