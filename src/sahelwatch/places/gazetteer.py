"""Gazetteer: GeoNames populated places of ML, BF, NE, MR, SN, GN and CI.

Data: GeoNames (www.geonames.org), CC BY 4.0 — per-country dumps of c. 2015
(feature class P: cities, towns, villages) with their alternate names; admin1
names from the 2023 admin1 code list (see ``places/data/CREDITS.md``).

Search rules. The query and every name of a place (its name, ASCII name and
alternate names) are compared through three keys (see
:mod:`sahelwatch.places.textnorm`): accents, case and punctuation never
matter; a *sound key* merges French/English transcriptions (``ou``/``w``,
``dj``/``j``, ``tch``/``ch``, ``y``/``i``, silent ``h``, doubled letters).
Matches are ranked by quality, then population, then feature rank (capital,
admin seats, other places)::

    0 exact      folded query equals the place's main name
    1 alternate  ... equals one of its alternate names
    2 sound      sound keys equal (Wahiguya -> Ouahigouya)
    3 prefix     a name starts with the query
    4 contains   a name contains the query (queries of 3+ letters)
    5 fuzzy      close spelling (difflib ratio >= 0.8), only if nothing above matched
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from importlib import resources

from ..domain.errors import UsageError
from .textnorm import fold, sound_key

MATCH_LABELS = ("exact", "alternate", "sound", "prefix", "contains", "fuzzy")
_FEATURE_RANK = {"PPLC": 0, "PPLA": 1, "PPLA2": 2, "PPLA3": 3, "PPLA4": 4, "PPL": 5}
_ISO2 = {"ML": "MLI", "BF": "BFA", "NE": "NER", "MR": "MRT", "SN": "SEN", "GN": "GIN", "CI": "CIV"}
COUNTRIES = tuple(sorted(_ISO2.values()))


@lru_cache(maxsize=1)
def places():
    """The bundled gazetteer as a Polars frame (one row per place)."""
    import polars as pl

    path = resources.files(__package__).joinpath("data", "gazetteer.parquet")
    with resources.as_file(path) as p:
        return pl.read_parquet(p).with_columns(
            pl.col("feature_code").replace_strict(_FEATURE_RANK, default=9, return_dtype=pl.Int8).alias("feature_rank")
        )


@lru_cache(maxsize=1)
def _names():
    """One row per (place, name variant) with its folded and sound keys."""
    import polars as pl

    p = places().with_row_index("place")
    main = p.select("place", pl.col("name").alias("variant"), pl.lit(True).alias("primary"))
    ascii_ = p.select("place", pl.col("asciiname").alias("variant"), pl.lit(True).alias("primary"))
    alts = p.select("place", pl.col("alternatenames").alias("variant"), pl.lit(False).alias("primary")).explode("variant")
    names = pl.concat([main, ascii_, alts]).drop_nulls("variant")
    uniq = names.select("variant").unique()
    variants = uniq["variant"].to_list()
    uniq = uniq.with_columns(
        pl.Series("key", [fold(v) for v in variants], dtype=pl.String),
        pl.Series("sound", [sound_key(v) for v in variants], dtype=pl.String),
    )
    names = names.join(uniq, on="variant", how="left").filter(pl.col("key") != "")
    # The best kind of each (place, key): primary beats alternate.
    return names.sort("primary", descending=True).unique(subset=["place", "key"], keep="first").sort("place")


def _country_filter(country: str | None) -> str | None:
    if not country:
        return None
    c = country.strip().upper()
    c = _ISO2.get(c, c)
    if c not in COUNTRIES:
        raise UsageError(f"no gazetteer for country {country!r}", choices=list(COUNTRIES))
    return c


def search(query: str, country: str | None = None, limit: int = 10, *, with_admin: bool = True):
    """Places matching ``query``, best first, as a Polars frame.

    Columns: ``geonameid``, ``name``, ``latitude``, ``longitude``,
    ``country_iso3``, ``population``, ``feature_code``, ``geonames_admin1``
    (GeoNames' admin1 name), ``alternatenames``, ``matched`` (the name that
    matched), ``match`` (``exact``..``fuzzy``) and, with ``with_admin``, the
    bundled boundaries' ``admin1_name``/``admin2_name`` (and codes).
    """
    import polars as pl

    q = fold(query)
    if not q:
        raise UsageError("empty search query")
    if limit < 1:
        raise UsageError(f"limit must be >= 1, got {limit}")
    iso = _country_filter(country)
    names = _names()
    p = places()
    if iso:
        keep = p.with_row_index("place").filter(pl.col("country_iso3") == iso)["place"]
        names = names.filter(pl.col("place").is_in(keep.implode()))
    sq = sound_key(query)
    tier = (
        pl.when((pl.col("key") == q) & pl.col("primary")).then(0)
        .when(pl.col("key") == q).then(1)
        .when(pl.col("sound") == sq).then(2)
        .when(pl.col("key").str.starts_with(q)).then(3)
        .when(pl.lit(len(q) >= 3) & pl.col("key").str.contains(q, literal=True)).then(4)
        .otherwise(None)
    )
    hits = names.with_columns(tier.alias("tier")).filter(pl.col("tier").is_not_null())
    if hits.is_empty():
        close = difflib.get_close_matches(q, names["key"].unique().to_list(), n=limit * 3, cutoff=0.8)
        hits = names.filter(pl.col("key").is_in(close)).with_columns(pl.lit(5).alias("tier"))
    if hits.is_empty():
        return _empty(with_admin)
    best = hits.sort("tier").unique(subset=["place"], keep="first")
    ranked = (
        p.with_row_index("place")
        .join(best.select("place", "tier", pl.col("variant").alias("matched")), on="place", how="inner")
        .sort(["tier", "population", "feature_rank", "name"], descending=[False, True, False, False])
        .head(limit)
        .with_columns(pl.col("tier").cast(pl.Int64).replace_strict(dict(enumerate(MATCH_LABELS)), return_dtype=pl.String).alias("match"))
        .select(
            "geonameid", "name", "latitude", "longitude", "country_iso3", "population", "feature_code",
            pl.col("admin1_name").alias("geonames_admin1"), "alternatenames", "matched", "match",
        )
    )
    if with_admin:
        from .assign import assign_admin

        ranked = assign_admin(ranked).select(
            *ranked.columns, "admin1_code", "admin1_name", "admin2_code", "admin2_name", "admin_match"
        )
    return ranked


def _empty(with_admin: bool):
    import polars as pl

    schema = {
        "geonameid": pl.Int64, "name": pl.String, "latitude": pl.Float64, "longitude": pl.Float64,
        "country_iso3": pl.String, "population": pl.Int64, "feature_code": pl.String, "geonames_admin1": pl.String,
        "alternatenames": pl.List(pl.String), "matched": pl.String, "match": pl.String,
    }
    if with_admin:
        schema |= {"admin1_code": pl.String, "admin1_name": pl.String, "admin2_code": pl.String,
                   "admin2_name": pl.String, "admin_match": pl.String}
    return pl.DataFrame(schema=schema)


__all__ = ["search", "places", "MATCH_LABELS", "COUNTRIES"]
