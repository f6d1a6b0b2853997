"""Population of bloc member states, for rates per 100,000 people.

The shipped ``population.csv`` (iso3, year, population, source, method) holds
APPROXIMATE World Bank WDI ``SP.POP.TOTL`` values for 2010-2025, rounded to
10,000: 2010 and 2023 are values recalled offline (``method = recalled``),
years between are geometric interpolations (``interpolated``), 2024-2025 are
empty (``missing``). They are fit for per-100k orders of magnitude, not for
publication; pass your own table (``population=``) for that.

A year without a value takes the latest earlier year's value; outputs carry
the year actually used (``population_year``).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from typing import Mapping

SOURCE = "World Bank WDI SP.POP.TOTL (approx., rounded)"


@lru_cache(maxsize=1)
def load_population() -> dict[str, dict[int, int]]:
    """``{iso3: {year: population}}`` from the shipped table (empty years left out)."""
    try:
        text = resources.files(__package__).joinpath("population.csv").read_text("utf-8")
    except FileNotFoundError:  # an install without package data: rates become null
        return {}
    out: dict[str, dict[int, int]] = {}
    for r in csv.DictReader(text.splitlines()):
        if r["population"].strip():
            out.setdefault(r["iso3"], {})[int(r["year"])] = int(r["population"])
    return out


def normalise(population: Mapping | None) -> dict[str, dict[int, int]]:
    """Accept ``{iso3: int}``, ``{iso3: {year: int}}`` or ``{(iso3, year): int}``;
    ``None`` means the shipped table."""
    if population is None:
        return load_population()
    out: dict[str, dict[int, int]] = {}
    for k, v in population.items():
        if isinstance(k, tuple):
            iso3, year = k
            out.setdefault(str(iso3), {})[int(year)] = int(v)
        elif isinstance(v, Mapping):
            out[str(k)] = {int(y): int(p) for y, p in v.items() if p is not None}
        elif v is not None:
            out[str(k)] = {0: int(v)}  # year 0: applies to every year
    return out


def population_for(table: dict[str, dict[int, int]], iso3: str, year: int) -> tuple[int, int] | None:
    """(population, year used) for ``iso3`` in ``year``: that year, else the latest
    earlier year; ``None`` if unknown."""
    years = table.get(iso3)
    if not years:
        return None
    if year in years:
        return years[year], year
    earlier = [y for y in years if y <= year]
    if not earlier:
        return None
    y = max(earlier)
    return years[y], y


__all__ = ["SOURCE", "load_population", "normalise", "population_for"]
