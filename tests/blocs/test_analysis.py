"""Comparisons aligned on milestones, per-100k rates, and event studies."""

import datetime as dt

import pytest

from sahelwatch.blocs.analysis import compare
from sahelwatch.blocs.dates import add_months
from sahelwatch.blocs.event_study import event_study
from sahelwatch.blocs.population import load_population, population_for
from sahelwatch.domain.errors import UsageError

D = dt.date
COUNTRIES = ["MLI", "BFA", "NER", "TCD", "MRT", "KEN", "UGA", "TZA", "NGA"]


def synthetic(start=D(2012, 1, 1), months=168, seed=1, shift=None):
    """One row per (country, month): fatalities = country index + 1, plus ``shift`` after a day."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    rows = []
    for i, c in enumerate(COUNTRIES):
        for k in range(months):
            m = add_months(start, k)
            best = i + 1
            if shift and c in shift[0] and m > shift[1]:
                best += shift[2] + int(rng.integers(0, 5))
            elif shift and c in shift[0]:
                best += int(rng.integers(0, 5))
            rows.append({"source": "ucdp_ged", "country_iso3": c, "date_start": m.replace(day=10),
                         "fatalities_best": best, "fatalities_low": best - 1 if best else 0, "fatalities_high": best + 2})
    return pl.DataFrame(rows)


def weight(c):
    return COUNTRIES.index(c) + 1


def test_compare_aligns_blocs_on_their_founding(registry):
    df = compare(registry, synthetic(), ["AES", "G5_SAHEL", "EAC"], months=36)
    assert df.height == 3 * 36
    assert set(df["rule"]) == {"dynamic"} and "15th" in df["rule_text"][0]
    aes = df.filter(df["bloc"] == "AES").sort("k")
    assert aes["anchor_date"][0] == "2023-09-16" and aes["month"][0] == D(2023, 9, 1)
    assert aes["value"][0] == 0 and aes["n_members"][0] == 0  # founded on the 16th: not counted in September
    assert aes["value"][1] == sum(weight(c) for c in ("MLI", "BFA", "NER"))
    assert aes["value_low"][1] == aes["value"][1] - 3 and aes["value_high"][1] == aes["value"][1] + 6
    g5 = df.filter(df["bloc"] == "G5_SAHEL").sort("k")
    assert g5["month"][0] == D(2014, 2, 1) and set(g5["members"][1]) == {"MLI", "BFA", "NER", "TCD", "MRT"}
    assert g5["value"][1] == sum(weight(c) for c in ("MLI", "BFA", "NER", "TCD", "MRT"))
    eac = df.filter(df["bloc"] == "EAC")
    assert eac["covered"].to_list() == [False] * 36  # 2000-2003 is before the synthetic events
    assert eac["value"].null_count() == 36


def test_per_100k_uses_population_where_known(registry):
    df = compare(registry, synthetic(), ["AES"], months=3)
    r = df.filter(df["k"] == 1).row(0, named=True)
    pop = load_population()
    total = sum(population_for(pop, c, 2023)[0] for c in ("MLI", "BFA", "NER"))
    assert r["population"] == total and r["population_year"] == 2023
    assert r["per_100k"] == pytest.approx(r["value"] * 100_000 / total)
    assert "approx" in r["population_source"]
    later = compare(registry, synthetic(months=170), ["AES"], months=1, align="AES-summit-2025")
    assert later["population_year"][0] == 2023  # 2025 missing in the table: latest earlier year used
    mine = compare(registry, synthetic(), ["AES"], months=3, population={"MLI": 1_000_000, "BFA": 1_000_000})
    assert mine.filter(mine["k"] == 1)["per_100k"][0] is None  # NER unknown -> no rate
    assert mine["population_source"][0] == "user-supplied"


def test_compare_on_another_milestone_and_fixed_membership(registry):
    df = compare(registry, synthetic(), ["ECOWAS"], align="ECOWAS-exit-2025", months=2, months_before=2,
                 rule="on:2025-06-01")
    assert df["k"].to_list() == [-2, -1, 0, 1]
    assert set(df["rule"]) == {"on:2025-06-01"}
    assert all("MLI" not in m for m in df["members"].to_list())
    dyn = compare(registry, synthetic(), ["ECOWAS"], align="exit", months=1)
    assert dyn["align"][0] == "ECOWAS-AES-exit-announced-2024"


def test_compare_refuses_to_add_sources(registry):
    import polars as pl

    ev = synthetic()
    two = pl.concat([ev, ev.with_columns(source=pl.lit("acled"))])
    with pytest.raises(UsageError, match="several sources"):
        compare(registry, two, ["AES"])
    assert compare(registry, two, ["AES"], source="acled", months=2)["source"][0] == "acled"


def test_compare_on_real_candidate_events(registry, events):
    df = compare(registry, events, ["AES", "G5_SAHEL", "EAC"], months=36)
    covered = df.filter(df["covered"])
    assert covered["bloc"].to_list() == ["AES"] and covered["month"][0] == D(2023, 10, 1)
    aes_oct = events.filter(events["country_iso3"].is_in(["MLI", "BFA", "NER"]))
    assert covered["value"][0] == aes_oct["fatalities_best"].sum()
    assert covered["value_low"][0] == aes_oct["fatalities_low"].sum()
    assert covered["value_high"][0] == aes_oct["fatalities_high"].sum()


def test_event_study_before_after_with_bootstrap_interval(registry):
    ev = synthetic(shift=(["NER"], D(2023, 7, 1), 20))
    res = event_study(registry, ev, "NER-coup-2023", window=12)
    assert res.countries == ["NER"] and res.n_before == 12 and res.n_after == 12
    assert res.before_mean == pytest.approx(3 + 2, abs=2.5)
    assert res.difference == pytest.approx(20, abs=2.5)
    assert res.ci_low <= res.difference <= res.ci_high
    assert res.ci_low > 0  # a shift of 20 against noise of 0..4 is clearly visible
    assert "not causal" in res.caveat and "NER-coup-2023" in res.caveat
    assert res.before_range[0] < res.before_mean < res.before_range[1]
    again = event_study(registry, ev, "NER-coup-2023", window=12)
    assert (again.ci_low, again.ci_high) == (res.ci_low, res.ci_high)  # seeded


def test_event_study_countries_come_from_the_registry(registry):
    ev = synthetic(months=170)
    exit_ = event_study(registry, ev, "ECOWAS-exit-2025", window=6, measure="events")
    assert exit_.countries == ["BFA", "MLI", "NER"] and exit_.before_range is None
    summit = event_study(registry, ev, "AES-BCID-statutes-2025", window=1)
    assert summit.countries == ["BFA", "MLI", "NER"] and "members of AES" in summit.countries_rule
    force = event_study(registry, ev, "FRA-MLI-departure-2022", window=3)
    assert force.countries == ["MLI"]


def test_event_study_on_real_events_says_when_data_are_too_short(registry, events):
    with pytest.raises(UsageError, match="not enough data around NER-coup-2023.*2023-10..2023-10"):
        event_study(registry, events, "NER-coup-2023", window=12)


def test_event_study_warns_about_a_truncated_window(registry):
    res = event_study(registry, synthetic(start=D(2023, 1, 1), months=12), "NER-coup-2023", window=12)
    assert res.n_before == 6 and res.n_after == 5 and res.warnings
    assert res.ci_low <= res.difference <= res.ci_high


def _counts(events):
    """Country-month totals summed here from the rows, independently of the library."""
    import polars as pl

    ev = events.with_columns(pl.col("date_start").cast(pl.Date))
    return ev.group_by("source", "country_iso3", pl.col("date_start").dt.truncate("1mo").alias("month")).agg(
        pl.len().alias("events"), pl.col("fatalities_best").sum(),
        pl.col("fatalities_low").fill_null(pl.col("fatalities_best")).sum(),
        pl.col("fatalities_high").fill_null(pl.col("fatalities_best")).sum())


@pytest.mark.parametrize("rule", ["dynamic", "on:2020-06-30"])
@pytest.mark.parametrize("measure", ["events", "fatalities_best", "fatalities_high"])
def test_compare_on_country_month_totals_equals_compare_on_rows(registry, events, rule, measure):
    ev = synthetic(shift=(["MLI", "BFA"], D(2016, 3, 1), 7))
    for rows in (ev, events):
        kw = dict(measure=measure, months=48, months_before=6, rule=rule)
        a = compare(registry, rows, ["AES", "G5_SAHEL", "EAC"], **kw)
        b = compare(registry, _counts(rows), ["AES", "G5_SAHEL", "EAC"], **kw)
        assert a.equals(b)
        if rows is ev:  # (the real sample is one month, before the AES existed on the fixed day)
            assert a.filter(a["covered"])["value"].sum() > 0


def test_the_store_country_months_give_the_comparison_of_its_events(registry, tmp_path):
    """Through a store holding a revision (a second snapshot revising every 7th event): as of
    either snapshot, the cube's country-month totals give the comparison the rows give."""
    import sahelwatch
    from sahelwatch.fixtures.generator import generate_acled
    from sw_rows import revise_export

    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    generate_acled(first, 4000, 3, start="2012-01-01", end="2024-12-31", notes=False)
    revised = revise_export(first, second, 7, lambda f: f + 5)
    obs = sahelwatch.open(tmp_path / "home")
    obs.ingest("acled", first)
    assert obs.ingest("acled", second).counts["changed"] == revised
    for as_of in (1, 2):
        a = compare(obs.blocs, obs.events(as_of=as_of).to_polars(), ["AES", "G5_SAHEL"], months=60, months_before=12)
        b = compare(obs.blocs, obs.country_months(as_of=as_of), ["AES", "G5_SAHEL"], months=60, months_before=12)
        assert a.equals(b) and a.filter(a["covered"])["value"].sum() > 0
    totals = [obs.country_months(as_of=k)["fatalities_best"].sum() for k in (1, 2)]
    assert totals[1] - totals[0] == 5 * revised
