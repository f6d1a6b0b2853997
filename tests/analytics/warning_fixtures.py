"""Shared helpers for the indicators / alerts / reconcile / actors tests.

Expected values in those tests are computed here and in the tests with the ``csv``
module and plain Python over the source files — never by calling the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
DATA = TESTS / "data"
CANDIDATE = DATA / "GEDEvent_v23_0_10.csv"  # UCDP Candidate 23.0.10 (CC BY 4.0)
GED_SAMPLE = DATA / "ged231_sample1000_global.csv"  # UCDP GED 23.1 sample (CC BY 4.0)
VIEWS = TESTS.parents[1] / "shared" / "data" / "views"

SAHEL = {"Mali": "MLI", "Burkina Faso": "BFA", "Niger": "NER", "Nigeria": "NGA", "Chad": "TCD", "Mauritania": "MRT"}
ISO_NUM = {"MLI": "466", "BFA": "854", "NER": "562", "NGA": "566", "TCD": "148", "MRT": "478"}
COUNTRY_NAME = {v: k for k, v in SAHEL.items()}
EARTH_KM = 6371.0088
KM_PER_DEGREE = EARTH_KM * math.pi / 180


def read_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def haversine_km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


def move(lat: float, lon: float, km: float, bearing_deg: float) -> tuple[float, float]:
    """A point ``km`` away along a bearing (spherical Earth)."""
    d = km / EARTH_KM
    b = math.radians(bearing_deg)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), math.degrees(l2)


def cell(lat: float, lon: float, km: float = 10.0) -> tuple[int, int]:
    """A 10 km equal-area (sinusoidal) cell, as docs/analytics-warning.md defines it."""
    k = KM_PER_DEGREE / km
    return math.floor(lat * k), math.floor(lon * k * math.cos(math.radians(lat)))


def non_state_sides(row: dict) -> set[str]:
    """UCDP sides that are non-state armed groups: not governments, civilians or unclear (XXX...).
    UCDP's "IS" in Niger's Diffa region is ISWAP (Lake Chad), elsewhere in Niger IS Sahel."""
    out = set()
    for side in (row["side_a"], row["side_b"]):
        for name in side.split(", "):
            name = name.strip()
            if not name or name.startswith(("Government of", "XXX")) or name == "Civilians":
                continue
            if name == "IS" and row["country"] == "Niger" and row["adm_1"].startswith("Diffa"):
                name = "IS (Diffa)"
            out.add(name)
    return out


def open_store(path: Path, *files: tuple[str, Path, dict]):
    import sahelwatch

    obs = sahelwatch.open(path)
    for kind, f, opts in files:
        obs.ingest(kind, f, **opts)
    return obs


def fridays(first: dt.date, last: dt.date) -> list[dt.date]:
    d = first + dt.timedelta(days=(4 - first.weekday()) % 7)
    out = []
    while d <= last:
        out.append(d)
        d += dt.timedelta(days=7)
    return out


def add_months(d: dt.date, n: int) -> dt.date:
    m = d.year * 12 + d.month - 1 + n
    return dt.date(m // 12, m % 12 + 1, 1)
