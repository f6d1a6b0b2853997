"""Events of a bloc (membership month by month) and of an admin area, on the demo store:
the listing holds exactly the events the aggregates count, checked against the bloc
registry read event by event and against the boundaries' polygons (shapely)."""

from __future__ import annotations

import datetime as dt

import httpx
import polars as pl
import pytest
import shapely

import sahelwatch
from sahelwatch.blocs.membership import MONTH_DAY


def _members(obs, bloc: str, ev: pl.DataFrame, fixed: dt.date | None = None) -> set[str]:
    """Event keys whose country was a member of ``bloc`` on the 15th of the event's month
    (or on ``fixed``), read from the registry one event at a time."""
    reg = obs.blocs
    keep = set()
    for key, iso3, day in ev.select("event_key", "country_iso3", "date_start").iter_rows():
        if iso3 is None or day is None:
            continue
        st = reg.status(bloc, iso3, fixed or day.replace(day=MONTH_DAY))
        if st and st.member:
            keep.add(key)
    return keep


def test_bloc_events_follow_membership_month_by_month(demo_obs):
    ev = demo_obs.events().to_polars()
    for bloc in ("AES", "ECOWAS", "G5_SAHEL"):
        got = demo_obs.events(bloc=bloc).to_polars()
        assert set(got["event_key"]) == _members(demo_obs, bloc, ev), bloc
    aes = demo_obs.events(bloc="AES").to_polars()
    assert aes.height == 125 and sorted(aes["country_iso3"].unique()) == ["BFA", "MLI", "NER"]
    # the states that left ECOWAS on 29 Jan 2025 count for it in 2023, not under its 2025 member list
    eco = demo_obs.events(bloc="ECOWAS").to_polars()
    later = demo_obs.events(bloc="ECOWAS", membership="on:2025-06-01").to_polars()
    assert {"MLI", "BFA", "NER"} <= set(eco["country_iso3"])
    assert not {"MLI", "BFA", "NER"} & set(later["country_iso3"])
    assert set(later["event_key"]) == _members(demo_obs, "ECOWAS", ev, dt.date(2025, 6, 1))


def test_bloc_events_equal_the_bloc_aggregate(demo_obs):
    for bloc, rule in (("AES", "dynamic"), ("ECOWAS", "dynamic"), ("ECOWAS", "on:2025-06-01")):
        agg = demo_obs.aggregate(by="bloc", period="year", bloc=bloc, membership=rule).to_polars()
        page = demo_obs.events_page(bloc=bloc, membership=rule, limit=1)
        assert page.total == agg["events"].sum() > 0, (bloc, rule)


def test_a_bloc_and_a_country_and_dates_combine(demo_obs):
    got = demo_obs.events(bloc="AES", country="MLI,SEN", start="2023-10-10", end="2023-10-20").to_polars()
    ev = demo_obs.events(country="MLI", start="2023-10-10", end="2023-10-20").to_polars()
    assert got.height == ev.height > 0 and set(got["country_iso3"]) == {"MLI"}
    assert demo_obs.events(bloc="AES", start="2020-01-01", end="2022-12-31").to_polars().height == 0


def test_admin1_events_equal_the_admin1_aggregate_and_the_polygons(demo_obs):
    from sahelwatch.places import BoundarySet

    agg = demo_obs.aggregate(by="admin1", period="year", country="MLI").to_polars()
    counts = dict(agg.group_by("admin1_code").agg(pl.col("events").sum()).drop_nulls().iter_rows())
    assert counts["ML.09"] == 21  # Gao
    layer = BoundarySet.load(demo_obs.home).layer("MLI", 1)
    mli = demo_obs.events(country="MLI").to_polars()
    for code, n in counts.items():
        got = demo_obs.events(admin1=code).to_polars()
        assert got.height == n and set(got["country_iso3"]) == {"MLI"}, code
        poly = layer.geoms[layer.codes.index(code)]
        inside = {k for k, x, y in mli.select("event_key", "longitude", "latitude").iter_rows()
                  if x is not None and shapely.contains_xy(poly, x, y)}
        assert inside <= set(got["event_key"]), code  # every event inside the polygon is listed
    assert demo_obs.events(admin1="ML.01").to_polars().height == 0  # Bamako: no event in the demo
    assert demo_obs.events(admin1="ML.09", country="NER").to_polars().height == 0


def test_unknown_bloc_admin1_and_a_lone_membership_are_usage_errors(demo_obs):
    with pytest.raises(sahelwatch.UsageError, match="unknown bloc 'XYZ'"):
        demo_obs.events(bloc="XYZ")
    with pytest.raises(sahelwatch.UsageError, match="unknown admin1 code 'ML.99'"):
        demo_obs.events_page(admin1="ML.99")
    with pytest.raises(sahelwatch.UsageError, match="membership applies to a bloc"):
        demo_obs.events(membership="on:2024-01-01")


def test_http_events_of_a_bloc_and_an_admin_area(server, demo_obs):
    r = httpx.get(server.url + "/api/v1/events", params={"bloc": "AES", "format": "csv"})
    assert r.status_code == 200
    rows = r.text.strip().splitlines()
    assert len(rows) - 1 == 125
    page = httpx.get(server.url + "/api/v1/events", params={"admin1": "ML.09", "limit": 100}).json()
    assert page["total"] == 21 and {x["admin1"] for x in page["rows"]} and all(
        x["country_iso3"] == "MLI" for x in page["rows"])
    want = set(demo_obs.events(admin1="ML.09").to_polars()["event_key"])
    assert {x["event_key"] for x in page["rows"]} == want
    for params, code in (({"bloc": "XYZ"}, "bad_parameter"), ({"admin1": "ML.99"}, "bad_parameter"),
                         ({"membership": "on:2024-01-01"}, "bad_parameter"), ({"admin1": "x;drop"}, None)):
        r = httpx.get(server.url + "/api/v1/events", params=params)
        assert 400 <= r.status_code < 500 and "error" in r.json(), params
        if code:
            assert r.json()["error"]["code"] == code and "Traceback" not in r.text


@pytest.mark.parametrize("rule", ["dynamic", "on:2025-06-01", "on:2016-03-15"])
def test_bloc_spans_equal_the_month_by_month_membership_of_every_bloc(demo_obs, rule):
    from sahelwatch.blocs.membership import membership_months

    reg = demo_obs.blocs
    start, end = dt.date(1990, 1, 1), dt.date(2026, 12, 31)
    for org in reg.organisations():
        mm = membership_months(reg, org.id, start, end, rule).filter(pl.col("member"))
        want = set(mm.select("country_iso3", "month").iter_rows())
        got = set()
        for iso3, first, last in demo_obs._bloc_spans([org.id], rule, start, end):
            m = first
            while m <= last:
                got.add((iso3, m))
                m = (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        assert got == want, (org.id, rule, sorted(got ^ want)[:5])


def test_the_membership_rule_comes_in_both_languages(server):
    m = server.get("/api/v1/aggregate", params={"by": "bloc", "bloc": "AES", "period": "year"}).json()["meta"]
    assert m["membership_rule"].startswith("membership rule 'dynamic': a state counts for a month")
    assert m["membership_rule_fr"].startswith("règle d'appartenance « dynamic » : un État compte pour un mois")
    c = server.get("/api/v1/blocs/compare", params={"blocs": "AES", "align": "founding", "months": 6}).json()["meta"]
    assert c["rule_text"].startswith("membership rule 'dynamic'") and c["rule_text_fr"].startswith("règle d'appartenance")
