"""ACLED exports (export tool or API CSV, .csv or .zip) and ACLED deletion lists.

Accepted layouts: the current 31-column export (with ``disorder_type`` and
``civilian_targeting``), the older layout without those two, and either with
the optional ``population_*`` columns. Inter codes come as numbers (``1``) or
text (``State forces``); ``event_date`` as ISO (``2024-01-15``) or as the
export tool writes it (``15 January 2024``).
"""

from __future__ import annotations

from pathlib import Path

from ..domain.errors import SourceFormatError
from ..domain.vocab import ACLED_GEO_PRECISION, ACLED_TIME_PRECISION
from ._csvread import ROW_COL, open_member, read_header
from .base import (
    Check,
    int_series,
    map_distinct,
    Parsed,
    Progress,
    parse_date_series,
    run_checks,
    split,
    stream,
    to_float,
    to_int,
)

NAME = "acled"

REQUIRED = [
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "timestamp",
]
OPTIONAL = ["disorder_type", "civilian_targeting", "tags",
            "population_1km", "population_2km", "population_5km", "population_best"]

#: Source columns stored unchanged in a canonical column (not repeated in the raw table).
VERBATIM = {
    "event_id_cnty": "source_event_id", "timestamp": "source_release",
    "disorder_type": "disorder_type", "event_type": "event_type", "sub_event_type": "sub_event_type",
    "actor1": "actor1", "assoc_actor_1": "assoc_actors1", "actor2": "actor2",
    "assoc_actor_2": "assoc_actors2", "region": "region", "country": "country",
    "admin1": "admin1", "admin2": "admin2", "admin3": "admin3", "location": "location",
    "source": "sources", "notes": "notes", "tags": "tags",
}

DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%m/%d/%Y")

#: ACLED actor-type labels, current API text and older codebook text, lower-cased.
INTER_LABELS = {
    "state forces": 1, "rebel group": 2, "rebel forces": 2, "political militia": 3,
    "militia groups": 3, "identity militia": 4, "communal / identity groups": 4,
    "communal/identity groups": 4, "rioters": 5, "protesters": 6, "civilians": 7,
    "external/other forces": 8, "foreign / others": 8, "foreign/others": 8, "other forces": 8,
}

PRECISION_TIME = {str(k): v for k, v in ACLED_TIME_PRECISION.items()}
PRECISION_GEO = {str(k): v for k, v in ACLED_GEO_PRECISION.items()}


def category_expr(event_type, sub_event_type):
    """ACLED event type -> harmonised category (tolerates old names and the misspelling)."""
    import polars as pl

    et = event_type.str.to_lowercase()
    st = sub_event_type.str.to_lowercase()
    return (
        pl.when(et.str.contains("battle")).then(pl.lit("battle"))
        .when(et.str.contains("explosion") | et.str.contains("remote")).then(pl.lit("explosion_remote"))
        .when(et.str.contains("violence against civilians")).then(pl.lit("violence_against_civilians"))
        .when(st.str.contains("violent demonstration") | st.str.contains("mob violence")).then(pl.lit("riot"))
        .when(et.str.contains("riot") & ~et.str.contains("protest")).then(pl.lit("riot"))
        .when(et.str.contains("protest") | et.str.contains("demonstr") | et.str.contains("demostr")).then(pl.lit("protest"))
        .when(et.str.contains("strategic")).then(pl.lit("strategic"))
        .otherwise(None)
    )


def inter_expr(col):
    """'1', '1.0' or 'State forces' -> 1; empty -> 0 (no second actor); unknown -> null."""
    import polars as pl

    s = col.str.strip_chars()
    num = to_int(s)
    lab = s.str.to_lowercase().replace_strict(INTER_LABELS, default=None, return_dtype=pl.Int64)
    return pl.when(s.is_null() | (s == "")).then(pl.lit(0, pl.Int64)).otherwise(pl.coalesce([num, lab]))


def interaction_expr(col, i1, i2):
    """Numeric interaction, or text like 'State forces-Rebel group' / 'Protesters only'."""
    import polars as pl

    s = col.str.strip_chars()
    num = to_int(s)
    derived = (
        pl.when(i2 == 0).then(i1 * 10)
        .otherwise(pl.min_horizontal(i1, i2) * 10 + pl.max_horizontal(i1, i2))
    )
    return pl.when(s.is_null()).then(None).otherwise(pl.coalesce([num, derived]))


