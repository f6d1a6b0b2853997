"""What every source parser shares: the parse result, row checks, date parsing.

A source turns a file into canonical rows plus a list of problems. It never
touches the store. Checks are Polars expressions evaluated over the whole
frame at once, and *all* failures of a row are collected, not just the first.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ._csvread import RESET, ROW_COL, RawBatch, iter_strings, records

Progress = Callable[[str, int, int | None], None]


@dataclass
class Check:
    """A row fails when ``bad`` is true; ``value`` shows the offending text."""

    field: str
    bad: object  # pl.Expr -> bool
    reason: str
    value: object = None  # pl.Expr -> str; defaults to pl.col(field)


@dataclass
class Batch:
    """A batch of parsed rows: canonical columns + ``raw.*`` source columns."""

    accepted: object  # pl.DataFrame
    problems: object  # pl.DataFrame: row, line (may be null), field, value, reason, raw
    rows_read: int


@dataclass
class Parsed:
    """A file opened by a source: what it is, and its rows as a stream of batches.

    ``batches`` yields :class:`Batch` objects, and :data:`RESET` when reading
    starts over on the careful path (everything yielded before is void).
    """

    source: str
    release: str | None
    path: Path  # as given
    csv_path: Path  # the CSV actually read (extracted from a zip)
    header: list[str]
    layout: str
    verbatim: dict[str, str]  # source column -> canonical column holding it unchanged
    id_field: str  # the source column holding the event id
    batches: Iterator  # of Batch | RESET
    encoding: str = "utf-8"  # updated while reading when the careful path decodes latin-1
    warnings: list[str] = field(default_factory=list)
    coverage_end: object = None  # datetime.date: last day a GED release covers
    kind: str = "events"  # "events" or "deletions"
    deletions: object = None  # pl.DataFrame source_event_id, source_release: an API sync's deleted-events list


def run_checks(df, checks: list[Check]):
    """All failing (row, field) pairs, as a problems frame (line and raw filled later).

    Every check's mask is computed in one parallel ``select``; rows are gathered
    only for the checks that failed somewhere.
    """
    import polars as pl

    empty = pl.DataFrame(schema={"row": pl.Int64, "field": pl.String, "value": pl.String, "reason": pl.String})
    if not df.height:
        return empty
    masks = df.select([c.bad.fill_null(False).alias(f"m{i}") for i, c in enumerate(checks)])
    parts = []
    for i, c in enumerate(checks):
        m = masks[f"m{i}"]
        if not m.any():
            continue
        val = c.value if c.value is not None else pl.col(c.field)
        parts.append(df.filter(m).select(
            pl.col(ROW_COL).alias("row"), pl.lit(c.field).alias("field"),
            val.cast(pl.String).alias("value"), pl.lit(c.reason).alias("reason")))
    return pl.concat(parts) if parts else empty


def problem_frame(raw: RawBatch, found, header: list[str]):
    """Check failures of a batch plus its unreadable records, with the raw row as JSON."""
    import polars as pl

    sch = {"row": pl.Int64, "line": pl.Int64, "field": pl.String, "value": pl.String,
           "reason": pl.String, "raw": pl.String}
    read_fail = pl.DataFrame(raw.problems or [], schema=sch)
    if not found.height:
        return read_fail
    recs = raw.frame.filter(pl.col(ROW_COL).is_in(found["row"].unique().implode()))
    rawtext = recs.select(pl.col(ROW_COL).alias("row"),
                          pl.struct([pl.col(c) for c in header]).struct.json_encode().alias("raw"))
    found = found.join(rawtext, on="row", how="left").with_columns(pl.lit(None, pl.Int64).alias("line"))
    return pl.concat([read_fail, found.select(list(sch))])


def stream(csv_path: Path, header: list[str], transform, parsed_ref: list) -> Iterator:
    """Run ``transform(raw_batch) -> (accepted, found)`` over the file's batches."""

    from . import _csvread

    for raw in iter_strings(csv_path, header, _csvread.BATCH_ROWS):  # read now: tests shrink it
        if raw is RESET:
            yield RESET
            continue
        if parsed_ref and raw.encoding != "utf-8":
            parsed_ref[0].encoding = raw.encoding
        if not raw.frame.height and not raw.problems:
            continue  # a header and no rows: nothing to transform (the ingest says so)
        accepted, found = transform(raw)
        yield Batch(accepted=accepted, problems=problem_frame(raw, found, header), rows_read=raw.rows_read)


