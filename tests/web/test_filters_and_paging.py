"""The facade's category/actor filters and keyset paging, in-process on the demo store
(real DuckDB over the store's Parquet), checked against plain Polars over all events."""

from __future__ import annotations

import polars as pl
import pytest

import sahelwatch


def test_category_and_actor_filter_events_aggregates_and_trends(demo_obs):
    ev = demo_obs.events().to_polars()
    actor = "Government of Mali"
    want = ev.filter(pl.col("category").is_in(["battle", "violence_against_civilians"])
                     & ((pl.col("actor1") == actor) | (pl.col("actor2") == actor)))
    got = demo_obs.events(category="battle,violence_against_civilians", actor=actor).to_polars()
    assert sorted(got["event_key"]) == sorted(want["event_key"]) and got.height == 56
    agg = demo_obs.aggregate(by="country", period="year", category="battle", actor=[actor, "JNIM"]).to_polars()
    both = ev.filter((pl.col("category") == "battle")
                     & (pl.col("actor1").is_in([actor, "JNIM"]) | pl.col("actor2").is_in([actor, "JNIM"])))
    assert agg["events"].sum() == both.height and agg["fatalities_best"].sum() == both["fatalities_best"].sum()
    assert agg.height and demo_obs.aggregate(category="battle", actor=actor).meta["filters"]["actor"] == [actor]
    tr = demo_obs.trend(country="MLI", category="battle", measure="events", period="year")
    assert tr.series.to_polars()["events"].sum() >= 0 and tr.meta["filters"]["category"] == ["battle"]


def test_category_filter_uses_the_rollup_and_matches_the_raw_events(demo_obs):
    a = demo_obs.aggregate(by="admin1", period="year", country="MLI", category="battle").to_polars()
    ev = demo_obs.events(country="MLI", category="battle").to_polars()
    assert a["events"].sum() == ev.height == 46


def test_unknown_category_is_a_usage_error(demo_obs):
    with pytest.raises(sahelwatch.UsageError, match="unknown category 'war'"):
        demo_obs.events(category="war")
    with pytest.raises(sahelwatch.UsageError, match="unknown category"):
        demo_obs.aggregate(category="battle,war")


@pytest.mark.parametrize("sort", ["date_start", "-date_start", "fatalities_best", "-fatalities_best",
                                  "country_iso3", "-country_iso3"])
def test_keyset_pages_equal_one_sorted_read(demo_obs, sort):
    col, desc = sort.lstrip("-"), sort.startswith("-")
    ev = demo_obs.events(start="2023-10-01").to_polars()
    want = ev.sort([col, "event_key"], descending=[desc, False], nulls_last=not desc)["event_key"].to_list()
    got, after = [], None
    while True:
        page = demo_obs.events_page(start="2023-10-01", sort=sort, limit=337, after=after)
        assert page.total == ev.height and sum(page.by_source.values()) == ev.height
        got += page.table.column("event_key").to_pylist()
        after = page.after
        if after is None:
            break
    assert got == want


def test_a_page_of_an_empty_store_is_empty(tmp_path):
    obs = sahelwatch.open(tmp_path / "empty")
    page = obs.events_page(limit=10)
    assert page.total == 0 and page.table.num_rows == 0 and page.after is None


def test_bad_sort_and_page_size_are_usage_errors(demo_obs):
    with pytest.raises(sahelwatch.UsageError, match="unknown sort"):
        demo_obs.events_page(sort="notes")
    with pytest.raises(sahelwatch.UsageError, match="page size"):
        demo_obs.events_page(limit=0)


def test_the_member_rule_reads_as_in_the_cli():
    from sahelwatch.cli.blocs import MEMBER_RULE
    from sahelwatch.web.routes_blocs import MEMBER_RULE as WEB_RULE

    assert WEB_RULE == MEMBER_RULE