def _check_header(path: Path, header: list[str]) -> str:
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SourceFormatError(
            str(path),
            f"not an ACLED export: missing column(s) {', '.join(missing[:8])}"
            + (" ..." if len(missing) > 8 else "")
            + f" (header starts: {', '.join(header[:6])})",
        )
    layout = "current" if "disorder_type" in header else "old"
    if any(c.startswith("population_") for c in header):
        layout += "+population"
    return layout


def parse(path: Path, workdir: Path, *, release: str | None = None,
          progress: Progress | None = None, **_: object) -> Parsed:
    src = open_member(Path(path), workdir)
    header = read_header(src)
    layout = _check_header(Path(path), header)
    parsed = Parsed(source=NAME, release=release, path=Path(path), csv_path=src, header=header,
                    layout=layout, verbatim=VERBATIM, id_field="event_id_cnty", batches=iter(()))
    parsed.batches = stream(src, header, lambda raw: _transform(raw, header), [parsed])
    return parsed


def _transform(raw, header: list[str]):
    """One batch of text rows -> (canonical rows, check failures)."""
    import polars as pl

    from ..domain import countries, priogrid

    df = raw.frame
    for c in OPTIONAL:
        if c not in df.columns:
            df = df.with_columns(pl.lit(None, pl.String).alias(c))
    date = parse_date_series(df["event_date"], DATE_FORMATS)
    # category and the misspelling flag in one pass over the distinct type pairs (the
    # flag is carried as a category suffix, split off below)
    cat_flag = map_distinct(df, ["event_type", "sub_event_type"], pl.concat_str(
        category_expr(pl.col("event_type"), pl.col("sub_event_type")),
        pl.when((pl.col("event_type").str.contains("(?i)demostr")
                 | pl.col("sub_event_type").str.contains("(?i)demostr")).fill_null(False))
        .then(pl.lit("!")).otherwise(pl.lit(""))), "_catflag")
    cat = cat_flag.str.strip_suffix("!").alias("_cat")
    misspelt = cat_flag.str.ends_with("!").alias("_misspelt")
    i1 = map_distinct(df, ["inter1"], inter_expr(pl.col("inter1")), "_i1")
    i2 = map_distinct(df, ["inter2"], inter_expr(pl.col("inter2")), "_i2")
    typed = df.with_columns(
        date.alias("_date"), to_float(pl.col("latitude")).alias("_lat"),
        to_float(pl.col("longitude")).alias("_lon"), int_series(df["fatalities"]).alias("_fat"),
        int_series(df["timestamp"]).alias("_ts"), i1, i2, int_series(df["iso"]).alias("_iso"),
        cat, misspelt,
    )
    checks = [
        Check("event_id_cnty", pl.col("event_id_cnty").str.strip_chars().fill_null("") == "", "missing event id"),
        Check("event_date", pl.col("_date").is_null(), "unparseable date (expected 2024-01-15 or 15 January 2024)"),
        Check("latitude", pl.col("_lat").is_null() | (pl.col("_lat").abs() > 90), "latitude missing, not a number or outside -90..90"),
        Check("longitude", pl.col("_lon").is_null() | (pl.col("_lon").abs() > 180), "longitude missing, not a number or outside -180..180"),
        Check("fatalities", pl.col("_fat").is_null() | (pl.col("_fat") < 0), "fatalities missing, not a whole number or negative"),
        Check("timestamp", pl.col("_ts").is_null(), "timestamp missing or not a number"),
        Check("inter1", pl.col("_i1").is_null() | (pl.col("_i1") > 8), "unknown actor type code or label"),
        Check("inter2", pl.col("_i2").is_null() | (pl.col("_i2") > 8), "unknown actor type code or label"),
        Check("event_type", pl.col("_cat").is_null(), "unknown event type"),
    ]
    found = run_checks(typed, checks)
    good = split(typed, found)

    iso3 = pl.col("_iso").replace_strict(countries.numeric_to_iso3(), default=None, return_dtype=pl.String)
    flags = pl.concat_list(
        pl.when(pl.col("_misspelt")).then(pl.lit("event_type_misspelt")),
        pl.when(iso3.is_null()).then(pl.lit("country_code_unknown")),
    ).list.drop_nulls()
    if raw.latin1_rows:
        flags = pl.when(pl.col(ROW_COL).is_in(raw.latin1_rows)).then(
            flags.list.concat(pl.lit(["latin1_decoded"]))).otherwise(flags)
    civ = pl.col("civilian_targeting").str.strip_chars().str.to_lowercase()
    out = good.select(
        pl.lit(NAME).alias("source"),
        pl.col("event_id_cnty").alias("source_event_id"),
        pl.col("timestamp").alias("source_release"),
        pl.col(ROW_COL).alias("source_row"),
        pl.col("_date").alias("date_start"),
        pl.col("_date").alias("date_end"),
        pl.col("time_precision").str.strip_chars().replace_strict(PRECISION_TIME, default="longer").alias("date_precision"),
        pl.col("_date").dt.year().cast(pl.Int64).alias("year"),
        pl.col("country"),
        iso3.alias("country_iso3"),
        iso3.replace_strict(countries.iso3_to_gwno(), default=None, return_dtype=pl.Int64).alias("gwno"),
        pl.col("region"), pl.col("admin1"), pl.col("admin2"), pl.col("admin3"), pl.col("location"),
        pl.col("_lat").alias("latitude"), pl.col("_lon").alias("longitude"),
        priogrid.priogrid_gid_expr(pl.col("_lat"), pl.col("_lon")).alias("priogrid_gid"),
        pl.col("geo_precision").str.strip_chars().replace_strict(
            PRECISION_GEO, default=None, return_dtype=pl.String).alias("geo_precision"),
        pl.col("_cat").alias("category"),
        pl.col("disorder_type"), pl.col("event_type"), pl.col("sub_event_type"),
        pl.lit(None, pl.Int64).alias("type_of_violence"),
        pl.lit(None, pl.String).alias("source_status"),
        pl.col("actor1"), pl.col("actor2"),
        pl.col("assoc_actor_1").alias("assoc_actors1"), pl.col("assoc_actor_2").alias("assoc_actors2"),
        pl.col("_i1").alias("inter1"), pl.col("_i2").alias("inter2"),
        interaction_expr(pl.col("interaction"), pl.col("_i1"), pl.col("_i2")).alias("interaction"),
        pl.col("_fat").alias("fatalities_best"), pl.col("_fat").alias("fatalities_low"),
        pl.col("_fat").alias("fatalities_high"),
        (civ.fill_null("").str.contains("civilian") if "civilian_targeting" in header
         else pl.lit(None, pl.Boolean)).alias("civilian_targeting"),
        pl.col("tags"), pl.col("notes"), pl.col("source").alias("sources"),
        flags.alias("flags"),
        pl.lit(None, pl.String).alias("content_hash"),
        *[pl.col(c).alias(f"raw.{c}") for c in header if c not in VERBATIM],
    )
    return out, found


