"""Precision policies: exact / as-coded / spread, and country totals that do not move."""

from __future__ import annotations

import pytest

from sahelwatch.domain.errors import UsageError
from sahelwatch.places import spread_weights
from sahelwatch.places.grid import centroid


@pytest.fixture(scope="module")
def sahel_candidate(ged_rows):
    """The real Sahel events of UCDP Candidate 23.0.10 with normalised precision."""
    import polars as pl

    from sahelwatch.domain.countries import gwno_to_iso3_on
    from sahelwatch.places import geo_precision_expr

    iso = {str(k): gwno_to_iso3_on(k) for k in ged_rows["country_id"].unique().to_list()}
    return (
        ged_rows.filter(pl.col("file") == "GEDEvent_v23_0_10.csv")
        .with_columns(
            pl.col("country_id").replace_strict(iso).alias("country_iso3"),
            pl.col("latitude").cast(pl.Float64),
            pl.col("longitude").cast(pl.Float64),
            pl.col("best").cast(pl.Int64),
            geo_precision_expr("ucdp_candidate", pl.col("where_prec")).alias("geo_precision"),
            (pl.lit("ucdp_candidate:") + pl.col("id")).alias("event_key"),
        )
        .filter(pl.col("country_iso3").is_in(["MLI", "BFA", "NER", "NGA", "TCD"]))
    )


def _totals(events, weights):
    import polars as pl

    return dict(
        weights.join(events.with_row_index("row_nr").with_columns(pl.col("row_nr").cast(pl.Int64)), on="row_nr")
        .group_by("country_iso3")
        .agg((pl.col("best") * pl.col("weight")).sum().round(9))
        .iter_rows()
    )


def test_country_totals_are_the_same_as_coded_and_spread(sahel_candidate):
    as_coded = _totals(sahel_candidate, spread_weights(sahel_candidate, "as-coded"))
    spread = _totals(sahel_candidate, spread_weights(sahel_candidate, "spread"))
    assert as_coded == spread
    # UCDP Candidate 23.0.10 (see the data's SOURCES.md): Burkina Faso 569, Mali 119, Niger 115 deaths
    assert (as_coded["BFA"], as_coded["MLI"], as_coded["NER"]) == (569, 119, 115)


def test_weights_sum_to_one_per_event(sahel_candidate):
    import polars as pl

    for policy in ("as-coded", "spread"):
        w = spread_weights(sahel_candidate, policy)
        sums = w.group_by("row_nr").agg(pl.col("weight").sum())
        assert sums.height == sahel_candidate.height
        assert ((sums["weight"] - 1.0).abs() < 1e-9).all()
        assert "event_key" in w.columns


def test_spread_moves_imprecise_events_over_their_unit(sahel_candidate):
    import polars as pl

    w = spread_weights(sahel_candidate, "spread")
    spread_rows = w.filter(pl.col("spread_over") != "cell")
    assert spread_rows.height > 0
    precise = sahel_candidate.with_row_index("row_nr").filter(pl.col("geo_precision").is_in(["exact", "near"]))
    moved = w.filter(pl.col("row_nr").cast(pl.UInt32).is_in(precise["row_nr"].implode()) & (pl.col("spread_over") != "cell"))
    assert moved.height == 0


def test_an_admin1_event_in_kidal_spreads_over_kidal_cells():
    import polars as pl

    ev = pl.DataFrame({"latitude": [18.4411], "longitude": [1.4078], "country_iso3": ["MLI"], "geo_precision": ["admin1"]})
    w = spread_weights(ev, "spread")
    assert w["spread_over"].unique().to_list() == ["1:MLI:ML.10"]
    assert w.height > 20  # Kidal region is ~120,000 km²: dozens of half-degree cells
    assert abs(w["weight"].sum() - 1) < 1e-9 and w["weight"].n_unique() == 1
    lats = [centroid(g)[0] for g in w["priogrid_gid"].to_list()]
    lons = [centroid(g)[1] for g in w["priogrid_gid"].to_list()]
    # Kidal region lies between about 17.5N-21N and 1W-4.3E
    assert min(lats) > 17 and max(lats) < 21.5 and min(lons) > -1.5 and max(lons) < 4.5


def test_a_country_event_spreads_over_the_country_and_a_small_unit_keeps_its_cell():
    import polars as pl

    ev = pl.DataFrame({
        "latitude": [17.0, 12.6392], "longitude": [-4.0, -8.0029], "country_iso3": ["MLI", "MLI"],
        "geo_precision": ["country", "admin1"],
    })
    w = spread_weights(ev, "spread")
    mali = w.filter(pl.col("row_nr") == 0)
    assert mali["spread_over"].unique().to_list() == ["0:MLI:MLI"]
    assert 400 < mali.height < 560  # Mali is ~1.24 million km²; a cell there is ~2,900-3,000 km²
    bamako = w.filter(pl.col("row_nr") == 1)  # Bamako district holds one cell centre at most
    assert bamako["weight"].sum() == pytest.approx(1.0)
    assert bamako.height == 1


def test_admin2_events_in_mali_spread_over_admin1_because_bundled_admin2_are_communes():
    import polars as pl

    ev = pl.DataFrame({"latitude": [14.4843], "longitude": [-4.1827], "country_iso3": ["MLI"], "geo_precision": ["admin2"]})
    assert spread_weights(ev, "spread")["spread_over"].unique().to_list() == ["1:MLI:ML.04"]
    # Nigeria's bundled admin2 are real LGAs: Kukawa LGA (Borno) is large enough to hold cell centres
    ng = pl.DataFrame({"latitude": [13.0947], "longitude": [13.8234], "country_iso3": ["NGA"], "geo_precision": ["admin2"]})
    assert spread_weights(ng, "spread")["spread_over"].unique().to_list()[0].startswith("2:NGA:")


def test_exact_keeps_only_exact_events(sahel_candidate):
    import polars as pl

    w = spread_weights(sahel_candidate, "exact")
    n_exact = sahel_candidate.filter(pl.col("geo_precision") == "exact").height
    assert w.height == n_exact > 0
    assert (w["weight"] == 1.0).all()


def test_unknown_policy_is_refused():
    import polars as pl

    with pytest.raises(UsageError):
        spread_weights(pl.DataFrame({"latitude": [1.0], "longitude": [1.0], "geo_precision": ["exact"]}), "smear")
