"""The cube's SQL is portable (sqlglot transpiles it to Spark) and its period arithmetic agrees
with Python's calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sahelwatch.analytics import periods as P
from sahelwatch.analytics import sqlcore as S
from sahelwatch.analytics.cube import make_spec
from sahelwatch.blocs import load_registry

SPECS = [
    dict(by="country", period="month"),
    dict(by="admin1", period="week", measures="events,fatalities_best,civilian_fatalities,actors"),
    dict(by="admin2", period="acled-week", precision="spread", breakdown="category"),
    dict(by="priogrid", period="quarter", precision="spread", measures="fatalities_low,fatalities_high"),
    dict(by="priogrid", period="day", precision="exact", breakdown="actor", measures="events,actors"),
    dict(by="h3", period="year", breakdown="sub_event_type,interaction"),
    dict(by="bloc", bloc="AES,ECOWAS", period="week", measures="events,actors", source="ucdp"),
    dict(by="country", bloc="ECOWAS", period="month", country="MLI,NER", start="2020-01-01", end="2024-12-31",
         breakdown="source,type_of_violence"),
]


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.mark.parametrize("kw", SPECS, ids=lambda kw: f"{kw['by']}-{kw['period']}")
def test_core_queries_transpile_to_spark(kw, registry):
    import sqlglot
    from sqlglot import ErrorLevel

    spec = make_spec(registry=registry, known_sources=("acled", "ucdp_ged", "ucdp_candidate"), **kw)
    spec = S.CubeSpec(**{**spec.__dict__, "bloc_countries": ("MLI", "NER"), "bloc_from": dt.date(2023, 10, 1),
                         "bloc_to": dt.date(2024, 12, 31)}) if spec.blocs else spec
    for q in S.core_queries(spec):
        spark = sqlglot.transpile(q, read="duckdb", write="spark", unsupported_level=ErrorLevel.RAISE)[0]
        sqlglot.parse_one(spark, read="spark")  # and Spark can read it back
        for duck_only in ("read_parquet", "::", "list_", "struct_pack", "QUALIFY", "isodow"):
            assert duck_only.lower() not in q.lower(), (duck_only, q)
        sqlglot.transpile(q, read="duckdb", write="trino", unsupported_level=ErrorLevel.RAISE)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(dt.date(1900, 1, 8), dt.date(2100, 12, 31)), period=st.sampled_from(P.PERIODS))
def test_sql_period_start_matches_python(day, period):
    import duckdb

    sql = P.period_start_sql("d", period)
    got = duckdb.sql(f"SELECT {sql} FROM (SELECT $d::DATE AS d)", params={"d": day}).fetchall()[0][0]
    assert got == P.start_of(day, period)
    assert P.start_of(day, period) <= day <= P.end_of(P.start_of(day, period), period)


def test_period_labels_and_conventions():
    assert P.label(dt.date(2024, 12, 30), "week") == "2025-W01"  # ISO year, not calendar year
    assert P.label(dt.date(2021, 1, 4), "week") == "2021-W01"
    assert P.start_of(dt.date(2021, 1, 3), "week") == dt.date(2020, 12, 28)
    assert P.start_of(dt.date(2023, 10, 6), "acled-week") == dt.date(2023, 9, 30)  # a Friday -> the Saturday before
    assert P.start_of(dt.date(2023, 10, 7), "acled-week") == dt.date(2023, 10, 7)
    assert P.label(dt.date(2023, 10, 1), "quarter") == "2023-Q4"
    assert P.period_range(dt.date(2023, 1, 15), dt.date(2023, 4, 1), "month") == [
        dt.date(2023, m, 1) for m in (1, 2, 3, 4)]
    assert P.same_period_last_year(dt.date(2021, 1, 4), "week") == dt.date(2019, 12, 30)  # 2020-W01 starts in December 2019
    assert P.same_period_last_year(dt.date(2020, 12, 28), "week") is None  # 2020-W53
    assert P.same_period_last_year(dt.date(2024, 2, 29), "day") is None


def test_bad_choices_list_the_valid_ones(registry):
    from sahelwatch.domain.errors import UsageError

    cases = [
        (dict(by="district"), "unknown unit 'district' (valid: country, admin1, admin2, priogrid, h3, bloc)"),
        (dict(period="fortnight"), "unknown period 'fortnight' (valid: day, week, acled-week, month, quarter, year)"),
        (dict(measures="deaths"), "unknown measure 'deaths' (valid: events, fatalities_best"),
        (dict(breakdown="region"), "unknown breakdown 'region' (valid: category, sub_event_type"),
        (dict(precision="fuzzy"), "unknown precision policy 'fuzzy' (valid: exact, as-coded, spread)"),
        (dict(start="2024-02-01", end="2024-01-01"), "empty date range"),
        (dict(by="bloc"), "--by bloc needs --bloc NAME (valid: AES"),
        (dict(bloc="NATO"), "unknown bloc 'NATO' (valid: AES"),
        (dict(by="h3", precision="spread"), "(valid: exact, as-coded)"),
        (dict(source="gdelt"), "unknown source 'gdelt' (not in the store) (valid: acled, ucdp"),
        (dict(membership="sometimes"), "unknown membership rule"),
        (dict(country="XXX"), "unknown country 'XXX'"),
    ]
    for kw, msg in cases:
        with pytest.raises(UsageError) as e:
            make_spec(registry=registry, known_sources=("acled", "ucdp_ged"), **kw)
        assert msg in str(e.value), (kw, str(e.value))
        assert "\n" not in str(e.value)
