"""Arguments every entry point takes the same way: lists, ISO3 codes, dates, choices.

One place, so the CLI, the facade and the analytics give the same one-line errors.
"""

from __future__ import annotations

import datetime as dt

from .errors import UsageError


def split_list(value) -> tuple[str, ...]:
    """``"MLI, BFA"`` or ``["MLI", "BFA"]`` -> ``("MLI", "BFA")``; None -> ``()``."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    return tuple(str(x).strip() for x in value if x is not None and str(x).strip())


def iso3_list(value) -> tuple[str, ...]:
    """Validated, upper-cased ISO3 codes (duplicates dropped, order kept)."""
    from .countries import all_countries

    codes = tuple(dict.fromkeys(c.upper() for c in split_list(value)))
    known = {c.iso3 for c in all_countries()}
    for c in codes:
        if c not in known:
            raise UsageError(f"unknown country {c!r}: use ISO3 codes such as MLI, BFA, NER")
    return codes


def day(value, name: str) -> dt.date | None:
    """A date from ``YYYY-MM-DD`` text, a date or a datetime; None or "" -> None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"{name}: {value!r} is not a date (expected YYYY-MM-DD)") from None


def date_range(start, end, names: tuple[str, str] = ("--from", "--to")) -> tuple[dt.date | None, dt.date | None]:
    s, e = day(start, names[0]), day(end, names[1])
    if s and e and s > e:
        raise UsageError(f"empty date range: {names[0]} {s} is after {names[1]} {e}")
    return s, e


def choice(kind: str, value, choices) -> str:
    v = str(value).strip().lower()
    if v not in choices:
        raise UsageError(f"unknown {kind} {value!r}", choices=list(choices))
    return v


def category_list(value) -> tuple[str, ...]:
    """Validated harmonised categories (``battle``, ``protest``...), comma-separated or a list."""
    from .schema import CATEGORIES

    cats = tuple(dict.fromkeys(c.lower() for c in split_list(value)))
    for c in cats:
        if c not in CATEGORIES:
            raise UsageError(f"unknown category {c!r}", choices=list(CATEGORIES))
    return cats


def actor_list(value) -> tuple[str, ...]:
    """Actor names: one name as text (names may hold commas) or a list of names."""
    if value is None:
        return ()
    names = [value] if isinstance(value, str) else list(value)
    out = tuple(dict.fromkeys(str(n).strip() for n in names if n is not None and str(n).strip()))
    for n in out:
        if len(n) > 300:
            raise UsageError(f"actor name of {len(n)} characters: at most 300")
    return out
