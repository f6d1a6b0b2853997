"""Fixtures for bloc tests: the shipped registry and real UCDP Candidate events."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
CANDIDATE = DATA / "GEDEvent_v23_0_10.csv"  # UCDP Candidate 23.0.10 (CC BY 4.0); same bytes as shared/data
SAHEL = ("Mali", "Burkina Faso", "Niger", "Nigeria", "Chad")


def candidate_events(path: Path = CANDIDATE, countries: tuple[str, ...] | None = SAHEL):
    """Canonical-like event rows from the UCDP Candidate file (country via the GW number;
    ``countries=None`` keeps every country)."""
    import polars as pl

    from sahelwatch.domain.countries import gwno_to_iso3

    gw = gwno_to_iso3()
    raw = pl.read_csv(path, infer_schema_length=0)
    if countries is not None:
        raw = raw.filter(pl.col("country").is_in(countries))
    return raw.select(
        pl.lit("ucdp_candidate").alias("source"),
        pl.col("id").alias("source_event_id"),
        pl.col("country_id").cast(pl.Int64).replace_strict(gw, default=None, return_dtype=pl.String).alias("country_iso3"),
        pl.col("date_start").str.slice(0, 10).str.to_date("%Y-%m-%d").alias("date_start"),
        pl.col("best").cast(pl.Int64).alias("fatalities_best"),
        pl.col("low").cast(pl.Int64).alias("fatalities_low"),
        pl.col("high").cast(pl.Int64).alias("fatalities_high"),
    )


@pytest.fixture(scope="session")
def registry():
    from sahelwatch.blocs import load_registry

    return load_registry()


@pytest.fixture(scope="session")
def events():
    return candidate_events()


@pytest.fixture(scope="session")
def load_candidate():
    """The loader itself, for tests that need other countries."""
    return candidate_events
