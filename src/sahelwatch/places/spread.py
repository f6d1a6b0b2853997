"""Precision policies as cell weights: which PRIO-GRID cells an event counts in.

:func:`spread_weights` turns events into rows ``(row_nr[, event_key],
priogrid_gid, weight, spread_over)``; any count is then
``sum(value * weight)`` grouped by cell. Under ``as-coded`` and ``spread``
the weights of every event sum to 1, so totals per country (and overall) are
the same under both; ``exact`` keeps only ``exact`` events (weight 1).

``spread`` shares an imprecise event evenly over the cells whose centre lies
in its area: ``admin2`` events over their admin2 unit, ``admin1`` events over
their admin1 unit, ``country`` events over the country outline. Where the
boundary set's level-2 units are finer than true ADM2 (the bundled Mali and
Niger layers are communes) ``admin2`` events spread over the admin1 unit
instead. An event falls back to its own cell when its unit is unknown or
holds no cell centre (Bamako, Niamey and other small units). Events without a
valid cell (no coordinates) are left out under every policy.
"""

from __future__ import annotations

from functools import lru_cache

from .boundaries import BoundarySet
from .precision import check_policy


@lru_cache(maxsize=8)
def unit_cells(bset: BoundarySet, level: int):
    """Polars frame ``(unit_key, priogrid_gid, weight)``: cells whose centre lies in each unit.

    ``unit_key`` is ``"<level>:<iso3>:<code>"``; level 0 keys are ``"0:<iso3>:<iso3>"``.
    Computed once per boundary set and level.
    """
    import numpy as np
    import polars as pl
    import shapely

    from . import grid

    idx = bset.index(level)
    schema = {"unit_key": pl.String, "priogrid_gid": pl.Int64, "weight": pl.Float64}
    if len(idx.codes) == 0:
        return pl.DataFrame(schema=schema)
    minx, miny, maxx, maxy = shapely.total_bounds(idx.geoms)
    r0, r1 = int(np.floor((miny + 90) * 2)), int(np.ceil((maxy + 90) * 2))
    c0, c1 = int(np.floor((minx + 180) * 2)), int(np.ceil((maxx + 180) * 2))
    rows, cols = np.meshgrid(np.arange(r0, min(r1, grid.NROWS)), np.arange(c0, min(c1, grid.NCOLS)), indexing="ij")
    gids = (rows * grid.NCOLS + cols + 1).ravel()
    clat, clon = grid.centroid_array(gids)
    pt, unit = idx.tree.query(shapely.points(clon, clat), predicate="within")
    keys = np.array([f"{level}:{i}:{c}" for i, c in zip(idx.iso3, idx.codes)], dtype=object)
    frame = pl.DataFrame({"unit_key": keys[unit].astype(str), "priogrid_gid": gids[pt].astype(np.int64)}, schema_overrides=schema)
    # A centre on a shared edge may fall in two units; keep it in the first only.
    frame = frame.unique(subset=["priogrid_gid", "unit_key"]).sort("priogrid_gid", "unit_key").unique(
        subset=["priogrid_gid"], keep="first", maintain_order=True
    )
    return frame.with_columns((1.0 / pl.len().over("unit_key")).alias("weight"))


def _spread_key(bset: BoundarySet):
    """Expression: the unit key an imprecise event spreads over (null: stays in its cell)."""
    import polars as pl

    fine2 = sorted(c for (c, lv), ly in bset.layers.items() if lv == 2 and ly.adm_level > 2)
    a2 = pl.when(pl.col("country_iso3").is_in(fine2)).then(
        pl.lit("1:") + pl.col("__iso") + ":" + pl.col("admin1_code")
    ).otherwise(pl.lit("2:") + pl.col("__iso") + ":" + pl.col("admin2_code"))
    return (
        pl.when(pl.col("geo_precision") == "admin2").then(pl.coalesce(a2, pl.lit("1:") + pl.col("__iso") + ":" + pl.col("admin1_code")))
        .when(pl.col("geo_precision") == "admin1").then(pl.lit("1:") + pl.col("__iso") + ":" + pl.col("admin1_code"))
        .when(pl.col("geo_precision") == "country").then(pl.lit("0:") + pl.col("country_iso3") + ":" + pl.col("country_iso3"))
        .otherwise(None)
    )


def spread_weights(df, policy: str = "as-coded", boundaries: BoundarySet | None = None):
    """Cell weights of each event under ``policy`` (``exact``, ``as-coded``, ``spread``).

    ``df`` needs ``latitude``, ``longitude``, ``geo_precision`` and, for
    ``spread``, ``country_iso3``; ``priogrid_gid`` is used when present, and
    admin codes are computed with :func:`~sahelwatch.places.assign.assign_admin`
    unless ``admin1_code``/``admin2_code`` are already there. Returns
    ``row_nr`` (0-based row of ``df``), ``event_key`` (when ``df`` has it),
    ``priogrid_gid``, ``weight`` and ``spread_over`` (``cell`` or the unit key).
    """
    import polars as pl

    from .grid import priogrid_gid_expr

    policy = check_policy(policy)
    bset = boundaries or BoundarySet.bundled()
    frame = df.with_row_index("row_nr").with_columns(pl.col("row_nr").cast(pl.Int64))
    gid = priogrid_gid_expr(pl.col("latitude"), pl.col("longitude"))
    if "priogrid_gid" in frame.columns:
        gid = pl.coalesce(pl.col("priogrid_gid").cast(pl.Int64), gid)
    frame = frame.with_columns(gid.alias("__gid")).filter(pl.col("__gid").is_not_null())
    keep = ["row_nr"] + (["event_key"] if "event_key" in frame.columns else [])
    out_schema = {"priogrid_gid": pl.Int64, "weight": pl.Float64, "spread_over": pl.String}
    if policy != "spread":
        if policy == "exact":
            frame = frame.filter(pl.col("geo_precision") == "exact")
        return frame.select(*keep, pl.col("__gid").alias("priogrid_gid"), pl.lit(1.0).alias("weight"),
                            pl.lit("cell").alias("spread_over")).cast(out_schema)
    if "admin1_code" not in frame.columns or "admin2_code" not in frame.columns:
        from .assign import assign_admin

        frame = assign_admin(frame, bset)
    # Only units of the event's own country count: an event flagged outside its
    # country keeps its own cell rather than spreading over a foreign unit.
    own = pl.col("admin_iso3") if "admin_iso3" in frame.columns else pl.col("country_iso3")
    frame = frame.with_columns(
        pl.when(own == pl.col("country_iso3")).then(pl.col("country_iso3")).otherwise(None).alias("__iso")
    ).with_columns(_spread_key(bset).alias("__key"))
    cells = pl.concat([unit_cells(bset, lv) for lv in (0, 1, 2)])
    counted = cells.group_by("unit_key").agg(pl.len().alias("__n"))
    frame = frame.join(counted, left_on="__key", right_on="unit_key", how="left", maintain_order="left")
    stays = frame.filter(pl.col("__n").is_null()).select(
        *keep, pl.col("__gid").alias("priogrid_gid"), pl.lit(1.0).alias("weight"), pl.lit("cell").alias("spread_over")
    )
    moves = (
        frame.filter(pl.col("__n").is_not_null())
        .select(*keep, "__key")
        .join(cells, left_on="__key", right_on="unit_key", how="inner", maintain_order="left")
        .select(*keep, "priogrid_gid", "weight", pl.col("__key").alias("spread_over"))
    )
    return pl.concat([stays.cast(out_schema), moves.cast(out_schema)]).sort("row_nr", "priogrid_gid")


__all__ = ["spread_weights", "unit_cells"]