def map_distinct(df, cols: list[str], expr, name: str):
    """Evaluate ``expr`` once per distinct value of ``cols`` and broadcast it back.

    For vocabularies (event types, actor types) a file holds a few dozen
    distinct values in a million rows: string matching on those is ~100x cheaper.
    """
    import polars as pl

    key = pl.concat_str([pl.col(c).fill_null("\x00") for c in cols], separator="\x1f") if len(cols) > 1 \
        else pl.col(cols[0]).fill_null("\x00")
    k = df.select(key.alias("_k"))["_k"]
    table = df.select(cols).with_columns(k).unique("_k").with_columns(expr.alias(name))
    return k.replace_strict(table["_k"], table[name], return_dtype=table[name].dtype).alias(name)


def fill_lines(problems, csv_path: Path, encoding: str):
    """Physical line numbers for problems that lack one (one pass up to the last such row)."""
    import polars as pl

    need = set(problems.filter(pl.col("line").is_null())["row"].to_list())
    if not need:
        return problems
    found = records(csv_path, need, encoding)
    lines = {r: v[0] for r, v in found.items()}
    return problems.with_columns(pl.coalesce(
        pl.col("line"), pl.col("row").replace_strict(lines, default=None, return_dtype=pl.Int64)))


def raw_rows_json(csv_path: Path, rows: set[int], header: list[str], encoding: str) -> dict[int, tuple[int, str]]:
    """Line and JSON text of given rows, re-read from the file (for rare problems found late)."""
    import json

    out = {}
    for r, (line, rec) in records(csv_path, rows, encoding).items():
        out[r] = (line, json.dumps(dict(zip(header, rec)), ensure_ascii=False))
    return out


def split(df, problems):
    """Rows without any problem."""
    import polars as pl

    if not problems.height:
        return df
    return df.filter(~pl.col(ROW_COL).is_in(problems["row"].unique().implode()))


def parse_dates(expr, formats: tuple[str, ...]):
    """First format that parses wins; unparseable -> null."""
    import polars as pl

    return pl.coalesce([expr.str.strptime(pl.Date, f, strict=False) for f in formats])


def parse_date_series(s, formats: tuple[str, ...]):
    """Like :func:`parse_dates` on a Series, but each later format only sees the rows the
    earlier ones could not parse (a file is nearly always in one format)."""
    import polars as pl

    s = s.str.strip_chars()
    out = s.str.strptime(pl.Date, formats[0], strict=False)
    for fmt in formats[1:]:
        todo = out.is_null() & s.is_not_null()
        if not todo.any():
            break
        out = out.scatter(todo.arg_true(), s.filter(todo).str.strptime(pl.Date, fmt, strict=False))
    return out


def to_int(expr):
    """'12', '12.0', ' 12 ' -> 12; anything else -> null (caller checks)."""
    import polars as pl

    f = expr.str.strip_chars().cast(pl.Float64, strict=False)
    return pl.when(f.is_finite() & (f == f.floor())).then(f.cast(pl.Int64)).otherwise(None)


def int_series(s):
    """:func:`to_int` on a Series, with a fast path: a plain integer cast first, and the
    tolerant parse ('12.0', ' 12 ') only for the values the cast refused."""
    import polars as pl

    out = s.cast(pl.Int64, strict=False)
    todo = out.is_null() & s.is_not_null()
    if todo.any():
        fixed = pl.select(to_int(pl.lit(s.filter(todo)))).to_series()
        out = out.scatter(todo.arg_true(), fixed)
    return out


def to_float(expr):
    import polars as pl

    return expr.str.strip_chars().cast(pl.Float64, strict=False)


def content_hash(df, header: list[str]):
    """MD5 of the row's source values, unit-separated; stable across library versions."""
    import duckdb
    import polars as pl

    if not df.height:
        return pl.Series("content_hash", [], dtype=pl.String)
    sel = df.select([pl.col(h).fill_null("\x00") for h in header])
    sel.columns = [f"c{i}" for i in range(len(header))]
    expr = "md5(concat_ws(chr(31), " + ", ".join(f'"c{i}"' for i in range(len(header))) + "))"
    con = duckdb.connect()
    con.register("t", sel.to_arrow())
    out = con.sql(f"SELECT {expr} AS h FROM t").to_arrow_table()
    con.close()
    return pl.from_arrow(out["h"]).rename("content_hash")


class FileHasher:
    """sha256 of a file, computed on a thread while the file is parsed."""

    def __init__(self, path: Path):
        self._path = path
        self._digest: str | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        h = hashlib.sha256()
        with open(self._path, "rb") as fh:
            while chunk := fh.read(1 << 22):
                h.update(chunk)
        self._digest = h.hexdigest()

    def result(self) -> str:
        self._thread.join()
        assert self._digest is not None
        return self._digest
