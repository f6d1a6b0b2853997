"""The country crosswalk: ISO3 <-> ISO numeric <-> Gleditsch–Ward <-> names.

Held in the project as ``countries.csv`` (not a third-party library), one row
per (country, validity interval). ``valid_from``/``valid_to`` are ISO dates,
empty for open ends; a GW number or ISO code that changed over time has one
row per interval.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Country:
    iso3: str
    iso_numeric: int | None
    gwno: int | None
    name_en: str
    name_fr: str
    valid_from: dt.date | None
    valid_to: dt.date | None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


def _int(s: str) -> int | None:
    return int(s) if s.strip() else None


def _date(s: str) -> dt.date | None:
    return dt.date.fromisoformat(s) if s.strip() else None


@lru_cache(maxsize=1)
def all_countries() -> tuple[Country, ...]:
    text = resources.files(__package__).joinpath("countries.csv").read_text("utf-8")
    return tuple(
        Country(
            iso3=r["iso3"],
            iso_numeric=_int(r["iso_numeric"]),
            gwno=_int(r["gwno"]),
            name_en=r["name_en"],
            name_fr=r["name_fr"] or r["name_en"],
            valid_from=_date(r["valid_from"]),
            valid_to=_date(r["valid_to"]),
        )
        for r in csv.DictReader(text.splitlines())
    )


@lru_cache(maxsize=1)
def gwno_to_iso3() -> dict[int, str]:
    """GW number -> ISO3 (the latest interval wins where several exist)."""
    out: dict[int, str] = {}
    for c in sorted(all_countries(), key=lambda c: c.valid_from or dt.date.min):
        if c.gwno is not None:
            out[c.gwno] = c.iso3
    return out


@lru_cache(maxsize=1)
def iso3_to_gwno() -> dict[str, int]:
    """ISO3 -> GW number of the latest interval."""
    out: dict[str, int] = {}
    for c in sorted(all_countries(), key=lambda c: c.valid_from or dt.date.min):
        if c.gwno is not None:
            out[c.iso3] = c.gwno
    return out


@lru_cache(maxsize=1)
def numeric_to_iso3() -> dict[int, str]:
    out: dict[int, str] = {}
    for c in all_countries():
        if c.iso_numeric is not None:
            out[c.iso_numeric] = c.iso3
    return out


def lookup(code: str | int, on: dt.date | None = None) -> Country:
    """Find a country by ISO3, ISO numeric or GW number (``"gw:432"``)."""
    from .errors import UsageError

    cands = all_countries()
    if isinstance(code, int) or (isinstance(code, str) and code.isdigit()):
        hits = [c for c in cands if c.iso_numeric == int(code)]
    elif isinstance(code, str) and code.lower().startswith("gw:"):
        hits = [c for c in cands if c.gwno == int(code[3:])]
    else:
        hits = [c for c in cands if c.iso3 == str(code).upper()]
    if on is not None:
        hits = [c for c in hits if c.valid_on(on)] or hits
    if not hits:
        raise UsageError(f"unknown country code {code!r}")
    return hits[-1]
