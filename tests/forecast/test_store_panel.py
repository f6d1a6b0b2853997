"""Panels from the event store: real UCDP GED 23.1 sample + Candidate 23.0.10 and synthetic
ACLED-format events; expected numbers computed with the csv module, not with sahelwatch."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter, defaultdict

import polars as pl
import pytest
from analytics.cube_fixtures import GW_SAHEL, ucdp_obs, ucdp_rows  # noqa: F401 - fixture

from sahelwatch.forecast import builders
from sahelwatch.forecast.panel import PanelError, month_id


def _expected_fatalities(tov: str | None):
    out: dict = defaultdict(float)
    for r in ucdp_rows():
        if tov is None or r["type_of_violence"].split(".")[0] == tov:  # GED writes 1.0, Candidate 1
            out[(r["iso3"], month_id(r["day"]))] += float(r["best"])
    return out


@pytest.mark.parametrize("target, tov", [("fatalities_sb", "1"), ("fatalities_os", "3"), ("fatalities_all", None)])
def test_store_panel_sums_ucdp_best_by_country_month(ucdp_obs, target, tov):  # noqa: F811
    p = ucdp_obs.forecast.panel("cm", target, country=",".join(GW_SAHEL.values()))
    got = {(r["unit"], r["month_id"]): r["value"] for r in p.frame.iter_rows(named=True) if r["value"]}
    want = {k: v for k, v in _expected_fatalities(tov).items() if v}
    assert got == want
    assert p.meta["source"] == "store" and "CC BY 4.0" in p.meta["citation"]
    mali = p.units.filter(pl.col("unit") == "MLI").row(0, named=True)
    assert (mali["name"], mali["gwno"]) == ("Mali", 432)


def test_store_panel_of_acled_event_counts_by_category(ucdp_obs, tmp_path):  # noqa: F811
    p = ucdp_obs.forecast.panel("cm", "events:battle")
    # the synthetic ACLED file the fixture ingested, read back with the csv module
    path = ucdp_obs.home.parent / "acled-synthetic.csv"
    want: Counter = Counter()
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["event_type"] == "Battles":
                d = dt.date.fromisoformat(r["event_date"])
                want[(r["country"], month_id(d))] += 1
    assert p.frame["value"].sum() == sum(want.values()) > 0
    months = {m for _, m in want}
    assert set(p.frame.filter(pl.col("value") > 0)["month_id"].unique().to_list()) == months
    assert "ACLED" in p.meta["citation"] and "not republished" in p.meta["citation"]


def test_pgm_and_admin1_panels_cover_the_same_deaths(ucdp_obs):  # noqa: F811
    cm = ucdp_obs.forecast.panel("cm", "fatalities_all", country="MLI,BFA,NER")
    pgm = ucdp_obs.forecast.panel("pgm", "fatalities_all", country="MLI,BFA,NER")
    assert pgm.frame["value"].sum() == cm.frame["value"].sum()
    assert all(u.isdigit() for u in pgm.unit_ids)
    adm = ucdp_obs.forecast.panel("admin1", "fatalities_all", country="MLI")
    assert adm.units["country_iso3"].unique().to_list() == ["MLI"]
    assert adm.frame["value"].sum() <= cm.frame.filter(pl.col("unit") == "MLI")["value"].sum()


def test_vintage_is_the_first_snapshot_whose_events_reach_the_origin(ucdp_obs):  # noqa: F811
    at = builders.store_vintages(ucdp_obs, "cm", "fatalities_sb")
    origin = month_id(dt.date(2023, 3, 1))
    v = at(origin)
    assert v.meta["as_of"] == 1  # the Candidate file alone: the GED sample came later
    first = builders.panel_from_store(ucdp_obs, "cm", "fatalities_sb", as_of=1)
    assert v.frame.equals(first.frame)
    assert at(month_id(dt.date(2031, 1, 1))) is None


def test_store_without_the_target_source_is_a_clear_error(tmp_path):
    import sahelwatch

    obs = sahelwatch.open(tmp_path / "empty")
    with pytest.raises(PanelError, match="the store has no UCDP events for target fatalities_sb"):
        obs.forecast.panel("cm", "fatalities_sb")
