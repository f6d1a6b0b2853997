"""PRIO-GRID arithmetic: real GED gids, the edge rule, round trips, Polars and SQL agree."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sahelwatch.domain.errors import UsageError
from sahelwatch.places import grid

lats = st.floats(min_value=-90, max_value=90, allow_nan=False)
lons = st.floats(min_value=-180, max_value=180, allow_nan=False)
gids = st.integers(min_value=1, max_value=grid.MAX_GID)


def test_every_ged_row_gets_the_gid_ucdp_gave_it(ged_rows):
    import polars as pl

    rows = ged_rows.filter(pl.col("priogrid_gid").is_not_null() & (pl.col("priogrid_gid") != ""))
    assert rows.height >= 6600  # 1000 + 32 + 3194 + 2391 rows in the four GED files
    mismatches = [
        (r["file"], r["id"], r["latitude"], r["longitude"], r["priogrid_gid"])
        for r in rows.iter_rows(named=True)
        if grid.gid(float(r["latitude"]), float(r["longitude"])) != int(float(r["priogrid_gid"]))
    ]
    assert mismatches == []


def test_ged_gids_also_agree_through_the_polars_expression(ged_rows):
    import polars as pl

    got = ged_rows.select(
        grid.priogrid_gid_expr(pl.col("latitude").cast(pl.Float64), pl.col("longitude").cast(pl.Float64)).alias("ours"),
        pl.col("priogrid_gid").cast(pl.Float64).cast(pl.Int64).alias("theirs"),
    )
    assert (got["ours"] == got["theirs"]).all()


def test_ged_gids_also_agree_through_sql_in_duckdb(ged_rows):
    import duckdb
    import polars as pl

    frame = ged_rows.select(pl.col("latitude").cast(pl.Float64), pl.col("longitude").cast(pl.Float64),
                            pl.col("priogrid_gid").cast(pl.Float64).cast(pl.Int64))
    con = duckdb.connect()
    con.register("ged", frame.to_arrow())
    bad = con.sql(f"SELECT count(*) FROM ged WHERE {grid.priogrid_sql('latitude', 'longitude')} <> priogrid_gid").fetchall()
    assert bad == [(0,)]


def test_known_cells():
    assert grid.gid(12.37, -1.52) == 147237  # Ouagadougou
    assert grid.row_col(147237) == (204, 356)
    assert grid.centroid(147237) == (12.25, -1.75)
    assert grid.bounds(147237) == (-2.0, 12.0, -1.5, 12.5)
    assert grid.gid(-90, -180) == 1
    assert grid.gid(0, 0) == 180 * 720 + 360 + 1


def test_a_point_on_a_cell_edge_belongs_to_the_cell_north_and_east_of_it():
    # 12.0 is the boundary between rows 203 and 204; -1.5 between cols 356 and 357.
    assert grid.row_col(grid.gid(12.0, -1.5)) == (204, 357)
    assert grid.row_col(grid.gid(11.999999, -1.500001)) == (203, 356)


def test_the_edges_of_the_world_belong_to_the_last_row_and_column():
    assert grid.gid(90, 180) == grid.MAX_GID
    assert grid.row_col(grid.gid(90, 0)) == (359, 360)
    assert grid.row_col(grid.gid(0, 180)) == (180, 719)
    assert grid.row_col(grid.gid(0, -180)) == (180, 0)


@pytest.mark.parametrize("lat,lon", [(90.0001, 0), (0, 180.5), (-91, 0), (math.nan, 0), (0, math.inf)])
def test_out_of_range_coordinates_have_no_cell(lat, lon):
    assert grid.gid_or_none(lat, lon) is None
    with pytest.raises(UsageError):
        grid.gid(lat, lon)


def test_out_of_range_is_null_in_polars_and_sql():
    import duckdb
    import polars as pl

    df = pl.DataFrame({"la": [91.0, None, float("nan"), 90.0], "lo": [0.0, 0.0, 0.0, 180.0]})
    assert df.select(grid.priogrid_gid_expr(pl.col("la"), pl.col("lo"))).to_series().to_list() == [None, None, None, 259200]
    row = duckdb.sql(f"SELECT {grid.priogrid_sql('91.0', '0')}, {grid.priogrid_sql('NULL', '0')}, "
                     f"{grid.priogrid_sql('90', '180')}").fetchall()
    assert row == [(None, None, 259200)]


def test_the_sql_is_portable_to_other_engines():
    sqlglot = pytest.importorskip("sqlglot")
    sql = f"SELECT {grid.priogrid_sql('lat', 'lon')} AS gid FROM events"
    for dialect in ("postgres", "spark", "trino", "bigquery"):
        out = sqlglot.transpile(sql, read="duckdb", write=dialect)[0]
        assert "LEAST" in out.upper() and "FLOOR" in out.upper()


@given(gids)
def test_gid_row_col_round_trip(g):
    row, col = grid.row_col(g)
    assert grid.from_row_col(row, col) == g


@given(gids)
def test_the_centroid_lies_in_its_own_cell(g):
    lat, lon = grid.centroid(g)
    assert grid.gid(lat, lon) == g
    x0, y0, x1, y1 = grid.bounds(g)
    assert x1 - x0 == 0.5 and y1 - y0 == 0.5
    assert x0 < lon < x1 and y0 < lat < y1


@given(lats, lons)
def test_every_point_lies_within_the_bounds_of_its_cell(lat, lon):
    g = grid.gid(lat, lon)
    x0, y0, x1, y1 = grid.bounds(g)
    assert x0 <= lon <= x1 and y0 <= lat <= y1
    # only the world's north and east edges may sit on a cell's north/east edge
    assert lat < y1 or lat == 90
    assert lon < x1 or lon == 180


@settings(max_examples=50)
@given(st.lists(st.tuples(lats, lons), min_size=1, max_size=50))
def test_python_polars_and_numpy_agree(points):
    import polars as pl

    df = pl.DataFrame({"lat": [p[0] for p in points], "lon": [p[1] for p in points]}, schema={"lat": pl.Float64, "lon": pl.Float64})
    expr = df.select(grid.priogrid_gid_expr(pl.col("lat"), pl.col("lon"))).to_series().to_list()
    arr = grid.gid_array(df["lat"].to_numpy(), df["lon"].to_numpy()).tolist()
    py = [grid.gid(a, b) for a, b in points]
    assert expr == py == arr


def test_h3_cells_are_an_option_beside_priogrid():
    pytest.importorskip("h3")
    import polars as pl

    cell = grid.h3_cell(12.37, -1.52, 5)
    assert cell == "855991b3fffffff"
    df = pl.DataFrame({"la": [12.37, None], "lo": [-1.52, 0.0]})
    assert df.select(grid.h3_expr(pl.col("la"), pl.col("lo"), 5)).to_series().to_list() == [cell, None]
    with pytest.raises(UsageError):
        grid.h3_cell(0, 0, 16)


def test_importing_places_stays_light():
    import subprocess
    import sys

    code = ("import sys, sahelwatch.places, sahelwatch.cli.places; "
            "print(','.join(m for m in ('polars', 'shapely', 'numpy', 'duckdb') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
