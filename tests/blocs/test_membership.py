"""Membership month by month, and the membership rule on real UCDP Candidate events."""

import csv
import datetime as dt
from pathlib import Path

import pytest

from sahelwatch.blocs.analysis import bloc_monthly
from sahelwatch.blocs.membership import describe_rule, membership_months
from sahelwatch.domain.errors import UsageError


D = dt.date
CANDIDATE = Path(__file__).resolve().parents[1] / "data" / "GEDEvent_v23_0_10.csv"
SAHEL = ("Mali", "Burkina Faso", "Niger", "Nigeria", "Chad")
# Gleditsch-Ward numbers written out here, independently of domain/countries.csv
GW = {"432": "MLI", "439": "BFA", "436": "NER", "475": "NGA", "483": "TCD"}


def expected(month: str, members: set[str], col: str = "best") -> int:
    """Sum of ``col`` over Candidate events of ``month`` in ``members``, with the csv module."""
    with open(CANDIDATE, newline="", encoding="utf-8") as f:
        return sum(
            int(r[col]) for r in csv.DictReader(f)
            if r["country"] in SAHEL and r["date_start"][:7] == month and GW.get(r["country_id"]) in members
        )


def row(df, month):
    r = df.filter(df["month"] == month)
    assert r.height == 1
    return r.row(0, named=True)


def test_membership_table_shape_and_rule(registry):
    mm = membership_months(registry, "AES", "2023-08", "2023-11")
    assert mm.columns == ["bloc", "month", "country_iso3", "member", "suspended", "rule"]
    assert mm.height == 4 * 3 and set(mm["rule"]) == {"dynamic"}
    members = {(m, c) for m, c, ok in mm.select("month", "country_iso3", "member").iter_rows() if ok}
    # charter of 16 Sep 2023: not a member on 15 Sep, so AES counts from October
    assert {m for m, _ in members} == {D(2023, 10, 1), D(2023, 11, 1)}


def test_membership_read_on_the_15th_of_each_month(registry):
    mm = membership_months(registry, "ECOWAS", "2024-12", "2025-02").filter(
        membership_months(registry, "ECOWAS", "2024-12", "2025-02")["country_iso3"] == "NER"
    )
    assert mm["member"].to_list() == [True, True, False]  # left 29 Jan 2025: January still counts
    assert mm["suspended"].to_list() == [True, True, False]


def test_fixed_membership_rule_applies_one_list_to_every_month(registry):
    mm = membership_months(registry, "ECOWAS", "2020-01", "2020-03", rule="on:2025-06-01")
    assert set(mm["rule"]) == {"on:2025-06-01"}
    mli = mm.filter(mm["country_iso3"] == "MLI")
    assert mli["member"].to_list() == [False, False, False]
    assert "fixed" in describe_rule("on:2025-06-01") and "15th" in describe_rule("dynamic")
    with pytest.raises(UsageError, match="unknown membership rule"):
        membership_months(registry, "ECOWAS", "2020-01", "2020-03", rule="static")


def test_ecowas_october_2023_counts_mali_burkina_niger_while_members(registry, events):
    mm = membership_months(registry, "ECOWAS", "2023-10", "2023-10")
    r = row(bloc_monthly(events, mm, "fatalities_best"), D(2023, 10, 1))
    members = {"MLI", "BFA", "NER", "NGA"}  # Chad is not in ECOWAS
    assert r["value"] == r["fatalities_best"] == expected("2023-10", members)
    assert r["value_low"] == expected("2023-10", members, "low")
    assert r["value_high"] == expected("2023-10", members, "high")
    assert r["events"] == events.filter(events["country_iso3"].is_in(list(members))).height
    assert r["rule"] == "dynamic" and {"MLI", "BFA", "NER"} <= set(r["members"])
    assert r["n_suspended"] == 4  # MLI, BFA, NER and GIN, all still members


def test_ecowas_with_the_membership_of_june_2025_leaves_them_out(registry, events):
    mm = membership_months(registry, "ECOWAS", "2023-10", "2023-10", rule="on:2025-06-01")
    r = row(bloc_monthly(events, mm, "fatalities_best"), D(2023, 10, 1))
    assert r["value"] == expected("2023-10", {"NGA"})
    assert r["rule"] == "on:2025-06-01" and not {"MLI", "BFA", "NER"} & set(r["members"])


def test_aes_and_g5_in_autumn_2023(registry, events):
    aes = bloc_monthly(events, membership_months(registry, "AES", "2023-10", "2023-10"), "events")
    assert row(aes, D(2023, 10, 1))["value"] == events.filter(events["country_iso3"].is_in(["MLI", "BFA", "NER"])).height
    g5 = bloc_monthly(events, membership_months(registry, "G5_SAHEL", "2023-10", "2023-10"), "fatalities_best")
    r = row(g5, D(2023, 10, 1))
    assert set(r["members"]) == {"BFA", "NER", "TCD", "MRT"}  # Mali left in May 2022
    assert r["value"] == expected("2023-10", {"BFA", "NER", "TCD"})


def test_months_outside_the_events_span_are_null_not_zero(registry, events):
    df = bloc_monthly(events, membership_months(registry, "AES", "2023-09", "2023-11"), "fatalities_best")
    assert df["covered"].to_list() == [False, True, False]
    assert df["value"].to_list()[0] is None and df["value"].to_list()[2] is None
    wide = bloc_monthly(events, membership_months(registry, "AES", "2023-09", "2023-11"), "fatalities_best",
                        coverage=("2023-09", "2023-11"))
    assert wide["value"].to_list()[0] == 0  # AES had no members in September 2023
    assert row(wide, D(2023, 9, 1))["n_members"] == 0


def test_sources_are_never_added_together(registry, events):
    import polars as pl

    two = pl.concat([events, events.with_columns(source=pl.lit("acled"))])
    df = bloc_monthly(two, membership_months(registry, "AES", "2023-10", "2023-10"), "events")
    assert sorted(df["source"]) == ["acled", "ucdp"]  # GED + Candidate form one UCDP series
    assert df["value"].to_list()[0] == df["value"].to_list()[1]


def test_ged_and_candidate_form_one_series(registry, events):
    import datetime as dt

    import polars as pl

    ged = events.with_columns(source=pl.lit("ucdp_ged"), date_start=pl.lit(dt.date(2022, 10, 5)))
    both = pl.concat([events, ged])
    df = bloc_monthly(both, membership_months(registry, "AES", "2022-10", "2023-10", rule="on:2024-01-01"), "events")
    assert set(df["source"]) == {"ucdp"}
    by_month = dict(zip(df["month"], df["value"]))
    aes = events.filter(pl.col("country_iso3").is_in(["MLI", "BFA", "NER"])).height
    assert by_month[dt.date(2022, 10, 1)] == by_month[dt.date(2023, 10, 1)] == aes == 125


def test_all_countries_of_the_candidate_file(registry, load_candidate):
    ev = load_candidate(countries=None)
    mm = membership_months(registry, "ECOWAS", "2023-10", "2023-10")
    r = row(bloc_monthly(ev, mm, "events"), D(2023, 10, 1))
    counted = set(r["members"])
    expected_n = ev.filter(ev["country_iso3"].is_in(list(counted)) & (ev["date_start"] >= D(2023, 10, 1))).height
    assert r["value"] == expected_n
