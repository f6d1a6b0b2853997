"""Open conflict indicators by country or admin1: a replication of the method ACLED
publishes for its Conflict Index — **ACLED-method, not ACLED's index**.

Over the 12 months ending on ``on`` (``on - 12 months + 1 day .. on``), political violence
events only (ACLED disorder type "Political violence", incl. "Political violence;
Demonstrations"; every UCDP GED event):

- **deadliness**: reported fatalities (ACLED ``fatalities``; UCDP ``best``);
- **danger**: events targeting civilians (ACLED ``civilian_targeting``; UCDP one-sided
  violence, type 3);
- **diffusion**: share of populated 10 km x 10 km cells with at least
  ``high_violence_events`` (10) events. Cells: an equal-area sinusoidal grid
  (x = R·λ·cos φ, y = R·φ, R = 6371.0088 km). Populated cells (ACLED: WorldPop >= 100
  people) are approximated by cells holding a GeoNames populated place of the bundled
  gazetteer (MLI, BFA, NER, MRT, SEN, GIN, CIV); for other countries by cells where the
  store holds any event up to ``on`` (``diffusion_basis`` says which);
- **fragmentation**: distinct non-state armed groups with at least
  ``min_group_events`` political violence events (ACLED actor1/actor2 with inter code 2
  rebel, 3 political militia, 4 identity militia; UCDP sides that are not governments,
  civilians or unidentified), after merging aliases (``actors.AliasTable``).

Each indicator is ranked across the units (1 = highest, ties share the best rank),
scaled to 0..1 (``(n - rank) / (n - 1)``), the four are averaged into ``index_score``
and units ranked on it (the rank-sum ordering); ``level`` cuts the score at 0.9 / 0.75 /
0.5 (``extreme`` / ``high`` / ``turbulent``, else ``lower``). Ranks are relative to the
units in the store, not to the world.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from functools import lru_cache

from ..domain.errors import UsageError
from ._warning_base import PV_SQL, add_months, country_name, in_list, unit_sql
from .actors import ARMED_NON_STATE, AliasTable, split_sides

INDICATORS = ("deadliness", "danger", "diffusion", "fragmentation")
SORTS = ("rank", *INDICATORS, "unit")
LEVELS = ((0.9, "extreme"), (0.75, "high"), (0.5, "turbulent"))
KM_PER_DEGREE = 6371.0088 * 3.141592653589793 / 180  # 111.195 km: the mean Earth radius
LABEL = "ACLED-method conflict indicators (a replication by sahelwatch), not ACLED's Conflict Index"
ACLED_NON_STATE_INTER = (2, 3, 4)
WINDOW_TABLE = "sw_indicator_window"


@dataclass(frozen=True)
class IndicatorSettings:
    window_months: int = 12
    cell_km: float = 10.0
    high_violence_events: int = 10
    min_group_events: int = 1

    def __post_init__(self):
        if self.window_months < 1:
            raise UsageError(f"window_months must be >= 1, got {self.window_months}")
        if self.cell_km <= 0:
            raise UsageError(f"cell_km must be > 0, got {self.cell_km}")
        if self.high_violence_events < 1 or self.min_group_events < 1:
            raise UsageError("high_violence_events and min_group_events must be >= 1")

    def to_dict(self) -> dict:
        return asdict(self)


def window(on: dt.date, months: int) -> tuple[dt.date, dt.date]:
    return add_months(on, -months) + dt.timedelta(days=1), on


def cell_sql(lat: str, lon: str, km: float) -> tuple[str, str]:
    """Equal-area sinusoidal cell indices (portable SQL: FLOOR, COS, RADIANS, CAST)."""
    k = KM_PER_DEGREE / km
    return (f"CAST(FLOOR({lat} * {k!r}) AS BIGINT)",
            f"CAST(FLOOR({lon} * {k!r} * COS(RADIANS({lat}))) AS BIGINT)")


@lru_cache(maxsize=4)
def _gazetteer_units(boundaries):
    """GeoNames populated places with their admin units (cached per boundary set)."""
    from ..places import assign_admin, gazetteer

    p = gazetteer.places().select("latitude", "longitude", "country_iso3")
    return assign_admin(p, boundaries).select("latitude", "longitude", "country_iso3", "admin1_code", "admin1_name")


def populated_places(boundaries=None, *, admin: bool = True):
    """The gazetteer's populated places (Polars): latitude, longitude, country_iso3 and, with
    ``admin``, admin1 codes from ``boundaries`` (point-in-polygon, cached per boundary set)."""
    from ..places import BoundarySet, gazetteer

    if not admin:
        return gazetteer.places().select("latitude", "longitude", "country_iso3")
    return _gazetteer_units(boundaries if boundaries is not None else BoundarySet.bundled())


def indicators(con, sources, *, unit: str, on: dt.date, settings: IndicatorSettings, table: AliasTable,
               places=None, countries=(), sort: str = "rank"):
    """One row per unit with political violence in the window (Polars)."""
    import polars as pl

    if sort not in SORTS:
        raise UsageError(f"unknown sort {sort!r}", choices=list(SORTS))
    first, last = window(on, settings.window_months)
    uid, uname = unit_sql(unit)
    where = (f"source IN {in_list(sources)} AND date_start BETWEEN DATE '{first}' AND DATE '{last}' "
             f"AND {PV_SQL} AND {uid} IS NOT NULL")
    if countries:
        where += f" AND country_iso3 IN {in_list(countries)}"
    # The window's political violence events, read once (the as-of view and the admin join are
    # the expensive part); every indicator is computed from this small table.
    con.execute(f"CREATE OR REPLACE TEMP TABLE {WINDOW_TABLE} AS SELECT {uid} AS unit, {uname} AS unit_name, "
                f"country_iso3, admin1, source, fatalities_best, civilian_targeting, category, latitude, longitude, "
                f"actor1, actor2, inter1, inter2 FROM events WHERE {where}")
    try:
        base = con.sql(
            f"SELECT unit, MIN(unit_name) AS unit_name, MIN(country_iso3) AS country_iso3, COUNT(*) AS events, "
            f"SUM(COALESCE(fatalities_best, 0)) AS deadliness, "
            f"SUM(CASE WHEN COALESCE(civilian_targeting, category = 'violence_against_civilians') THEN 1 ELSE 0 END) "
            f"AS danger FROM {WINDOW_TABLE} GROUP BY 1").pl()
        if base.is_empty():
            return _empty()
        diff = _diffusion(con, unit, on, settings, places, base, countries)
        frag = _fragmentation(con, settings, table)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {WINDOW_TABLE}")
    df = (base.join(diff, on="unit", how="left").join(frag, on="unit", how="left")
          .with_columns(pl.col("deadliness").cast(pl.Int64), pl.col("danger").cast(pl.Int64),
                        pl.col("events").cast(pl.Int64),
                        pl.col("fragmentation").fill_null(0).cast(pl.Int64),
                        pl.col("groups").fill_null(pl.lit([], dtype=pl.List(pl.String))),
                        pl.col("cells_high_violence").fill_null(0).cast(pl.Int64),
                        pl.col("cells_populated").fill_null(0).cast(pl.Int64)))
    df = df.with_columns(diffusion=pl.when(pl.col("cells_populated") > 0)
                         .then(pl.col("cells_high_violence") / pl.col("cells_populated")).otherwise(0.0))
    if unit == "country":
        names = {c: country_name(c) for c in df["unit"].unique().to_list()}
        df = df.with_columns(pl.col("unit").replace_strict(names, default=pl.col("unit_name")).alias("unit_name"))
    df = rank(df)
    df = df.with_columns(pl.lit(first).alias("window_start"), pl.lit(last).alias("window_end"),
                         pl.lit(unit).alias("unit_level"))
    cols = ["unit", "unit_name", "country_iso3", "unit_level", "rank", "level", "index_score", "events",
            "deadliness", "danger", "diffusion", "fragmentation", "rank_deadliness", "rank_danger",
            "rank_diffusion", "rank_fragmentation", "rank_sum", "cells_high_violence", "cells_populated",
            "diffusion_basis", "groups", "window_start", "window_end"]
    order = {"rank": (["rank", "unit"], [False, False]), "unit": (["unit"], [False])}
    by, desc = order.get(sort, ([sort, "unit"], [True, False]))
    return df.select(cols).sort(by, descending=desc)


def rank(df):
    """Ranks per indicator (1 = highest; ties share the best), scaled ranks averaged into
    ``index_score``, overall ``rank`` and ``level``."""
    import polars as pl

    n = df.height
    df = df.with_columns([pl.col(i).rank("min", descending=True).cast(pl.Int64).alias(f"rank_{i}") for i in INDICATORS])
    scale = [((n - pl.col(f"rank_{i}")) / (n - 1) if n > 1 else pl.lit(1.0)) for i in INDICATORS]
    df = df.with_columns(rank_sum=pl.sum_horizontal([pl.col(f"rank_{i}") for i in INDICATORS]),
                         index_score=(pl.sum_horizontal(scale) / len(INDICATORS)).round(4))
    level = pl.lit("lower")
    for cut, name in reversed(LEVELS):
        level = pl.when(pl.col("index_score") >= cut).then(pl.lit(name)).otherwise(level)
    return df.with_columns(rank=pl.col("rank_sum").rank("min").cast(pl.Int64), level=level)


def _diffusion(con, unit: str, on: dt.date, s: IndicatorSettings, places, base, countries):
    import polars as pl

    from ..places import gazetteer

    cy, cx = cell_sql("latitude", "longitude", s.cell_km)
    high = con.sql(
        f"SELECT unit, cy, cx FROM (SELECT unit, {cy} AS cy, {cx} AS cx, COUNT(*) AS n FROM {WINDOW_TABLE} "
        f"WHERE latitude IS NOT NULL AND longitude IS NOT NULL GROUP BY ALL) "
        f"WHERE n >= {int(s.high_violence_events)}").pl()
    gaz_countries = set(gazetteer.COUNTRIES)
    # Event locations (any source, any category, up to `on`): the stand-in for populated cells
    # where the gazetteer has no places — read only for the countries that need it.
    others = sorted(set(base["country_iso3"].drop_nulls().to_list()) - gaz_countries)
    ev_cells = pl.DataFrame(schema={"unit": pl.String, "country_iso3": pl.String, "cy": pl.Int64, "cx": pl.Int64})
    if others:
        uid, _ = unit_sql(unit)
        ev_cells = con.sql(
            f"SELECT DISTINCT {uid} AS unit, country_iso3, {cy} AS cy, {cx} AS cx FROM events "
            f"WHERE latitude IS NOT NULL AND longitude IS NOT NULL AND date_start <= DATE '{on}' "
            f"AND country_iso3 IN {in_list(others)}").pl()
    gaz_countries = set(gazetteer.COUNTRIES)
    parts = [ev_cells.filter(~pl.col("country_iso3").is_in(list(gaz_countries)))
             .select("unit", "cy", "cx", pl.lit("event_locations").alias("basis"))]
    if places is not None and places.height:
        con.register("sw_populated_places", places.filter(pl.col("country_iso3").is_in(list(gaz_countries))))
        pid = "country_iso3" if unit == "country" else "admin1_code"
        pcy, pcx = cell_sql("latitude", "longitude", s.cell_km)
        gaz = con.sql(f"SELECT DISTINCT {pid} AS unit, {pcy} AS cy, {pcx} AS cx FROM sw_populated_places "
                      f"WHERE {pid} IS NOT NULL").pl()
        con.unregister("sw_populated_places")
        parts.append(gaz.select("unit", "cy", "cx", pl.lit("geonames_populated_places").alias("basis")))
    populated = pl.concat(parts).unique(["unit", "cy", "cx"])
    hit = populated.join(high, on=["unit", "cy", "cx"], how="semi")
    counts = populated.group_by("unit").agg(pl.len().alias("cells_populated"),
                                            pl.col("basis").first().alias("diffusion_basis"))
    hits = hit.group_by("unit").agg(pl.len().alias("cells_high_violence"))
    return counts.join(hits, on="unit", how="left").with_columns(pl.col("cells_high_violence").fill_null(0))


def _fragmentation(con, s: IndicatorSettings, table: AliasTable):
    """Distinct non-state armed groups per unit, names merged through the alias table."""
    import polars as pl

    seen = _seen_by_unit(con)
    if seen.is_empty():
        return pl.DataFrame(schema={"unit": pl.String, "fragmentation": pl.Int64, "groups": pl.List(pl.String)})
    keys = seen.select("name", "country_iso3", "admin1", "inter").unique()
    canon, keep = [], []
    for name, iso, a1, inter in keys.iter_rows():
        actor, _ = table.resolve(name, iso, a1)
        canon.append(actor.canonical if actor else name)
        if actor is not None and actor.type not in ARMED_NON_STATE:
            keep.append(False)  # a state, foreign force, civilians or unidentified group, whatever the code
        elif inter is not None:  # ACLED: its actor-type code decides for unknown names
            keep.append(inter in ACLED_NON_STATE_INTER)
        else:
            keep.append(True)
    keys = keys.with_columns(pl.Series("canonical", canon, dtype=pl.String), pl.Series("keep", keep, dtype=pl.Boolean))
    return (seen.join(keys, on=["name", "country_iso3", "admin1", "inter"], how="inner", nulls_equal=True)
            .filter("keep")
            .group_by("unit", "canonical").agg(pl.col("events").sum())
            .filter(pl.col("events") >= s.min_group_events)
            .group_by("unit").agg(pl.len().cast(pl.Int64).alias("fragmentation"), pl.col("canonical").sort().alias("groups")))


def _seen_by_unit(con):
    """Actor names per unit in the window (primary actors only: ACLED's associated actors have
    no actor-type code). An event counts once per name (actor2 equal to actor1 is skipped)."""
    import polars as pl

    df = con.sql(
        "SELECT unit, source, country_iso3, admin1, name, inter, COUNT(*) AS events FROM ("
        f"SELECT unit, source, country_iso3, admin1, actor1 AS name, CAST(inter1 AS INTEGER) AS inter "
        f"FROM {WINDOW_TABLE} WHERE actor1 IS NOT NULL UNION ALL "
        f"SELECT unit, source, country_iso3, admin1, actor2, CAST(inter2 AS INTEGER) "
        f"FROM {WINDOW_TABLE} WHERE actor2 IS NOT NULL AND actor2 IS DISTINCT FROM actor1) GROUP BY ALL").pl()
    if df.is_empty():
        return df
    names = [split_sides(n, s) for n, s in zip(df["name"].to_list(), df["source"].to_list())]
    return df.with_columns(pl.Series("name", names, dtype=pl.List(pl.String))).explode("name").drop_nulls("name")


def _empty():
    import polars as pl

    return pl.DataFrame(schema={
        "unit": pl.String, "unit_name": pl.String, "country_iso3": pl.String, "unit_level": pl.String,
        "rank": pl.Int64, "level": pl.String, "index_score": pl.Float64, "events": pl.Int64,
        "deadliness": pl.Int64, "danger": pl.Int64, "diffusion": pl.Float64, "fragmentation": pl.Int64,
        "rank_deadliness": pl.Int64, "rank_danger": pl.Int64, "rank_diffusion": pl.Int64,
        "rank_fragmentation": pl.Int64, "rank_sum": pl.Int64, "cells_high_violence": pl.Int64,
        "cells_populated": pl.Int64, "diffusion_basis": pl.String, "groups": pl.List(pl.String),
        "window_start": pl.Date, "window_end": pl.Date})
