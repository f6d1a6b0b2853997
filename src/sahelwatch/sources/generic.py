"""Your own CSV: columns mapped to the canonical schema by a small YAML file.

    source: crisis_group          # events become crisis_group:<id>; letters, digits, _
    columns:                       # canonical column: your column
      source_event_id: id
      date_start: date
      country_iso3: iso3           # or gwno: gw
      latitude: lat
      longitude: lon
      fatalities_best: deaths
      actor1: perpetrator
      notes: description
    date_format: "%d/%m/%Y"        # optional; ISO dates are always understood
    constants:                     # optional fixed values
      category: violence_against_civilians
      geo_precision: exact

Versioning is additive: a row whose content changed becomes a new version,
rows absent from a later file are kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..domain import schema
from ..domain.errors import MappingError, SourceFormatError
from ._csvread import ROW_COL, open_member, read_header
from .base import (
    Check,
    Parsed,
    Progress,
    content_hash,
    parse_dates,
    run_checks,
    split,
    stream,
    to_float,
    to_int,
)

RESERVED = {"acled", "ucdp_ged", "ucdp_candidate"}
NOT_MAPPABLE = {"event_key", "source", "snapshot_from", "snapshot_to", "is_deleted",
                "deletion_reason", "content_hash", "source_row", "source_release", "flags"}


def load_mapping(path: str | Path) -> dict:
    import yaml

    p = str(path)
    try:
        m = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise MappingError(p, f"not valid YAML: {e}") from e
    if not isinstance(m, dict):
        raise MappingError(p, "expected a mapping with 'source' and 'columns'")
    unknown = set(m) - {"source", "columns", "date_format", "constants", "release"}
    if unknown:
        raise MappingError(p, f"unknown key(s) {sorted(unknown)}; allowed: source, columns, date_format, constants, release")
    src = m.get("source")
    if not isinstance(src, str) or not re.fullmatch(r"[a-z][a-z0-9_]{1,30}", src) or src in RESERVED:
        raise MappingError(p, f"source: {src!r} must be a lower-case name (letters, digits, _), not one of {sorted(RESERVED)}")
    cols = m.get("columns")
    if not isinstance(cols, dict) or not cols:
        raise MappingError(p, "columns: expected 'canonical_column: your_column' pairs")
    for k in list(cols) + list((m.get("constants") or {})):
        if k not in schema.BY_NAME or k in NOT_MAPPABLE:
            raise MappingError(p, f"columns: {k!r} is not a mappable canonical column "
                                  f"(see docs/data-dictionary.md)")
    if "source_event_id" not in cols or "date_start" not in cols:
        raise MappingError(p, "columns: source_event_id and date_start are required")
    if "country_iso3" not in cols and "gwno" not in cols:
        raise MappingError(p, "columns: country_iso3 or gwno is required")
    return m


def parse(path: Path, workdir: Path, *, release: str | None = None, progress: Progress | None = None,
          mapping: str | Path | None = None, **_: object) -> Parsed:
    if mapping is None:
        raise MappingError("", "ingest csv needs --mapping FILE.yaml")
    m = load_mapping(mapping)
    src = open_member(Path(path), workdir)
    header = read_header(src)
    missing = [v for v in m["columns"].values() if v not in header]
    if missing:
        raise SourceFormatError(str(path), f"column(s) named in {mapping} are not in the file: {missing}")
    release = release or m.get("release")
    parsed = Parsed(
        source=m["source"], release=release, path=Path(path), csv_path=src, header=header,
        layout=f"mapped by {Path(mapping).name}", verbatim={}, id_field=m["columns"]["source_event_id"],
        batches=iter(()),
    )
    parsed.batches = stream(src, header, lambda raw: _transform(raw, header, m, release), [parsed])
    return parsed


def _transform(raw, header: list[str], m: dict, release: str | None):
    import polars as pl

    from ..domain import countries, priogrid

    cols: dict[str, str] = m["columns"]
    fmts = ("%Y-%m-%d",) + ((m["date_format"],) if m.get("date_format") else ())
    df = raw.frame
    exprs: dict[str, object] = {}
    checks: list[Check] = [
        Check(cols["source_event_id"], pl.col(cols["source_event_id"]).str.strip_chars().fill_null("") == "",
              "missing event id"),
        Check(cols["date_start"], pl.col(cols["date_start"]).is_null(), "missing date"),
    ]
    for name, src_col in cols.items():
        t = schema.BY_NAME[name].type
        c = pl.col(src_col)
        if t == "date":
            e = parse_dates(c.str.strip_chars(), fmts)
            checks.append(Check(src_col, c.is_not_null() & e.is_null(), f"unparseable date (expected {' or '.join(fmts)})"))
        elif t == "int":
            e = to_int(c)
            checks.append(Check(src_col, c.is_not_null() & e.is_null(), "not a whole number"))
        elif t == "float":
            e = to_float(c)
            checks.append(Check(src_col, c.is_not_null() & e.is_null(), "not a number"))
        elif t == "bool":
            e = c.str.to_lowercase().is_in(["1", "true", "yes", "y", "t"])
        else:
            e = c
        exprs[name] = e
    if "latitude" in exprs:
        checks.append(Check(cols["latitude"], exprs["latitude"].abs() > 90, "latitude outside -90..90"))
    if "longitude" in exprs:
        checks.append(Check(cols["longitude"], exprs["longitude"].abs() > 180, "longitude outside -180..180"))
    found = run_checks(df, checks)
    good = split(df, found)

    for k, v in (m.get("constants") or {}).items():
        exprs.setdefault(k, pl.lit(v))
    sch = schema.polars_schema()
    if "country_iso3" not in exprs:
        exprs["country_iso3"] = exprs["gwno"].replace_strict(countries.gwno_to_iso3(), default=None, return_dtype=pl.String)
    else:
        exprs["country_iso3"] = exprs["country_iso3"].str.strip_chars().str.to_uppercase()
    if "gwno" not in exprs:
        exprs["gwno"] = exprs["country_iso3"].replace_strict(countries.iso3_to_gwno(), default=None, return_dtype=pl.Int64)
    exprs.setdefault("date_end", exprs["date_start"])
    exprs.setdefault("year", exprs["date_start"].dt.year().cast(pl.Int64))
    if "fatalities_best" in exprs:
        exprs.setdefault("fatalities_low", exprs["fatalities_best"])
        exprs.setdefault("fatalities_high", exprs["fatalities_best"])
    if "latitude" in exprs and "longitude" in exprs:
        exprs.setdefault("priogrid_gid", priogrid.priogrid_gid_expr(exprs["latitude"], exprs["longitude"]))
    fixed = {"source": pl.lit(m["source"]), "source_release": pl.lit(release),
             "source_row": pl.col(ROW_COL), "flags": pl.lit([], pl.List(pl.String)),
             "source_event_id": pl.col(cols["source_event_id"]).str.strip_chars()}
    out_cols = []
    for name in schema.STORED:
        if name in ("event_key", "snapshot_from", "is_deleted", "deletion_reason", "content_hash"):
            continue
        e = fixed.get(name, exprs.get(name))
        out_cols.append((e if e is not None else pl.lit(None)).cast(sch[name]).alias(name))
    out = good.select(*out_cols, *[pl.col(c).alias(f"raw.{c}") for c in header])
    return out.with_columns(content_hash(good, header)), found
