"""Unit-period series files: VIEWS country-month, wide tables, tidy tables.

Each reader turns a file into *cells* — one value per (country, period,
measure) — plus the rejected input, row by row, with the reason. Nothing is
lost: ``rows read = accepted + quarantined`` (for a wide table a "row" is one
cell, a date x country value; empty cells hold no value and are counted apart).

Formats
    ``views-cm``  VIEWS country-month (Parquet or CSV): ``month_id`` (1 = January
                  1980), ``country_id`` (VIEWS ids, mapped through the bundled
                  VIEWS key to Gleditsch-Ward, then to ISO3 by the dated crosswalk),
                  ``ged_sb``, ``ged_ns``, ``ged_os`` -> ``fatalities_sb/_ns/_os``
                  and ``fatalities_all`` (their sum, when all three exist). VIEWS
                  "actuals" files name ``ged_sb`` ``outcome``.
    ``wide``      a CSV whose first column is a date and every other column a
                  country (``--country-names ucdp|iso3|gw``); ``--value`` names
                  the measure, ``--period`` says month or year.
    ``tidy``      a CSV with one value per row; a YAML mapping names the columns
                  (see docs/series.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..domain import countries as C
from ..domain.errors import MappingError, SourceFormatError, UsageError

FORMATS = ("views-cm", "wide", "tidy")
PERIOD_KINDS = ("month", "year")
NAME_SCHEMES = ("ucdp", "iso3", "gw")
VIEWS_MEASURES = {"ged_sb": "fatalities_sb", "ged_ns": "fatalities_ns", "ged_os": "fatalities_os"}
ALL = "fatalities_all"
MEASURE_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
CONFLICT = "unit-period appears more than once in this file with different values"
CELL_COLUMNS = ("country_iso3", "gwno", "period", "period_kind", "measure", "value", "row")


@dataclass
class ParsedSeries:
    format: str
    period_kind: str
    cells: object  # pl.DataFrame of CELL_COLUMNS
    problems: object  # pl.DataFrame: row, line, field, value, reason, raw
    rows_read: int
    header: list[str]
    counts: dict[str, int] = field(default_factory=dict)  # extra counts (empty cells, repeats)
    warnings: list[str] = field(default_factory=list)


def _problem_schema():
    import polars as pl

    return {"row": pl.Int64, "line": pl.Int64, "field": pl.String, "value": pl.String, "reason": pl.String,
            "raw": pl.String}


def _cell_schema():
    import polars as pl

    return {"country_iso3": pl.String, "gwno": pl.Int64, "period": pl.Date, "period_kind": pl.String,
            "measure": pl.String, "value": pl.Float64, "row": pl.Int64}


@lru_cache(maxsize=1)
def views_country_key() -> dict[int, int]:
    """VIEWS ``country_id`` -> Gleditsch-Ward number (the VIEWS country key, bundled)."""
    text = resources.files(__package__).joinpath("data", "views_countries.csv").read_text("utf-8")
    return {int(r["country_id"]): int(r["gwno"]) for r in csv.DictReader(text.splitlines())}


@lru_cache(maxsize=1)
def ucdp_country_names() -> dict[str, int]:
    """UCDP GED ``country`` spelling -> GW number (``Ivory Coast`` -> 437, ``Serbia (Yugoslavia)`` -> 345)."""
    text = resources.files(__package__).joinpath("data", "ucdp_country_names.csv").read_text("utf-8")
    return {r["ucdp_name"]: int(r["gwno"]) for r in csv.DictReader(text.splitlines())}


def month_of_id(month_id: int) -> dt.date:
    """VIEWS ``month_id`` 1 = January 1980."""
    return dt.date(1980 + (month_id - 1) // 12, (month_id - 1) % 12 + 1, 1)


def parse_period(text: str, kind: str) -> dt.date | None:
    """``2024``, ``2024-03``, ``2024-03-31`` -> first day of the month (or year); None when malformed."""
    t = str(text or "").strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[ T]00:00(?::00)?)?", t)
    if not m:
        return None
    y, mo, d = int(m[1]), m[2], m[3]
    try:
        day = dt.date(y, int(mo) if mo else 1, int(d) if d else 1)
    except ValueError:
        return None
    if kind == "year":
        return day.replace(month=1, day=1) if not mo or (int(mo) in (1, 12)) else None
    return day.replace(day=1) if mo else None


@lru_cache(maxsize=1)
def _gw_intervals() -> dict[int, list]:
    out: dict[int, list] = {}
    for c in C.all_countries():
        if c.gwno is not None:
            out.setdefault(c.gwno, []).append(c)
    return out


def _gw_iso(gw: int, on: dt.date) -> str | None:
    """``countries.gwno_to_iso3_on`` (same answers, checked by a test) without scanning the whole
    crosswalk for each of a series' ~10^5 cells."""
    hits = _gw_intervals().get(gw)
    if not hits:
        return None
    if len(hits) == 1:
        return hits[0].iso3
    valid = [c for c in hits if c.valid_on(on)]
    return valid[-1].iso3 if valid else C.gwno_to_iso3().get(gw)


