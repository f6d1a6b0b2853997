"""Trends on real series: the VIEWS country-month data (two vintages of UCDP GED state-based deaths),
and through the Observatory on the real UCDP Candidate events. Expected values in plain Python."""

from __future__ import annotations

import datetime as dt

import pytest
from analytics.cube_fixtures import VIEWS, ucdp_obs  # noqa: F401 - fixture

from sahelwatch.analytics.trend import poisson_trend, summarise

KAYLANHUA = VIEWS / "challenge2024_kaylanhua"
TOBODEN = VIEWS / "challenge2023_toboden"
NIGER = 78  # VIEWS country_id of Niger (GW 436)

pytestmark = pytest.mark.skipif(not KAYLANHUA.is_dir(), reason="shared VIEWS data not available")


def _rows(path, value_col: str):
    import pyarrow.parquet as pq

    t = pq.read_table(path).to_pylist()
    # the 2023 vintage stores deaths as floats with rounding noise (514.0000000000001)
    return [(r["month_id"], r["country_id"], round(r[value_col], 6)) for r in t]


def _month(month_id: int) -> dt.date:
    """VIEWS month_id 1 = January 1980."""
    return dt.date(1980 + (month_id - 1) // 12, (month_id - 1) % 12 + 1, 1)


def _yearly(rows, country: int) -> dict[int, float]:
    out: dict[int, float] = {}
    for m, c, v in rows:
        if c == country:
            y = _month(m).year
            out[y] = out.get(y, 0) + v
    return out


def _niger_monthly() -> dict[dt.date, float]:
    return {_month(m): float(v) for m, c, v in _rows(KAYLANHUA / "niger_cm_features_1990_2024.parquet", "ged_sb")}


def test_niger_yearly_record_and_change_match_plain_python():
    monthly = _niger_monthly()
    yearly: dict[int, float] = {}
    for d, v in monthly.items():
        yearly[d.year] = yearly.get(d.year, 0) + v
    assert (yearly[2015], yearly[2016], yearly[2017], yearly[2023]) == (368, 274, 234, 365)  # SOURCES.md
    years = sorted(yearly)
    data_end = max(monthly) + dt.timedelta(days=29)  # April 2024 is the last month
    out = summarise([dt.date(y, 1, 1) for y in years], [yearly[y] for y in years], "year",
                    data_start=dt.date(1990, 1, 1), data_end=data_end, measure="ged_sb")
    full = [y for y in years if y < 2024]  # 2024 holds January-April only
    latest, prior = yearly[full[-1]], [yearly[y] for y in full[:-1]]
    assert out["latest_period"] == "2023" and out["latest_value"] == latest
    assert out["is_record"] == (latest > max(prior))
    since = max(y for y in full[:-1] if yearly[y] >= latest)
    assert out["record_since"] == str(since)
    assert out["change_previous"] == latest - yearly[2022]
    assert out["rank"] == 1 + sum(1 for v in prior if v > latest)
    assert any("2024" in c and "incomplete" in c for c in out["caveats"])
    # as of the end of 2020: 537 deaths, compared with everything since 1990
    upto = [y for y in full if y <= 2020]
    out20 = summarise([dt.date(y, 1, 1) for y in upto], [yearly[y] for y in upto], "year")
    assert out20["is_record"] == (yearly[2020] > max(yearly[y] for y in upto[:-1]))


def test_niger_monthly_same_month_last_year_and_slope():
    monthly = _niger_monthly()
    months = sorted(monthly)
    out = summarise(months, [monthly[m] for m in months], "month", data_start=dt.date(1990, 1, 1),
                    data_end=dt.date(2024, 4, 30), window=72)
    assert out["latest_period"] == "2024-04"
    assert out["last_year_value"] == monthly[dt.date(2023, 4, 1)]
    assert out["change_last_year"] == monthly[dt.date(2024, 4, 1)] - monthly[dt.date(2023, 4, 1)]
    fit = poisson_trend([monthly[m] for m in months[-72:]])
    assert out["slope_pct"] == pytest.approx(100 * (2.718281828459045 ** fit["b"] - 1))
    assert out["dispersion"] > 1  # monthly deaths are overdispersed: the interval is widened


@pytest.mark.skipif(not TOBODEN.is_dir(), reason="toboden vintage not available")
def test_two_vintages_give_different_answers_and_each_is_computed_right():
    kay = {}
    tob = {}
    for year in range(2018, 2022):
        kay |= _yearly(_rows(KAYLANHUA / f"cm_actuals_{year}.parquet", "outcome"), NIGER)
        tob |= _yearly(_rows(TOBODEN / f"cm_actuals_{year}.parquet", "ged_sb"), NIGER)
    assert [kay[y] for y in (2019, 2020, 2021)] == [300, 537, 459]  # SOURCES.md
    assert [tob[y] for y in (2019, 2020, 2021)] == [285, 514, 456]
    for series in (kay, tob):
        years = sorted(series)
        out = summarise([dt.date(y, 1, 1) for y in years], [series[y] for y in years], "year", min_periods=3)
        assert out["latest_value"] == series[2021]
        assert out["change_previous"] == series[2021] - series[2020]
        assert out["record_since"] == "2020" and out["is_record"] is False
    k = summarise([dt.date(y, 1, 1) for y in sorted(kay)], [kay[y] for y in sorted(kay)], "year", min_periods=3)
    t = summarise([dt.date(y, 1, 1) for y in sorted(tob)], [tob[y] for y in sorted(tob)], "year", min_periods=3)
    assert k["change_previous"] != t["change_previous"]  # revisions between vintages change the answer


def test_trend_through_the_observatory_on_candidate_events(ucdp_obs):
    res = ucdp_obs.trend(country="BFA,MLI", measure="fatalities_best", period="month", source="ucdp_candidate",
                         start="2023-08-01")
    df = res.to_polars()
    assert df["latest_period"].to_list() == ["2023-10", "2023-10"]  # Candidate 23.0.10 covers October
    bfa = df.filter(df["country_iso3"] == "BFA").row(0, named=True)
    assert bfa["latest_value"] == 569 and bfa["is_record"] is True
    assert any("preliminary" in c for c in bfa["caveats"])
    assert bfa["slope_pct"] is None  # three months are not enough for a slope
    series = res.series.to_polars()
    assert series.filter(series["country_iso3"] == "BFA")["fatalities_best"].to_list()[-1] == 569
    assert res.meta["citations"] == ["Source: UCDP GED/Candidate, CC BY 4.0"]
    assert res.meta["data_end"] == dt.date(2023, 10, 31)


def test_bloc_trend_starts_when_the_bloc_has_members(ucdp_obs):
    res = ucdp_obs.trend(bloc="AES", period="month", source="ucdp", min_periods=3)
    row = res.to_polars().row(0, named=True)
    assert row["bloc"] == "AES" and row["first_period"] == "2023-10" and row["n_periods"] == 1
    assert "dynamic" in res.meta["membership_rule"]
    ecowas = ucdp_obs.trend(bloc="ECOWAS", period="month", source="ucdp").to_polars().row(0, named=True)
    # months no UCDP release covers (2023-01..09 here) are left out, and said
    assert any("no ingested UCDP release covers 2023-01" in c for c in ecowas["caveats"])
