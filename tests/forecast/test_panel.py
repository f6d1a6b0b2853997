"""The panel value object and its builders: months as VIEWS counts them, zeros filled, bad
input refused in one line; the series-frame builder on the real VIEWS actuals."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from forecast.fc_data import views_panel, views_series_frame

from sahelwatch import UsageError
from sahelwatch.forecast import panel as P
from sahelwatch.forecast.builders import panel_from_series_frame


def test_month_id_counts_from_january_1980():
    assert P.month_id(dt.date(1980, 1, 1)) == 1
    assert P.month_id(dt.date(2022, 12, 15)) == 516
    assert P.month_date(517) == dt.date(2023, 1, 1)
    assert P.parse_month("2023-10") == 526
    assert P.parse_horizons("3-14") == tuple(range(3, 15))
    assert P.parse_horizons("12,3,6") == (3, 6, 12)


def test_missing_months_become_zero_from_each_units_first_month():
    df = pl.DataFrame({"unit": ["A", "A", "B"], "month": [10, 13, 12], "value": [5.0, 1.0, 2.0]})
    p = P.from_frame(df, level="cm", target="fatalities_sb")
    m = p.to_polars()
    assert m.filter(pl.col("unit") == "A")["value"].to_list() == [5.0, 0.0, 0.0, 1.0]
    assert m.filter(pl.col("unit") == "B")["value"].to_list() == [2.0, 0.0]
    assert p.units["first_month"].to_list() == [10, 12]
    cut = p.until(11)
    assert cut.last_month == 11 and cut.unit_ids == ["A"]  # B had no history yet


@pytest.mark.parametrize("frame, message", [
    ({"unit": ["A"], "month": [1], "value": [-1.0]}, "negative value -1.0 for unit A in 1980-01"),
    ({"unit": [], "month": [], "value": []}, "the panel is empty"),
])
def test_bad_values_are_refused_in_one_line(frame, message):
    df = pl.DataFrame(frame, schema={"unit": pl.String, "month": pl.Int64, "value": pl.Float64})
    with pytest.raises(P.PanelError, match=message):
        P.from_frame(df, level="cm", target="fatalities_sb")


def test_unknown_target_and_level_list_the_valid_ones():
    df = pl.DataFrame({"unit": ["A"], "month": [1], "value": [1.0]})
    with pytest.raises(UsageError, match=r"unknown target 'deaths' \(valid: fatalities_sb, .*events:battle"):
        P.from_frame(df, level="cm", target="deaths")
    with pytest.raises(UsageError, match=r"unknown level 'district' \(valid: cm, admin1, pgm\)"):
        P.from_frame(df, level="district", target="fatalities_sb")
    assert P.check_target("events:riot") == "events:riot"


def test_series_frame_builder_keeps_the_views_numbers():
    p = views_panel()
    assert p.level == "cm" and p.target == "fatalities_sb" and p.units.height == 191
    assert (p.first_month, p.last_month) == (493, 528)  # 2021-01 .. 2023-12
    yearly = (p.to_polars().filter(pl.col("unit").is_in(["MLI", "NER", "BFA"]) & (pl.col("month").dt.year() == 2022))
              .group_by("unit").agg(pl.col("value").sum()).sort("unit"))
    # the totals VIEWS' SOURCES.md records for this vintage
    assert dict(yearly.iter_rows()) == {"BFA": 2003.0, "MLI": 1440.0, "NER": 516.0}
    mali = p.units.filter(pl.col("unit") == "MLI").row(0, named=True)
    assert (mali["name"], mali["gwno"]) == ("Mali", 432)
    assert p.meta["source"] == "series:views_cm"


def test_series_frame_with_other_measures_or_periods_is_refused():
    df = views_series_frame()
    mixed = pl.concat([df, df.with_columns(pl.lit("fatalities_os").alias("measure"))])
    assert panel_from_series_frame(mixed, "fatalities_os").frame["value"].sum() == df["value"].sum()
    with pytest.raises(UsageError, match="series frame has no measure 'fatalities_ns'"):
        panel_from_series_frame(mixed, "fatalities_ns")
    with pytest.raises(UsageError, match="periods of kind"):
        panel_from_series_frame(df.with_columns(pl.lit("year").alias("period_kind")), "fatalities_sb")
    with pytest.raises(UsageError, match="lacks column"):
        panel_from_series_frame(df.drop("period"), "fatalities_sb")


def test_panel_file_round_trip(tmp_path):
    p = views_panel(["MLI", "NER"])
    p.write(tmp_path / "p.parquet")
    back = P.read(tmp_path / "p.parquet")
    assert (back.level, back.target, back.unit_ids) == ("cm", "fatalities_sb", ["MLI", "NER"])
    assert back.frame.equals(p.frame)
    with pytest.raises(UsageError, match="must end in .parquet or .csv"):
        p.write(tmp_path / "p.txt")
