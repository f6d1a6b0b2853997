"""Shared fixtures for the cube and trend tests (imported by the test modules, not a conftest).

Stores are built once per module. Expected numbers are computed here with the csv
module over the real UCDP files, never with sahelwatch code.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
CANDIDATE = DATA / "GEDEvent_v23_0_10.csv"  # UCDP Candidate 23.0.10 (CC BY 4.0)
GED_SAMPLE = DATA / "ged231_sample1000_global.csv"  # UCDP GED 23.1, 1,000-event global sample (CC BY 4.0)
VIEWS = Path(__file__).resolve().parents[3] / "shared" / "data" / "views"

#: Gleditsch-Ward numbers of the Sahel countries (written out here, independently of the crosswalk).
GW_SAHEL = {"432": "MLI", "439": "BFA", "436": "NER", "483": "TCD", "475": "NGA", "435": "MRT", "433": "SEN"}
SAHEL = tuple(sorted(set(GW_SAHEL.values())))


def ged_rows(path: Path, countries: dict[str, str] = GW_SAHEL) -> list[dict]:
    """Rows of a GED-format file in the given countries, with ``iso3`` and ``day`` added."""
    out = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            gw = r["country_id"].split(".")[0]
            if gw in countries:
                r["iso3"] = countries[gw]
                r["day"] = dt.date.fromisoformat(r["date_start"][:10])
                out.append(r)
    return out


def ucdp_rows() -> list[dict]:
    """Sahel rows of the GED sample and the Candidate file, as a store holding both counts them
    (Candidate rows dated in the GED release's coverage, up to 2022-12-31, are superseded)."""
    ged = ged_rows(GED_SAMPLE)
    cand = [r for r in ged_rows(CANDIDATE) if r["day"] > dt.date(2022, 12, 31)]
    for r in ged:
        r["_source"] = "ucdp_ged"
    for r in cand:
        r["_source"] = "ucdp_candidate"
    return ged + cand


def build_ucdp_acled_store(home: Path, acled_rows: int = 3000):
    """Snapshot 1: Candidate 23.0.10; 2: GED 23.1 sample; 3: synthetic ACLED (a double-count trap)."""
    import sahelwatch
    from sahelwatch.fixtures.generator import generate_acled

    obs = sahelwatch.open(home)
    obs.ingest("ucdp-candidate", CANDIDATE)
    obs.ingest("ucdp", GED_SAMPLE)
    acled = home.parent / "acled-synthetic.csv"
    generate_acled(acled, acled_rows, seed=5, start="2022-01-01", end="2023-12-31")
    obs.ingest("acled", acled)
    return obs


def build_acled_store(home: Path, rows: int, seed: int, **kw):
    import sahelwatch
    from sahelwatch.fixtures.generator import generate_acled

    obs = sahelwatch.open(home)
    path = home.parent / f"acled-{seed}.csv"
    generate_acled(path, rows, seed=seed, **kw)
    obs.ingest("acled", path)
    return obs


@pytest.fixture(scope="module")
def ucdp_obs(tmp_path_factory):
    return build_ucdp_acled_store(tmp_path_factory.mktemp("ucdp") / "home")


@pytest.fixture(scope="module")
def acled_obs(tmp_path_factory):
    """4,000 synthetic ACLED events 2019-2024 (admin units and spread shares computed once)."""
    return build_acled_store(tmp_path_factory.mktemp("acled") / "home", 4000, seed=11,
                             start="2019-01-01", end="2024-12-31")


def iso_week_label(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def saturday_before(d: dt.date) -> dt.date:
    """ACLED's week start: the Saturday on or before ``d`` (Monday = 0 ... Saturday = 5)."""
    back = {0: 2, 1: 3, 2: 4, 3: 5, 4: 6, 5: 0, 6: 1}[d.weekday()]
    return d - dt.timedelta(days=back)
