"""Reading a delimited file as batches of text rows, without losing a row.

The fast path is Polars' streaming CSV reader with every column as text, in
batches, so memory stays bounded whatever the file size. When the file is not
clean UTF-8 or has rows with too many fields, Polars stops; the reader then
yields :data:`RESET` and starts again on the careful path, which reads record
by record with the ``csv`` module and quarantines each broken record (wrong
field count, undecodable bytes) with its line number. A file that is latin-1
throughout (no valid UTF-8 multi-byte sequence anywhere) is decoded as latin-1
and every row carrying a non-ASCII character is flagged.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..domain.errors import SourceFormatError

ROW_COL = "__row"  # 1-based data row number (header excluded)
BATCH_ROWS = 100_000
RESET = "reset"  # yielded when reading starts over on the careful path


@dataclass
class RawBatch:
    """Some of the file's records as text (+ ROW_COL), plus records that could not be read."""

    frame: object  # polars.DataFrame
    problems: list[dict] = field(default_factory=list)  # row, line, field, value, reason, raw
    rows_read: int = 0
    encoding: str = "utf-8"
    latin1_rows: list[int] = field(default_factory=list)


def open_member(path: Path, workdir: Path) -> Path:
    """A ``.zip`` holding one CSV is extracted to ``workdir``; other paths pass through."""
    if not zipfile.is_zipfile(path):
        return path
    with zipfile.ZipFile(path) as zf:
        members = [m for m in zf.namelist() if m.lower().endswith((".csv", ".txt")) and not m.startswith("__MACOSX")]
        if len(members) != 1:
            raise SourceFormatError(
                str(path), f"zip must hold exactly one .csv file, found {len(members)}: {members[:5]}"
            )
        workdir.mkdir(parents=True, exist_ok=True)
        target = workdir / Path(members[0]).name
        with zf.open(members[0]) as src, open(target, "wb") as dst:
            while chunk := src.read(1 << 22):
                dst.write(chunk)
        return target


def read_header(path: Path) -> list[str]:
    """The first record's field names; refuses what is clearly not CSV text."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceFormatError(str(path), "UTF-16 files are not supported; save the file as UTF-8")
    if b"\x00" in head:
        raise SourceFormatError(str(path), "binary file (NUL bytes); expected CSV text")
    text = head.decode("utf-8-sig" if head.startswith(b"\xef\xbb\xbf") else "utf-8", errors="replace")
    header = [h.strip() for h in next(csv.reader(io.StringIO(text)), [])]
    if not header or all(h == "" for h in header):
        raise SourceFormatError(str(path), "empty file or empty header")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise SourceFormatError(str(path), f"duplicate column names in header: {dupes}")
    return header


_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def looks_latin1(path: Path) -> bool:
    """True when the file has non-UTF-8 bytes and no valid UTF-8 multi-byte sequence."""
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        data.decode("utf-8")
        return False
    except UnicodeDecodeError:
        pass
    for m in _MULTIBYTE.finditer(data):
        try:
            m.group().decode("utf-8")
            return False
        except UnicodeDecodeError:
            continue
    return True


def iter_strings(path: Path, header: list[str], batch_rows: int = BATCH_ROWS) -> Iterator[RawBatch | str]:
    """Every record of ``path`` as text, in batches. May yield :data:`RESET` once."""
    import polars as pl

    try:
        lf = pl.scan_csv(path, infer_schema=False, has_header=True, raise_if_empty=False,
                         row_index_name=ROW_COL, row_index_offset=1)
        yielded = False
        for df in lf.collect_batches(chunk_size=batch_rows):
            df = df.rename(dict(zip(df.columns[1:], header))).with_columns(pl.col(ROW_COL).cast(pl.Int64))
            yielded = True
            yield RawBatch(frame=df, rows_read=df.height)
        if not yielded:
            yield RawBatch(frame=pl.DataFrame({ROW_COL: pl.Series([], dtype=pl.Int64),
                                               **{h: pl.Series([], dtype=pl.String) for h in header}}))
        return
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError):
        pass  # not clean UTF-8, or ragged rows: the careful path tells which rows
    yield RESET
    yield from _careful(path, header, "latin-1" if looks_latin1(path) else "utf-8", batch_rows)


def _careful(path: Path, header: list[str], encoding: str, batch_rows: int) -> Iterator[RawBatch]:
    import polars as pl

    n = len(header)
    errors = "strict" if encoding == "latin-1" else "surrogateescape"

    def flush(cols, rows, problems, latin1, read):
        df = pl.DataFrame({h: pl.Series(h, c, dtype=pl.String) for h, c in zip(header, cols)})
        df = df.with_columns(pl.Series(ROW_COL, rows, dtype=pl.Int64)).select([ROW_COL, *header])
        return RawBatch(frame=df, problems=problems, rows_read=read, encoding=encoding, latin1_rows=latin1)

    with open(path, encoding="utf-8-sig" if encoding == "utf-8" else encoding, errors=errors,
              newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        row, read = 0, 0
        cols: list[list[str | None]] = [[] for _ in range(n)]
        rows: list[int] = []
        problems: list[dict] = []
        latin1: list[int] = []
        start_line = reader.line_num + 1
        for rec in reader:
            if not rec:  # a blank line is not a record
                start_line = reader.line_num + 1
                continue
            row += 1
            read += 1
            text = ",".join(rec)
            if errors == "surrogateescape" and _has_surrogate(text):
                bad = next(f for f in rec if _has_surrogate(f))
                problems.append(dict(row=row, line=start_line, field="", value=_show_bytes(bad),
                                     reason="undecodable bytes (not UTF-8)", raw=_show_bytes(text)))
            elif len(rec) != n:
                problems.append(dict(row=row, line=start_line, field="", value=str(len(rec)),
                                     reason=f"wrong column count: {len(rec)} fields, header has {n}",
                                     raw=text[:2000]))
            else:
                for i, v in enumerate(rec):
                    cols[i].append(v if v != "" else None)
                rows.append(row)
                if encoding == "latin-1" and not text.isascii():
                    latin1.append(row)
            start_line = reader.line_num + 1
            if read >= batch_rows:
                yield flush(cols, rows, problems, latin1, read)
                cols, rows, problems, latin1, read = [[] for _ in range(n)], [], [], [], 0
        yield flush(cols, rows, problems, latin1, read)


def _has_surrogate(s: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in s)


def _show_bytes(s: str) -> str:
    return s.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="backslashreplace")[:2000]


def records(path: Path, rows: set[int], encoding: str = "utf-8") -> dict[int, tuple[int, list[str]]]:
    """Physical start line and fields of the given 1-based data rows (records may span lines)."""
    if not rows:
        return {}
    last = max(rows)
    out: dict[int, tuple[int, list[str]]] = {}
    enc = "latin-1" if encoding == "latin-1" else "utf-8-sig"
    with open(path, encoding=enc, errors="replace", newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        start = reader.line_num + 1
        row = 0
        for rec in reader:
            if not rec:
                start = reader.line_num + 1
                continue
            row += 1
            if row in rows:
                out[row] = (start, rec)
            if row >= last:
                break
            start = reader.line_num + 1
    return out
