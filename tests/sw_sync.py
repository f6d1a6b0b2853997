"""Constants and comparisons shared by the sync tests (fixtures live in tests/sync/conftest.py)."""

from __future__ import annotations

EMAIL, PASSWORD = "analyst@example.org", "pw-Zq81-never-print-me"
UCDP_TOKEN = "ucdp-tok-5b2e-never-print-me"
SAHEL = ["BFA", "MLI", "NER"]


def server_rows(srv, countries=SAHEL):
    """What the server holds for the countries: {event_id_cnty: (timestamp, fatalities)}."""
    import polars as pl

    from sahelwatch.domain import countries as c

    num = {v: k for k, v in c.numeric_to_iso3().items()}
    df = srv.current().filter(pl.col("iso").cast(pl.Int64).is_in([num[x] for x in countries]))
    return {r[0]: (r[1], int(r[2])) for r in df.select("event_id_cnty", "timestamp", "fatalities").iter_rows()}


def store_rows(obs, as_of=None):
    df = obs.events(source="acled", as_of=as_of).to_polars()
    return {r[0]: (r[1], int(r[2])) for r in df.select("source_event_id", "source_release", "fatalities_best").iter_rows()}
