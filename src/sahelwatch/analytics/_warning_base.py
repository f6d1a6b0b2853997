"""What indicators, alerts, reconciliation and actors share: sources, units, dates, SQL bits.

Everything here works on a DuckDB connection holding a view ``events`` (see
``Observatory.analytics_connection``); nothing opens a file.
"""

from __future__ import annotations

import datetime as dt

from ..domain.args import day
from ..domain.errors import UsageError

#: Harmonised categories counted as violent events by the alerts (battles, explosions/remote
#: violence, violence against civilians).
VIOLENT = ("battle", "explosion_remote", "violence_against_civilians")
UCDP_SOURCES = ("ucdp_ged", "ucdp_candidate")
#: Source families: ACLED and UCDP describe the same incidents, so a count never mixes them.
FAMILIES = {"acled": ("acled",), "ucdp": UCDP_SOURCES}

CITATIONS = {
    "acled": "Source: ACLED (aggregated by sahelwatch)",
    "ucdp": "Source: UCDP, CC BY 4.0",
}

UNIT_LEVELS = ("country", "admin1", "admin2")


def as_date(value, name: str) -> dt.date | None:
    return day(value, name)

def as_month(value, name: str, *, end: bool = False) -> dt.date:
    """``YYYY-MM`` (or a full date) -> the month's first day, or its last day with ``end``."""
    text = str(value or "").strip()
    try:
        if len(text) == 7:
            first = dt.date.fromisoformat(text + "-01")
        else:
            first = dt.date.fromisoformat(text).replace(day=1)
    except ValueError:
        raise UsageError(f"{name}: {value!r} is not a month (expected YYYY-MM)") from None
    if not end:
        return first
    return add_months(first, 1) - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months (day of month clipped to the target month's length)."""
    m = day.year * 12 + day.month - 1 + months
    y, mo = divmod(m, 12)
    mo += 1
    nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
    return dt.date(y, mo, min(day.day, (nxt - dt.timedelta(days=1)).day))


def check_unit(unit: str, allowed=UNIT_LEVELS) -> str:
    u = (unit or "").strip().lower()
    if u not in allowed:
        raise UsageError(f"unknown unit {unit!r}", choices=list(allowed))
    return u


def sources_present(con) -> list[str]:
    return [r[0] for r in con.sql("SELECT DISTINCT source FROM events WHERE source IS NOT NULL ORDER BY 1").fetchall()]


def resolve_sources(con, source: str | None, present: list[str] | None = None) -> tuple[str, tuple[str, ...]]:
    """``(family, source names)`` to count from. Default: ACLED when the store has it, else UCDP.

    ``source`` is ``acled``, ``ucdp`` (GED and Candidate together: the store never holds
    both for one month), ``ucdp_ged``, ``ucdp_candidate`` or a generic CSV source name.
    Mixing ACLED and UCDP is refused: they describe the same incidents.
    """
    present = sources_present(con) if present is None else present
    if not present:
        raise UsageError("the store holds no events: ingest some first (sahelwatch ingest ...)")
    choices = sorted(set(present) | {f for f, names in FAMILIES.items() if set(names) & set(present)})
    if source is None:
        if "acled" in present:
            return "acled", ("acled",)
        ucdp = tuple(s for s in UCDP_SOURCES if s in present)
        if ucdp:
            return "ucdp", ucdp
        return present[0], (present[0],)
    wanted = [s.strip() for s in str(source).split(",") if s.strip()]
    if not wanted:
        raise UsageError("empty --source", choices=choices)
    names: list[str] = []
    for w in wanted:
        if w in FAMILIES:
            members = [s for s in FAMILIES[w] if s in present]
            if not members:
                raise UsageError(f"source {w!r} has no events in the store", choices=choices)
            names += members
        elif w in present:
            names.append(w)
        else:
            raise UsageError(f"unknown source {w!r} (not in the store)", choices=choices)
    fams = {family_of(n) for n in names}
    if len(fams) > 1:
        raise UsageError(f"sources {', '.join(names)} mix ACLED and UCDP, which describe the same incidents: "
                         "counting them together would count incidents twice (see `sahelwatch reconcile`)",
                         choices=choices)
    if not names:
        raise UsageError(f"source {source!r} has no events in the store", choices=choices)
    return fams.pop(), tuple(dict.fromkeys(names))


def family_of(source: str) -> str:
    for fam, names in FAMILIES.items():
        if source in names:
            return fam
    return source


def citation(family: str) -> str:
    return CITATIONS.get(family, f"Source: {family} (user data, aggregated by sahelwatch)")


def in_list(values) -> str:
    """A SQL ``IN (...)`` list of string literals (values are source names or vocabulary, never user text)."""
    return "(" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + ")"


def unit_sql(unit: str) -> tuple[str, str]:
    """SQL expressions ``(unit id, unit name)`` for a unit level.

    Admin units are the store's point-in-polygon units (``admin1_code``...). Events outside
    the bundled boundaries (Benin, Senegal...), or located outside the country the source
    states (``admin_match = 'outside_country'``), fall back to the source's own unit name,
    prefixed with the stated country: ``src:BEN:Alibori`` — so an event always counts in
    its stated country and admin units add up to country totals.
    """
    if unit == "country":
        return "country_iso3", "country_iso3"
    code, name = f"{unit}_code", f"{unit}_name"
    own = f"({code} IS NOT NULL AND COALESCE(admin_match, '') <> 'outside_country')"
    return (f"CASE WHEN {own} THEN {code} "
            f"ELSE 'src:' || country_iso3 || ':' || COALESCE({unit}, '?') END",
            f"CASE WHEN {own} THEN {name} ELSE COALESCE({unit}, '(unknown {unit})') END")


#: ACLED political violence: disorder type "Political violence" (also "Political violence;
#: Demonstrations": mob violence, excessive force against protesters); rows without a
#: disorder type (UCDP, old ACLED layouts) count when their category is violent.
PV_SQL = ("COALESCE(disorder_type LIKE 'Political violence%', category IN "
          + in_list(VIOLENT) + ")")


def data_end(con, sources) -> dt.date | None:
    """Last event date the store holds for these sources: outcomes after it are unknown."""
    row = con.sql(f"SELECT MAX(date_start) FROM events WHERE source IN {in_list(sources)}").fetchall()[0]
    return row[0]


def data_start(con, sources) -> dt.date | None:
    row = con.sql(f"SELECT MIN(date_start) FROM events WHERE source IN {in_list(sources)}").fetchall()[0]
    return row[0]


def country_name(iso3: str | None, lang: str = "en") -> str | None:
    """English or French name of a country; the code itself when the crosswalk lacks it."""
    from ..domain import countries
    from ..domain.errors import SahelwatchError

    if not iso3:
        return iso3
    try:
        return countries.name(iso3, lang)
    except (SahelwatchError, LookupError, ValueError):
        return iso3
