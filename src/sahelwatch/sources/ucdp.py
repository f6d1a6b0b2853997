"""UCDP GED releases and UCDP Candidate releases (CSV or the zip UCDP distributes).

Layouts: the 49-column GED layout (23.1 onwards, also Candidate files with
``code_status``) and the older 42-column layout (GED 19.1). Numbers may be
written as ``432`` or ``432.0`` (files converted from R); dates as
``2023-10-02`` or ``2023-10-02 00:00:00.000``. Rows where
``low <= best <= high`` fails (about 5,000 per real release) are accepted and
flagged ``low_best_high_inconsistent``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..domain.errors import SourceFormatError
from ..domain.vocab import GED_DATE_PREC, GED_WHERE_PREC
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

REQUIRED = [
    "id", "year", "type_of_violence", "conflict_name", "dyad_name", "side_a", "side_b",
    "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude", "longitude",
    "country", "country_id", "region", "date_prec", "date_start", "date_end",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low",
]

VERBATIM = {
    "side_a": "actor1", "side_b": "actor2", "country": "country", "region": "region",
    "adm_1": "admin1", "adm_2": "admin2", "where_coordinates": "location",
    "source_office": "sources", "source_headline": "notes", "code_status": "source_status",
}

DATE_FORMATS = ("%Y-%m-%d",)
PREC_DATE = {str(k): v for k, v in GED_DATE_PREC.items()}
PREC_WHERE = {str(k): v for k, v in GED_WHERE_PREC.items()}
CATEGORY = {1: "battle", 2: "battle", 3: "violence_against_civilians"}


def release_from_name(name: str, kind: str) -> str | None:
    """``GEDEvent_v25_1.csv`` -> ``25.1``; ``GEDEvent_v23_0_10`` -> ``23.0.10``; ``ged231...`` -> ``23.1``."""
    m = re.search(r"v(\d{2})_(\d+)(?:_(\d+))?", name)
    if m:
        return ".".join(g for g in m.groups() if g is not None)
    m = re.search(r"ged(\d{2})(\d)(?!\d)", name, re.I)
    if m and kind == "ged":
        return f"{m.group(1)}.{m.group(2)}"
    return None


def coverage_end(release: str | None) -> dt.date | None:
    """Last day a GED release covers: ``yy.1`` covers to 31 December 20yy-1."""
    if not release:
        return None
    m = re.fullmatch(r"(\d{2})\.1", release)
    return dt.date(2000 + int(m.group(1)) - 1, 12, 31) if m else None


def _num_str(expr):
    """'300380.0' -> '300380' (ids in files converted from R)."""
    return expr.str.strip_chars().str.replace(r"^(-?\d+)\.0+$", "${1}")


def _parse(path: Path, workdir: Path, *, name: str, kind: str, release: str | None,
           progress: Progress | None) -> Parsed:
    src = open_member(Path(path), workdir)
    header = read_header(src)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SourceFormatError(
            str(path),
            f"not a UCDP GED file: missing column(s) {', '.join(missing[:8])}"
            f"{' ...' if len(missing) > 8 else ''} (header starts: {', '.join(header[:6])})",
        )
    release = release or release_from_name(Path(path).name, kind)
    if release is None:
        raise SourceFormatError(
            str(path), "cannot tell the release from the file name; pass --release (e.g. 25.1 or 25.0.9)")
    parsed = Parsed(
        source=name, release=release, path=Path(path), csv_path=src, header=header,
        layout=f"{len(header)}-column", verbatim={k: v for k, v in VERBATIM.items() if k in header},
        id_field="id", batches=iter(()), coverage_end=coverage_end(release) if kind == "ged" else None,
    )
    parsed.batches = stream(src, header, lambda raw: _transform(raw, header, name, release), [parsed])
    return parsed


def _transform(raw, header: list[str], name: str, release: str):
    import polars as pl

    from ..domain import countries, priogrid

    def date(c):
        return parse_dates(pl.col(c).str.strip_chars().str.slice(0, 10), DATE_FORMATS)

    typed = raw.frame.with_columns(
        _num_str(pl.col("id")).alias("_id"),
        date("date_start").alias("_d0"), date("date_end").alias("_d1"),
        to_float(pl.col("latitude")).alias("_lat"), to_float(pl.col("longitude")).alias("_lon"),
        to_int(pl.col("best")).alias("_best"), to_int(pl.col("low")).alias("_low"),
        to_int(pl.col("high")).alias("_high"), to_int(pl.col("type_of_violence")).alias("_tov"),
        to_int(pl.col("country_id")).alias("_gw"),
    )
    checks = [
        Check("id", pl.col("_id").fill_null("") == "", "missing event id"),
        Check("date_start", pl.col("_d0").is_null(), "unparseable date (expected 2023-10-02)"),
        Check("date_end", pl.col("_d1").is_null(), "unparseable date (expected 2023-10-02)"),
        Check("date_end", pl.col("_d1") < pl.col("_d0"), "date_end before date_start"),
        Check("latitude", pl.col("_lat").is_null() | (pl.col("_lat").abs() > 90), "latitude missing, not a number or outside -90..90"),
        Check("longitude", pl.col("_lon").is_null() | (pl.col("_lon").abs() > 180), "longitude missing, not a number or outside -180..180"),
        Check("best", pl.col("_best").is_null() | (pl.col("_best") < 0), "best missing, not a whole number or negative"),
        Check("low", pl.col("_low").is_null() | (pl.col("_low") < 0), "low missing, not a whole number or negative"),
        Check("high", pl.col("_high").is_null() | (pl.col("_high") < 0), "high missing, not a whole number or negative"),
        Check("type_of_violence", ~pl.col("_tov").is_in([1, 2, 3]).fill_null(False), "type_of_violence must be 1, 2 or 3"),
        Check("country_id", pl.col("_gw").is_null(), "country_id (Gleditsch-Ward number) missing or not a number"),
    ]
    found = run_checks(typed, checks)
    good = split(typed, found)

    iso3 = pl.col("_gw").replace_strict(countries.gwno_to_iso3(), default=None, return_dtype=pl.String)
    inconsistent = ~((pl.col("_low") <= pl.col("_best")) & (pl.col("_best") <= pl.col("_high")))
    flags = pl.concat_list(
        pl.when(inconsistent).then(pl.lit("low_best_high_inconsistent")),
        pl.when(iso3.is_null()).then(pl.lit("country_code_unknown")),
    ).list.drop_nulls()
    if raw.latin1_rows:
        flags = pl.when(pl.col(ROW_COL).is_in(raw.latin1_rows)).then(
            flags.list.concat(pl.lit(["latin1_decoded"]))).otherwise(flags)
    opt = lambda c: pl.col(c) if c in header else pl.lit(None, pl.String)  # noqa: E731
    out = good.select(
        pl.lit(name).alias("source"),
        pl.col("_id").alias("source_event_id"),
        pl.lit(release).alias("source_release"),
        pl.col(ROW_COL).alias("source_row"),
        pl.col("_d0").alias("date_start"), pl.col("_d1").alias("date_end"),
        pl.col("date_prec").str.strip_chars().str.replace(r"\.0+$", "")
          .replace_strict(PREC_DATE, default="longer").alias("date_precision"),
        pl.col("_d0").dt.year().cast(pl.Int64).alias("year"),
        pl.col("country"), iso3.alias("country_iso3"), pl.col("_gw").alias("gwno"),
        pl.col("region"), pl.col("adm_1").alias("admin1"), pl.col("adm_2").alias("admin2"),
        pl.lit(None, pl.String).alias("admin3"), pl.col("where_coordinates").alias("location"),
        pl.col("_lat").alias("latitude"), pl.col("_lon").alias("longitude"),
        priogrid.priogrid_gid_expr(pl.col("_lat"), pl.col("_lon")).alias("priogrid_gid"),
        pl.col("where_prec").str.strip_chars().str.replace(r"\.0+$", "")
          .replace_strict(PREC_WHERE, default=None, return_dtype=pl.String).alias("geo_precision"),
        pl.col("_tov").replace_strict(CATEGORY, default=None, return_dtype=pl.String).alias("category"),
        pl.lit(None, pl.String).alias("disorder_type"), pl.lit(None, pl.String).alias("event_type"),
        pl.lit(None, pl.String).alias("sub_event_type"),
        pl.col("_tov").alias("type_of_violence"), opt("code_status").alias("source_status"),
        pl.col("side_a").alias("actor1"), pl.col("side_b").alias("actor2"),
        pl.lit(None, pl.String).alias("assoc_actors1"), pl.lit(None, pl.String).alias("assoc_actors2"),
        pl.lit(None, pl.Int64).alias("inter1"), pl.lit(None, pl.Int64).alias("inter2"),
        pl.lit(None, pl.Int64).alias("interaction"),
        pl.col("_best").alias("fatalities_best"), pl.col("_low").alias("fatalities_low"),
        pl.col("_high").alias("fatalities_high"),
        (pl.col("_tov") == 3).alias("civilian_targeting"),
        pl.lit(None, pl.String).alias("tags"), opt("source_headline").alias("notes"),
        opt("source_office").alias("sources"),
        flags.alias("flags"),
        *[pl.col(c).alias(f"raw.{c}") for c in header if c not in VERBATIM],
    )
    return out.with_columns(content_hash(good, header)), found


def parse_ged(path: Path, workdir: Path, *, release: str | None = None,
              progress: Progress | None = None, **_: object) -> Parsed:
    return _parse(path, workdir, name="ucdp_ged", kind="ged", release=release, progress=progress)


def parse_candidate(path: Path, workdir: Path, *, release: str | None = None,
                    progress: Progress | None = None, **_: object) -> Parsed:
    return _parse(path, workdir, name="ucdp_candidate", kind="candidate", release=release,
                  progress=progress)