DELETION_COLUMNS = ["event_id_cnty", "deleted_timestamp"]


def parse_deletions(path: Path, workdir: Path, *, release: str | None = None,
                    progress: Progress | None = None, **_: object) -> Parsed:
    """ACLED's deleted-events list: ``event_id_cnty``, ``deleted_timestamp``."""
    src = open_member(Path(path), workdir)
    header = read_header(src)
    missing = [c for c in DELETION_COLUMNS if c not in header]
    if missing:
        raise SourceFormatError(
            str(path), f"not an ACLED deletions file: missing column(s) {', '.join(missing)} "
            f"(header: {', '.join(header[:6])})")
    parsed = Parsed(source=NAME, release=release, path=Path(path), csv_path=src, header=header,
                    layout="deletions", verbatim={}, id_field="event_id_cnty", batches=iter(()),
                    kind="deletions")
    parsed.batches = stream(src, header, _transform_deletions, [parsed])
    return parsed


def _transform_deletions(raw):
    import polars as pl

    df = raw.frame.with_columns(to_int(pl.col("deleted_timestamp")).alias("_ts"))
    checks = [
        Check("event_id_cnty", pl.col("event_id_cnty").str.strip_chars().fill_null("") == "", "missing event id"),
        Check("deleted_timestamp", pl.col("_ts").is_null(), "deleted_timestamp missing or not a number"),
    ]
    found = run_checks(df, checks)
    out = split(df, found).select(
        pl.lit(NAME).alias("source"),
        pl.col("event_id_cnty").str.strip_chars().alias("source_event_id"),
        pl.col("_ts").cast(pl.String).alias("source_release"),
        pl.col(ROW_COL).alias("source_row"),
    )
    return out, found
