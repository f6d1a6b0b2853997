"""Reading a delimited file into a frame of strings, without losing a row.

The fast path is Polars' multi-threaded CSV reader with every column as text.
When the file is not clean UTF-8 or has rows with too many fields, Polars
refuses the whole file; then the careful path reads it record by record with
the ``csv`` module, quarantines each broken record (wrong field count,
undecodable bytes) with its line number, and keeps the rest. A file that is
latin-1 throughout (no valid UTF-8 multi-byte sequence anywhere) is decoded as
latin-1 and every row carrying a non-ASCII character is flagged.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.errors import SourceFormatError

ROW_COL = "__row"  # 1-based data row number (header excluded)


@dataclass
class RawTable:
    """The file's records as text, plus what could not be read."""

    header: list[str]
    frame: object  # polars.DataFrame of str columns + ROW_COL
    problems: list[dict] = field(default_factory=list)  # row, line, field, value, reason, raw
    encoding: str = "utf-8"
    rows_read: int = 0
    latin1_rows: object = None  # polars Series of ROW_COL values flagged latin1_decoded


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


def read_header(path: Path) -> tuple[list[str], str]:
    """First record's fields and the encoding guess (``utf-8-sig`` when a BOM is present)."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceFormatError(str(path), "UTF-16 files are not supported; save the file as UTF-8")
    enc = "utf-8-sig" if head.startswith(b"\xef\xbb\xbf") else "utf-8"
    text = head.decode(enc, errors="replace")
    if "\x00" in text:
        raise SourceFormatError(str(path), "binary file (NUL bytes); expected CSV text")
    first = next(csv.reader(io.StringIO(text)), [])
    return [h.strip() for h in first], enc


_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _looks_latin1(path: Path) -> bool:
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


def read_strings(path: Path, workdir: Path) -> RawTable:
    """Read every record of ``path`` as text. Never drops a record silently."""
    import polars as pl

    header, enc = read_header(path)
    if not header or all(h == "" for h in header):
        raise SourceFormatError(str(path), "empty file or empty header")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise SourceFormatError(str(path), f"duplicate column names in header: {dupes}")
    try:
        df = pl.read_csv(
            path,
            infer_schema=False,
            has_header=True,
            raise_if_empty=False,
        )
        if df.columns and df.columns[0].startswith("\ufeff"):
            df = df.rename({df.columns[0]: df.columns[0].lstrip("\ufeff")})
        df = df.rename({c: c.strip() for c in df.columns})
        df = df.with_row_index(ROW_COL, offset=1).with_columns(pl.col(ROW_COL).cast(pl.Int64))
        return RawTable(header=header, frame=df, encoding=enc, rows_read=df.height)
    except pl.exceptions.ComputeError:
        pass  # not clean UTF-8, or ragged rows: the careful path tells which rows
    if _looks_latin1(path):
        return _careful(path, header, encoding="latin-1")
    return _careful(path, header, encoding=enc)


def _careful(path: Path, header: list[str], encoding: str) -> RawTable:
    import polars as pl

    n = len(header)
    cols: list[list[str | None]] = [[] for _ in range(n)]
    rows: list[int] = []
    problems: list[dict] = []
    latin1: list[int] = []
    errors = "strict" if encoding == "latin-1" else "surrogateescape"
    with open(path, encoding=encoding, errors=errors, newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        row = 0
        start_line = reader.line_num + 1
        for rec in reader:
            row += 1
            text = ",".join(rec)
            if errors == "surrogateescape" and _has_surrogate(text):
                bad = next(f for f in rec if _has_surrogate(f))
                problems.append(
                    dict(row=row, line=start_line, field="", value=_show_bytes(bad),
                         reason="undecodable bytes (not UTF-8)", raw=_show_bytes(text))
                )
            elif len(rec) != n and not (len(rec) == 0):
                problems.append(
                    dict(row=row, line=start_line, field="", value=str(len(rec)),
                         reason=f"wrong column count: {len(rec)} fields, header has {n}", raw=text[:2000])
                )
            elif len(rec) == 0:
                row -= 1  # a blank line is not a record
            else:
                for i, v in enumerate(rec):
                    cols[i].append(v if v != "" else None)
                rows.append(row)
                if encoding == "latin-1" and not text.isascii():
                    latin1.append(row)
            start_line = reader.line_num + 1
    df = pl.DataFrame({h: pl.Series(h, c, dtype=pl.String) for h, c in zip(header, cols)})
    df = df.with_columns(pl.Series(ROW_COL, rows, dtype=pl.Int64)).select([ROW_COL, *header])
    return RawTable(
        header=header, frame=df, problems=problems, encoding=encoding, rows_read=row,
        latin1_rows=pl.Series(ROW_COL, latin1, dtype=pl.Int64),
    )


def _has_surrogate(s: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in s)


def _show_bytes(s: str) -> str:
    return s.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="backslashreplace")[:2000]


def line_numbers(path: Path, rows: set[int], encoding: str = "utf-8") -> dict[int, int]:
    """Physical start line of the given 1-based data rows (records may span lines)."""
    if not rows:
        return {}
    last = max(rows)
    out: dict[int, int] = {}
    enc = "latin-1" if encoding == "latin-1" else "utf-8"
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
                out[row] = start
            if row >= last:
                break
            start = reader.line_num + 1
    return out
