"""The country crosswalk: ISO3 <-> ISO numeric <-> Gleditsch–Ward <-> names.

Held in the project as ``countries.csv`` (not a third-party library), one row
per (country, validity interval). ``valid_from``/``valid_to`` are ISO dates,
empty for open ends; a GW number or ISO code that changed over time has one
row per interval (Yemen 678/680 -> 679 on 1990-05-22, Germany 260/265 -> 255
on 1990-10-03, Sudan's ISO numeric 736 -> 729 and South Sudan on 2011-07-09,
Czechoslovakia -> Czechia/Slovakia on 1993-01-01, Eritrea on 1993-05-24,
Yugoslavia -> Serbia and Montenegro -> Serbia/Montenegro, Kosovo 2008-02-17,
USSR -> Russia).

UCDP codes countries with GW numbers but keeps some old numbers after the
change (Yemen stays 678, Serbia 345, Germany 260): the undated maps below send
every number to the ISO3 of its *latest* interval, which handles those cases
for Yemen and Germany; Serbia's 345 maps to ``SCG``.
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


def parse_code(value: object) -> int | None:
    """A numeric code as sources write it: ``432``, ``"432"``, ``"432.0"``; else None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value == value and value.is_integer() else None
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def gwno_to_iso3_on(gwno: object, on: dt.date | None = None) -> str | None:
    """ISO3 for a GW number (``432``, ``"432.0"``) valid on ``on``.

    Falls back to the latest interval when no interval covers the date (UCDP
    keeps using retired numbers), and returns None for an unknown number.
    """
    code = parse_code(gwno)
    if code is None:
        return None
    hits = [c for c in all_countries() if c.gwno == code]
    if on is not None:
        valid = [c for c in hits if c.valid_on(on)]
        if valid:
            return valid[-1].iso3
    return gwno_to_iso3().get(code)


def name(iso3: str, lang: str = "en", on: dt.date | None = None) -> str:
    """The country's common name in English (``"en"``) or French (``"fr"``)."""
    from .errors import UsageError

    if lang not in ("en", "fr"):
        raise UsageError(f"unknown language {lang!r}", choices=["en", "fr"])
    country = lookup(iso3, on=on if on is not None else dt.date.today())
    return country.name_en if lang == "en" else country.name_fr


def lookup(code: str | int, on: dt.date | None = None) -> Country:
    """Find a country by ISO3, ISO numeric or GW number (``"gw:432"``)."""
    from .errors import UsageError

    cands = all_countries()
    if isinstance(code, int) or (isinstance(code, str) and code.strip().isdigit()):
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
