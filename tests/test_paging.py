"""Keyset pages over a store with revisions: walked to the end, the pages hold exactly the
current events as of the snapshot, in the order asked, each once (pages of up to 1,001 rows
read through DuckDB's late materialization, larger ones without it)."""

from __future__ import annotations

import pytest

from sw_rows import revise_export


@pytest.fixture(scope="module")
def revised(tmp_path_factory):
    import sahelwatch
    from sahelwatch.fixtures.generator import generate_acled

    d = tmp_path_factory.mktemp("paging")
    first, second = d / "a.csv", d / "b.csv"
    generate_acled(first, 3000, 11, start="2015-01-01", end="2024-12-31", notes=True)
    revised = revise_export(first, second, 5, lambda f: f * 2 + 1)
    obs = sahelwatch.open(d / "home")
    obs.ingest("acled", first)
    assert obs.ingest("acled", second).counts["changed"] == revised
    return obs


@pytest.mark.parametrize("sort", ["-date_start", "fatalities_best", "-fatalities_best", "country_iso3"])
@pytest.mark.parametrize("as_of", [1, 2])
@pytest.mark.parametrize("limit", [100, 1500])
def test_pages_walked_to_the_end_are_the_current_events_in_order(revised, sort, as_of, limit):
    import polars as pl

    col, desc = sort.lstrip("-"), sort.startswith("-")
    want = revised.events(country="MLI,BFA,NER", as_of=as_of).to_polars()
    want = want.sort([col, "event_key"], descending=[desc, False], nulls_last=False)
    got, after, by_source = [], None, None
    while True:
        p = revised.events_page(country="MLI,BFA,NER", as_of=as_of, sort=sort, limit=limit, after=after,
                                by_source=by_source)
        assert p.total == want.height
        got.append(pl.from_arrow(p.table))
        after, by_source = p.after, p.by_source
        if after is None:
            break
    got = pl.concat(got)
    assert got["event_key"].to_list() == want["event_key"].to_list()
    assert got["fatalities_best"].to_list() == want["fatalities_best"].to_list()
    assert got["notes"].to_list() == want["notes"].to_list()
