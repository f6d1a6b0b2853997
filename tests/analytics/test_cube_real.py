"""The cube on real UCDP data (GED 23.1 sample + Candidate 23.0.10), against numbers computed
here with the csv module."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from analytics.cube_fixtures import (  # noqa: F401 - fixtures
    CANDIDATE,
    SAHEL,
    ged_rows,
    iso_week_label,
    saturday_before,
    ucdp_obs,
    ucdp_rows,
)

from sahelwatch.domain.errors import UsageError


def _sums(rows, key, field="best"):
    ev, fat = Counter(), Counter()
    for r in rows:
        k = key(r)
        ev[k] += 1
        fat[k] += int(float(r[field]))
    return ev, fat


def _frame_dict(df, keys, measure):
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: r[measure]
            for r in df.iter_rows(named=True)}


def test_country_month_matches_the_csv(ucdp_obs):
    rows = ucdp_rows()
    ev, fat = _sums(rows, lambda r: (r["iso3"], f"{r['day']:%Y-%m}"))
    _, low = _sums(rows, lambda r: (r["iso3"], f"{r['day']:%Y-%m}"), "low")
    _, high = _sums(rows, lambda r: (r["iso3"], f"{r['day']:%Y-%m}"), "high")
    res = ucdp_obs.aggregate(by="country", period="month", source="ucdp", country=",".join(SAHEL),
                             measures="events,fatalities_best,fatalities_low,fatalities_high")
    df = res.to_polars()
    assert _frame_dict(df, ["country_iso3", "period"], "events") == dict(ev)
    assert _frame_dict(df, ["country_iso3", "period"], "fatalities_best") == dict(fat)
    assert _frame_dict(df, ["country_iso3", "period"], "fatalities_low") == dict(low)
    assert _frame_dict(df, ["country_iso3", "period"], "fatalities_high") == dict(high)
    # the numbers the places docs quote for Candidate 23.0.10
    oct23 = {r["country_iso3"]: r["fatalities_best"] for r in df.iter_rows(named=True) if r["period"] == "2023-10"}
    assert (oct23["BFA"], oct23["MLI"], oct23["NER"]) == (569, 119, 115)


def test_priogrid_cells_match_the_gids_ucdp_gave(ucdp_obs):
    rows = [r for r in ged_rows(CANDIDATE) if r["iso3"] in ("MLI", "BFA", "NER")]
    ev, fat = _sums(rows, lambda r: (r["iso3"], int(float(r["priogrid_gid"]))))
    df = ucdp_obs.aggregate(by="priogrid", period="year", source="ucdp_candidate", country="MLI,BFA,NER").to_polars()
    assert _frame_dict(df, ["country_iso3", "priogrid_gid"], "events") == dict(ev)
    assert _frame_dict(df, ["country_iso3", "priogrid_gid"], "fatalities_best") == dict(fat)
    # cell centres: gid 1 is the south-west corner cell
    r = df.row(0, named=True)
    g = r["priogrid_gid"] - 1
    assert (r["latitude"], r["longitude"]) == (-90 + (g // 720) * 0.5 + 0.25, -180 + (g % 720) * 0.5 + 0.25)


def test_iso_and_acled_weeks_match_python_calendars(ucdp_obs):
    rows = [r for r in ged_rows(CANDIDATE) if r["iso3"] in ("MLI", "BFA", "NER", "NGA")]
    iso, _ = _sums(rows, lambda r: (r["iso3"], iso_week_label(r["day"])))
    sat, _ = _sums(rows, lambda r: (r["iso3"], saturday_before(r["day"]).isoformat()))
    kw = dict(by="country", source="ucdp_candidate", country="MLI,BFA,NER,NGA")
    week = ucdp_obs.aggregate(period="week", **kw).to_polars()
    acled = ucdp_obs.aggregate(period="acled-week", **kw).to_polars()
    assert _frame_dict(week, ["country_iso3", "period"], "events") == dict(iso)
    assert _frame_dict(acled, ["country_iso3", "period"], "events") == dict(sat)
    assert all(d.weekday() == 0 for d in week["period_start"]) and all(d.weekday() == 5 for d in acled["period_start"])
    assert all((e - s).days == 6 for s, e in zip(week["period_start"], week["period_end"]))


def test_civilian_fatalities_actors_and_breakdowns(ucdp_obs):
    rows = [r for r in ged_rows(CANDIDATE) if r["iso3"] in ("MLI", "BFA", "NER")]
    civ = Counter()
    actors = defaultdict(set)
    by_tov = Counter()
    for r in rows:
        if float(r["type_of_violence"]) == 3:
            civ[r["iso3"]] += int(float(r["best"]))
        for a in (r["side_a"], r["side_b"]):
            if a and not a.startswith(("Civilians", "Protesters", "Rioters")):
                actors[r["iso3"]].add(a)
        by_tov[(r["iso3"], int(float(r["type_of_violence"])))] += int(float(r["best"]))
    df = ucdp_obs.aggregate(by="country", period="year", source="ucdp_candidate", country="MLI,BFA,NER",
                            measures="civilian_fatalities,actors").to_polars()
    assert _frame_dict(df, ["country_iso3"], "civilian_fatalities") == {k: civ.get(k, 0) for k in ("MLI", "BFA", "NER")}
    assert _frame_dict(df, ["country_iso3"], "actors") == {k: len(v) for k, v in actors.items()}
    tov = ucdp_obs.aggregate(by="country", period="year", source="ucdp_candidate", country="MLI,BFA,NER",
                             breakdown="type_of_violence", measures="fatalities_best").to_polars()
    assert _frame_dict(tov, ["country_iso3", "type_of_violence"], "fatalities_best") == dict(by_tov)


def test_actor_breakdown_counts_an_event_for_each_of_its_actors(ucdp_obs):
    rows = [r for r in ged_rows(CANDIDATE) if r["iso3"] == "BFA"]
    per_actor = Counter()
    for r in rows:
        for a in {r["side_a"], r["side_b"]} - {""}:
            per_actor[a] += 1
    df = ucdp_obs.aggregate(by="country", period="year", source="ucdp_candidate", country="BFA",
                            breakdown="actor", measures="events").to_polars()
    assert _frame_dict(df, ["actor"], "events") == dict(per_actor)
    assert df["events"].sum() > len(rows)  # breakdown totals exceed event totals, as documented


def test_bloc_membership_is_month_by_month(ucdp_obs):
    rows = [r for r in ged_rows(CANDIDATE) if r["day"].year == 2023]
    # AES (charter of 16 Sep 2023) counts from October 2023; ECOWAS still holds MLI, BFA, NER then.
    aes = Counter(f"{r['day']:%Y-%m}" for r in rows if r["iso3"] in ("MLI", "BFA", "NER") and r["day"] >= dt.date(2023, 10, 1))
    df = ucdp_obs.aggregate(by="bloc", bloc="AES", period="month", source="ucdp").to_polars()
    assert _frame_dict(df, ["period"], "events") == dict(aes)
    assert set(df["members"]) == {3}
    fixed = ucdp_obs.aggregate(by="bloc", bloc="AES", period="month", source="ucdp", membership="on:2024-01-01")
    allmonths = Counter(f"{r['day']:%Y-%m}" for r in rows if r["iso3"] in ("MLI", "BFA", "NER"))
    got = _frame_dict(fixed.to_polars(), ["period"], "events")
    assert {k: v for k, v in got.items() if k.startswith("2023")} == dict(allmonths)
    assert "on:2024-01-01" in fixed.meta["membership_rule"]
    # as a filter on another unit: the same events
    by_country = ucdp_obs.aggregate(by="country", bloc="AES", period="month", source="ucdp").to_polars()
    assert by_country["events"].sum() == sum(aes.values())


def test_as_of_gives_what_the_store_held(ucdp_obs):
    first = ucdp_obs.aggregate(by="country", period="year", as_of=1, country="MLI").to_polars()
    assert first["period"].to_list() == ["2023"]  # snapshot 1 = Candidate only
    res = ucdp_obs.aggregate(by="country", period="year", as_of=2, country="MLI")
    assert res.meta["as_of"] == 2 and {s["id"] for s in res.meta["snapshots"]} == {1, 2}
    assert res.meta["citations"] == ["Source: UCDP GED/Candidate, CC BY 4.0"]


def test_acled_and_ucdp_together_are_refused_not_added(ucdp_obs):
    with pytest.raises(UsageError, match="double count") as e:
        ucdp_obs.aggregate(by="country", period="year", country="MLI")
    assert "acled" in e.value.choices and "ucdp" in e.value.choices
    both = ucdp_obs.aggregate(by="country", period="year", country="MLI", breakdown="source")
    assert set(both.to_polars()["source"]) == {"acled", "ucdp_ged", "ucdp_candidate"}
    assert sorted(both.meta["citations"]) == ["Source: ACLED (aggregated by sahelwatch)",
                                              "Source: UCDP GED/Candidate, CC BY 4.0"]
    only = ucdp_obs.aggregate(by="country", period="year", country="MLI", source="acled")
    assert only.meta["citations"] == ["Source: ACLED (aggregated by sahelwatch)"]


def test_complete_fills_empty_unit_periods_with_zeros(ucdp_obs):
    res = ucdp_obs.aggregate(by="country", period="month", source="ucdp_candidate", country="MLI,SEN",
                             start="2023-07-01", end="2023-10-31", complete=True)
    df = res.to_polars()
    assert df.height == 2 * 4
    assert df.filter(df["country_iso3"] == "SEN")["events"].to_list() == [0, 0, 0, 0]
    assert df.filter(df["country_iso3"] == "MLI")["period"].to_list() == ["2023-07", "2023-08", "2023-09", "2023-10"]


def test_results_convert_to_pandas_and_write_files(ucdp_obs, tmp_path):
    import json

    res = ucdp_obs.aggregate(by="priogrid", period="year", source="ucdp_candidate", country="NER")
    assert res.to_pandas().shape == res.to_polars().shape
    res.write(tmp_path / "a.geojson", "geojson")
    gj = json.loads((tmp_path / "a.geojson").read_text())
    assert len(gj["features"]) == len(res) and gj["features"][0]["geometry"]["type"] == "Polygon"
    res.write(tmp_path / "a.json", "json")
    assert json.loads((tmp_path / "a.json").read_text())["meta"]["precision"] == "as-coded"
    res.write(tmp_path / "a.parquet", "parquet")
