"""What every source parser shares: the parse result, row checks, date parsing.

A source turns a file into canonical rows plus a list of problems. It never
touches the store. Checks are Polars expressions evaluated over the whole
frame at once, and *all* failures of a row are collected, not just the first.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

from ._csvread import ROW_COL, RawTable, line_numbers

Progress = Callable[[str, int, int | None], None]


@dataclass
class Check:
    """A row fails when ``bad`` is true; ``value`` shows the offending text."""

    field: str
    bad: object  # pl.Expr -> bool
    reason: str
    value: object = None  # pl.Expr -> str; defaults to pl.col(field)


@dataclass
class Parsed:
    """A file read by a source: canonical rows, the source's own columns, problems."""

    source: str
    release: str | None
    path: Path
    header: list[str]
    layout: str
    rows_read: int
    accepted: object  # pl.DataFrame: canonical columns + raw columns prefixed "raw."
    problems: object  # pl.DataFrame: row, line, field, value, reason, raw
    verbatim: dict[str, str]  # source column -> canonical column holding it unchanged
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)
    coverage_end: object = None  # datetime.date: last day a GED release covers
    kind: str = "events"  # "events" or "deletions"

    @property
    def quarantined(self) -> int:
        return self.problems["row"].n_unique() if self.problems.height else 0


class SourceParser(Protocol):
    """A source format. Built-ins register through the same table as plugins."""

    name: str  # e.g. "acled"; the store key prefix
    description: str

    def parse(self, path: Path, workdir: Path, *, release: str | None = None,
              progress: Progress | None = None, **options) -> Parsed: ...


PROBLEM_SCHEMA = {"row": "Int64", "line": "Int64", "field": "String", "value": "String",
                  "reason": "String", "raw": "String"}


def empty_problems():
    import polars as pl

    return pl.DataFrame(schema={k: getattr(pl, v) for k, v in PROBLEM_SCHEMA.items()})


def run_checks(df, checks: list[Check]):
    """All failing (row, field) pairs, as a problems frame (line and raw filled later)."""
    import polars as pl

    parts = []
    for c in checks:
        val = c.value if c.value is not None else pl.col(c.field)
        bad = df.filter(c.bad.fill_null(False))
        if bad.height:
            parts.append(
                bad.select(
                    pl.col(ROW_COL).alias("row"),
                    pl.lit(c.field).alias("field"),
                    val.cast(pl.String).alias("value"),
                    pl.lit(c.reason).alias("reason"),
                )
            )
    if not parts:
        return pl.DataFrame(schema={"row": pl.Int64, "field": pl.String, "value": pl.String, "reason": pl.String})
    return pl.concat(parts)


def finish_problems(raw: RawTable, found, path: Path):
    """Merge check failures with read failures; add line numbers and the raw row."""
    import polars as pl

    cols = raw.header
    base = raw.frame
    if found.height:
        rows = found["row"].unique()
        recs = base.filter(pl.col(ROW_COL).is_in(rows.implode()))
        rawtext = recs.select(
            pl.col(ROW_COL).alias("row"),
            pl.struct([pl.col(c) for c in cols if c in recs.columns]).struct.json_encode().alias("raw"),
        )
        found = found.join(rawtext, on="row", how="left")
    else:
        found = found.with_columns(pl.lit(None, pl.String).alias("raw"))
    read_fail = pl.DataFrame(
        raw.problems or [],
        schema={"row": pl.Int64, "line": pl.Int64, "field": pl.String, "value": pl.String,
                "reason": pl.String, "raw": pl.String},
    )
    need = set(found["row"].to_list())
    lines = line_numbers(path, need, raw.encoding) if need else {}
    found = found.with_columns(
        pl.col("row").replace_strict(lines, default=None, return_dtype=pl.Int64).alias("line")
    ).select(list(PROBLEM_SCHEMA))
    return pl.concat([read_fail.select(list(PROBLEM_SCHEMA)), found]).sort(["row", "field"])


def conflicting_ids(df, id_col: str, header: list[str]):
    """Ids that appear more than once with different content (identical repeats are fine)."""
    import polars as pl

    d = df.filter(pl.col(id_col).is_not_null() & pl.col(id_col).is_duplicated())
    if not d.height:
        return pl.Series(id_col, [], dtype=pl.String)
    n = d.group_by(id_col).agg(pl.struct(header).n_unique().alias("n"))
    return n.filter(pl.col("n") > 1)[id_col]


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


def to_int(expr):
    """'12', '12.0', ' 12 ' -> 12; anything else -> null (caller checks)."""
    import polars as pl

    f = expr.str.strip_chars().cast(pl.Float64, strict=False)
    return pl.when(f.is_finite() & (f == f.floor())).then(f.cast(pl.Int64)).otherwise(None)


def to_float(expr):
    import polars as pl

    return expr.str.strip_chars().cast(pl.Float64, strict=False)


def raw_columns(header: list[str], verbatim: dict[str, str]) -> list[str]:
    """Source columns kept in the raw side table (those not stored verbatim)."""
    return [h for h in header if h not in verbatim]


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


def jsonable(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)
