"""Location precision: one vocabulary for ACLED geo_precision and GED where_prec."""

from __future__ import annotations

import pytest

from sahelwatch.domain.errors import UsageError
from sahelwatch.places.precision import DEFAULT_POLICY, check_policy, geo_precision_expr, normalise_geo_precision


@pytest.mark.parametrize(
    "source,code,expected",
    [
        ("acled", 1, "exact"), ("acled", "2", "near"), ("acled", "3", "admin1"),
        ("ucdp_ged", 1, "exact"), ("ucdp_ged", "2.0", "near"), ("ucdp_ged", 3, "admin2"), ("ucdp_ged", 4, "admin1"),
        ("ucdp_ged", 5, "near"), ("ucdp_ged", 6, "country"), ("ucdp_candidate", "7", "country"),
        ("acled", 4, None), ("ucdp_ged", "", None), ("ucdp_ged", None, None), ("ucdp_ged", "2.5", None),
    ],
)
def test_source_codes_map_to_the_normalised_vocabulary(source, code, expected):
    assert normalise_geo_precision(source, code) == expected


def test_the_polars_expression_matches_the_scalar_function():
    import polars as pl

    codes = ["1", "2.0", "3", "4", "5", "6", "7", None, "x", "1.5"]
    got = pl.DataFrame({"c": codes}).select(geo_precision_expr("ucdp_ged", pl.col("c"))).to_series().to_list()
    assert got == [normalise_geo_precision("ucdp_ged", c) for c in codes]
    ints = pl.DataFrame({"c": [1, 2, 3, None]}).select(geo_precision_expr("acled", pl.col("c"))).to_series().to_list()
    assert ints == ["exact", "near", "admin1", None]


def test_ged_rows_all_get_a_precision(ged_rows):
    import polars as pl

    got = ged_rows.select(geo_precision_expr("ucdp_ged", pl.col("where_prec")).alias("p"))["p"]
    assert got.null_count() == 0
    assert set(got.unique().to_list()) <= {"exact", "near", "admin2", "admin1", "country"}


def test_unknown_source_and_policy_are_usage_errors():
    with pytest.raises(UsageError):
        normalise_geo_precision("gdelt", 1)
    with pytest.raises(UsageError):
        check_policy("smear")
    assert check_policy("as_coded") == "as-coded" == DEFAULT_POLICY