def _value(v) -> tuple[float | None, str | None]:
    """A non-negative number, or the reason it is not one."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None, "missing value"
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None, "not a number"
    if x != x or x in (float("inf"), float("-inf")):
        return None, "not a number"
    if x < 0:
        return None, "negative value"
    # rounded to 1e-6: VIEWS' 2023 files hold counts with float noise (97.99999999999999 for 98), which
    # would otherwise read as revisions between vintages
    return round(x, 6), None


class _Collector:
    """Accepted cells and problems, built row by row (files here are small: ~10^5 rows)."""

    def __init__(self, period_kind: str):
        self.kind = period_kind
        self.cells: dict[str, list] = {c: [] for c in CELL_COLUMNS}
        self.problems: dict[str, list] = {c: [] for c in ("row", "line", "field", "value", "reason", "raw")}
        self.where: dict[int, tuple] = {}  # row -> (line, raw) of accepted rows, for the conflict check

    def cell(self, iso3, gw, period, measure, value, row, line=None, raw=None):
        for k, v in zip(CELL_COLUMNS, (iso3, gw, period, self.kind, measure, value, row)):
            self.cells[k].append(v)
        self.where[row] = (line, raw)

    def problem(self, row, line, fld, value, reason, raw):
        for k, v in zip(self.problems, (row, line, fld, None if value is None else str(value), reason,
                                        json.dumps(raw, ensure_ascii=False, default=str))):
            self.problems[k].append(v)

    def frames(self):
        import polars as pl

        return pl.DataFrame(self.cells, schema=_cell_schema()), pl.DataFrame(self.problems, schema=_problem_schema())


def _conflicts(cells, problems, where: dict):
    """Unit-periods given twice: identical copies count once; different values all go to quarantine."""
    import polars as pl

    key = ["country_iso3", "period", "measure"]
    dup = cells.filter(pl.struct(key).is_duplicated())
    if not dup.height:
        return cells, problems, 0
    bad = dup.group_by(key).agg(pl.col("value").n_unique().alias("n")).filter(pl.col("n") > 1)
    bad_rows = cells.join(bad.select(key), on=key, how="semi")
    extra = pl.DataFrame({
        "row": bad_rows["row"], "line": [where.get(r, (None, None))[0] for r in bad_rows["row"]],
        "field": bad_rows["measure"],
        "value": bad_rows["value"].cast(pl.String), "reason": [CONFLICT] * bad_rows.height,
        "raw": [json.dumps(where.get(r, (None, None))[1], ensure_ascii=False, default=str) for r in bad_rows["row"]]},
        schema=_problem_schema())
    cells = cells.join(bad.select(key), on=key, how="anti")
    before = cells.height
    cells = cells.sort("row").unique(subset=key, keep="first", maintain_order=True)
    return cells, pl.concat([problems, extra]), before - cells.height


def _drop_rows(cells, problems):
    """A row with any problem is quarantined whole (none of its cells is accepted)."""
    import polars as pl

    if not problems.height:
        return cells
    return cells.filter(~pl.col("row").is_in(problems["row"].unique().implode()))


# -- VIEWS country-month ------------------------------------------------------------------------

def _read_table(path: Path):
    import polars as pl

    try:
        if path.suffix.lower() == ".parquet":
            return pl.read_parquet(path)
        return pl.read_csv(path, infer_schema_length=0)
    except Exception as err:  # polars raises several unrelated types for a bad file
        raise SourceFormatError(str(path), f"cannot read as {'Parquet' if path.suffix == '.parquet' else 'CSV'}: "
                                           f"{str(err).splitlines()[0]}") from err


def parse_views(path: Path) -> ParsedSeries:
    df = _read_table(path)
    if "ged_sb" not in df.columns and "outcome" in df.columns:
        df = df.rename({"outcome": "ged_sb"})  # VIEWS actuals files call the target 'outcome'
    missing = [c for c in ("month_id", "country_id") if c not in df.columns]
    present = [c for c in VIEWS_MEASURES if c in df.columns]
    if missing or not present:
        raise SourceFormatError(str(path), "not a VIEWS country-month file: needs month_id, country_id and one of "
                                           f"{', '.join(VIEWS_MEASURES)} (missing {', '.join(missing) or 'measures'})")
    cols = ["month_id", "country_id", *present]
    key = views_country_key()
    out = _Collector("month")
    rows = df.select(cols).rows()
    with_all = len(present) == 3
    for i, r in enumerate(rows, start=1):
        raw = dict(zip(cols, r))
        line = i + 1 if path.suffix.lower() != ".parquet" else None
        ok = True
        mid = C.parse_code(r[0])
        if mid is None or mid < 1:
            out.problem(i, line, "month_id", r[0], "bad period: month_id must be a whole number >= 1 (1 = Jan 1980)",
                        raw)
            ok = False
        cid = C.parse_code(r[1])
        gw = key.get(cid) if cid is not None else None
        if gw is None:
            out.problem(i, line, "country_id", r[1], "unknown VIEWS country_id", raw)
            ok = False
        vals = []
        for name, v in zip(present, r[2:]):
            x, why = _value(v)
            if why:
                out.problem(i, line, name, v, why, raw)
                ok = False
            vals.append(x)
        if not ok:
            continue
        month = month_of_id(mid)
        iso = _gw_iso(gw, month)
        if iso is None:
            out.problem(i, line, "country_id", r[1], f"unknown country id: GW {gw} is not in the crosswalk", raw)
            continue
        for name, x in zip(present, vals):
            out.cell(iso, gw, month, VIEWS_MEASURES[name], x, i, line, raw)
        if with_all:
            out.cell(iso, gw, month, ALL, sum(vals), i, line, raw)
    cells, problems = out.frames()
    cells, problems, rep = _conflicts(cells, problems, out.where)
    cells = _drop_rows(cells, problems)
    warns = [] if with_all else [f"{ALL} not derived: the file lacks "
                                 + ", ".join(c for c in VIEWS_MEASURES if c not in present)]
    return ParsedSeries("views-cm", "month", cells, problems, len(rows), list(df.columns),
                        counts={"repeated_cells": rep}, warnings=warns)


# -- wide tables --------------------------------------------------------------------------------

def _unit_resolver(scheme: str):
    scheme = (scheme or "ucdp").lower()
    if scheme not in NAME_SCHEMES:
        raise UsageError(f"unknown --country-names {scheme!r}", choices=list(NAME_SCHEMES))
    if scheme == "ucdp":
        names = ucdp_country_names()
        return lambda s: names.get(s.strip())
    if scheme == "gw":
        return lambda s: (g if (g := C.parse_code(s)) is not None and g in C.gwno_to_iso3() else None)
    gw = C.iso3_to_gwno()
    isos = {c.iso3 for c in C.all_countries()}
    return lambda s: gw.get(s.strip().upper(), -1) if s.strip().upper() in isos else None


def _sniff_reader(path: Path):
    try:
        fh = open(path, encoding="utf-8-sig", newline="")
        head = fh.read(4096)
        fh.seek(0)
    except UnicodeDecodeError as err:
        raise SourceFormatError(str(path), "not UTF-8 text") from err
    if "\x00" in head:
        raise SourceFormatError(str(path), "not a CSV file (binary content)")
    return fh


def parse_wide(path: Path, *, value: str | None = None, country_names: str = "ucdp",
               period: str = "month") -> ParsedSeries:
    if not value:
        raise UsageError("--format wide needs --value MEASURE (the name of what the cells hold, e.g. fatalities_all)")
    measure = _measure_name(value)
    kind = _period_kind(period)
    resolve = _unit_resolver(country_names)
    out = _Collector(kind)
    with _sniff_reader(path) as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise SourceFormatError(str(path), "empty file") from None
        if len(header) < 2:
            raise SourceFormatError(str(path), "a wide table needs a date column and at least one country column")
        units = []
        for name in header[1:]:
            gw = resolve(name)
            units.append(gw)
        if not any(g is not None for g in units):
            raise SourceFormatError(str(path), f"no column names a country ({country_names} names): "
                                               f"{', '.join(header[1:4])} ...")
        cell_no, empty = 0, 0
        for lineno, r in enumerate(reader, start=2):
            if not r:
                continue
            day = parse_period(r[0], kind)
            for j, (name, gw) in enumerate(zip(header[1:], units), start=1):
                v = r[j] if j < len(r) else ""
                if not v.strip():
                    empty += 1
                    continue
                cell_no += 1
                raw = {header[0] or "date": r[0], name: v}
                if day is None:
                    out.problem(cell_no, lineno, header[0] or "date", r[0], f"bad period (expected a {kind})", raw)
                    continue
                if gw is None:
                    out.problem(cell_no, lineno, name, name, f"unknown country name ({country_names} names)", raw)
                    continue
                x, why = _value(v)
                if why:
                    out.problem(cell_no, lineno, name, v, why, raw)
                    continue
                iso = _gw_iso(gw, day)
                if iso is None:
                    out.problem(cell_no, lineno, name, name, f"unknown country id: GW {gw} is not in the crosswalk", raw)
                    continue
                out.cell(iso, gw, day, measure, x, cell_no, lineno, raw)
    cells, problems = out.frames()
    cells, problems, rep = _conflicts(cells, problems, out.where)
    warns = [f"{empty:,} empty cells hold no value (not counted as rows)"] if empty else []
    return ParsedSeries("wide", kind, cells, problems, cell_no, header, counts={"empty_cells": empty,
                                                                               "repeated_cells": rep},
                        warnings=warns)


def _measure_name(value: str) -> str:
    m = str(value).strip().lower()
    if not MEASURE_RE.match(m):
        raise UsageError(f"measure name {value!r}: use lower-case letters, digits and _ (e.g. fatalities_all)")
    return m


def _period_kind(period: str) -> str:
    p = (period or "month").lower()
    if p not in PERIOD_KINDS:
        raise UsageError(f"unknown --period {period!r} for a series", choices=list(PERIOD_KINDS))
    return p


# -- tidy tables --------------------------------------------------------------------------------

TIDY_KEYS = ("unit", "period", "measure", "value")


def load_tidy_mapping(path: str | Path) -> dict:
    import yaml

    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise MappingError(str(path), f"cannot read the mapping: {err}") from err
    if not isinstance(doc, dict):
        raise MappingError(str(path), "a series mapping is a YAML mapping (columns:, unit_codes:, period:)")
    cols = doc.get("columns") or {}
    if not isinstance(cols, dict) or not all(k in cols for k in ("unit", "period", "value")):
        raise MappingError(str(path), "columns: needs unit, period and value (and measure, or a fixed measure:)")
    if "measure" not in cols and not doc.get("measure"):
        raise MappingError(str(path), "give columns.measure or a fixed measure: NAME")
    codes = str(doc.get("unit_codes", "iso3")).lower()
    if codes not in NAME_SCHEMES:
        raise MappingError(str(path), f"unit_codes: {codes!r} (valid: {', '.join(NAME_SCHEMES)})")
    period = str(doc.get("period", "month")).lower()
    if period not in PERIOD_KINDS:
        raise MappingError(str(path), f"period: {period!r} (valid: {', '.join(PERIOD_KINDS)})")
    return {"columns": cols, "unit_codes": codes, "period": period,
            "measure": _measure_name(doc["measure"]) if doc.get("measure") else None}


def parse_tidy(path: Path, *, mapping: str | Path | None = None) -> ParsedSeries:
    if not mapping:
        raise UsageError("--format tidy needs --mapping FILE.yaml (see docs/series.md)")
    mp = load_tidy_mapping(mapping)
    cols, kind = mp["columns"], mp["period"]
    resolve = _unit_resolver(mp["unit_codes"])
    out = _Collector(kind)
    n = 0
    with _sniff_reader(path) as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        need = [cols[k] for k in TIDY_KEYS if k in cols]
        absent = [c for c in need if c not in header]
        if absent:
            raise SourceFormatError(str(path), f"column(s) {', '.join(absent)} named in {mapping} are not in the "
                                               f"header ({', '.join(header[:8])})")
        for lineno, r in enumerate(reader, start=2):
            n += 1
            ok = True
            gw = resolve(r[cols["unit"]] or "")
            if gw is None:
                out.problem(n, lineno, cols["unit"], r[cols["unit"]], f"unknown country ({mp['unit_codes']} codes)", r)
                ok = False
            day = parse_period(r[cols["period"]], kind)
            if day is None:
                out.problem(n, lineno, cols["period"], r[cols["period"]], f"bad period (expected a {kind})", r)
                ok = False
            measure = mp["measure"]
            if "measure" in cols:
                raw_m = (r[cols["measure"]] or "").strip().lower()
                if not MEASURE_RE.match(raw_m):
                    out.problem(n, lineno, cols["measure"], raw_m, "bad measure name", r)
                    ok = False
                measure = raw_m
            x, why = _value(r[cols["value"]])
            if why:
                out.problem(n, lineno, cols["value"], r[cols["value"]], why, r)
                ok = False
            if not ok:
                continue
            iso = _gw_iso(gw, day)
            if iso is None:
                out.problem(n, lineno, cols["unit"], r[cols["unit"]], "unknown country id", r)
                continue
            out.cell(iso, gw, day, measure, x, n, lineno, r)
    cells, problems = out.frames()
    cells, problems, rep = _conflicts(cells, problems, out.where)
    return ParsedSeries("tidy", kind, cells, problems, n, header, counts={"repeated_cells": rep})


def parse(path: str | Path, fmt: str, **options) -> ParsedSeries:
    """Read a series file in ``fmt`` (views-cm, wide, tidy)."""
    path = Path(path)
    if not path.is_file():
        raise SourceFormatError(str(path), "no such file")
    fmt = (fmt or "").lower()
    if fmt == "views-cm":
        return parse_views(path)
    if fmt == "wide":
        return parse_wide(path, value=options.get("value"), country_names=options.get("country_names") or "ucdp",
                          period=options.get("period") or "month")
    if fmt == "tidy":
        return parse_tidy(path, mapping=options.get("mapping"))
    raise UsageError(f"unknown series --format {fmt!r}", choices=list(FORMATS))


__all__ = ["ALL", "FORMATS", "ParsedSeries", "month_of_id", "parse", "parse_period", "ucdp_country_names",
           "views_country_key"]
