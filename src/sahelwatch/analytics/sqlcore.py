"""The cube's SQL: portable text over a view ``events`` and a few helper tables.

Everything here is string building — no connection, no I/O. The queries use
ANSI-ish SQL that sqlglot transpiles from DuckDB to Spark/Trino/BigQuery
(``tests/analytics/test_cube_sql.py`` transpiles them to Spark): ``DATE_TRUNC``,
``CAST``, ``INTERVAL n DAY``, ``CASE``, ``COUNT(DISTINCT)``, ``UNION ALL``,
``IS NOT DISTINCT FROM`` and named parameters (``$name``, DuckDB's spelling,
which sqlglot rewrites). DuckDB-only syntax is kept out; the only engine-specific
piece is the ``events`` view itself, which the caller provides.

Helper tables the caller registers when a query needs them (names below):

- ``sw_bloc_months(bloc, country_iso3, month)`` — member states month by month;
- ``sw_bloc_filter(country_iso3, month)`` — the same, distinct over blocs (a filter);
- ``sw_admin(country_key, latitude, longitude, admin1_code, admin1_name, admin2_code, admin2_name,
  admin_match)`` — (``country_key``: the stated ISO3, '' when none) admin units of each distinct place (point-in-polygon depends only on the
  coordinates and the stated country, so a lookup by place replaces a per-event join);
- ``sw_spread(event_key, priogrid_gid, admin1_code, admin1_name, admin2_code, admin2_name, weight)``
  — precision ``spread``: each event's shares;
- ``sw_h3(latitude, longitude, h3_cell)`` — H3 cell of each distinct coordinate pair.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .periods import month_sql, period_start_sql

UNITS = ("country", "admin1", "admin2", "priogrid", "h3", "bloc")
MEASURES = ("events", "fatalities_best", "fatalities_low", "fatalities_high", "civilian_fatalities", "actors")
ADDITIVE = MEASURES[:-1]
BREAKDOWNS = ("category", "sub_event_type", "type_of_violence", "actor", "interaction", "source")

ADMIN = "sw_admin"
ROLLUP = "events_rollup"
ROLLUP_ADMIN = "events_rollup_admin"
ROLLUP_CELL = "events_rollup_cell"
#: Periods a per-month rollup can answer (days and weeks need days).
MONTHLY_PERIODS = ("month", "quarter", "year")
ROLLUP_BREAKDOWNS = ("category", "source")
BLOC_MONTHS = "sw_bloc_months"
BLOC_FILTER = "sw_bloc_filter"
SPREAD = "sw_spread"
H3 = "sw_h3"

#: Key columns of each unit, in output order (``country_iso3`` first for sub-national units).
UNIT_KEYS = {
    "country": ("country_iso3",),
    "admin1": ("country_iso3", "admin1_code", "admin1_name"),
    "admin2": ("country_iso3", "admin1_code", "admin1_name", "admin2_code", "admin2_name"),
    "priogrid": ("country_iso3", "priogrid_gid"),
    "h3": ("country_iso3", "h3_cell"),
    "bloc": ("bloc",),
}

#: Actors the ``actors`` measure does not count: unorganised, unnamed groups
#: (ACLED's civilians, protesters and rioters; UCDP's "Civilians" side of one-sided violence).
GENERIC_ACTOR_PREFIXES = ("Civilians", "Protesters", "Rioters")

CIVILIAN = "(e.civilian_targeting OR e.type_of_violence = 3)"
# Plain equalities (a hash join); '' stands for "no stated country".
ADMIN_ON = ("a.latitude = e.latitude AND a.longitude = e.longitude "
            "AND a.country_key = COALESCE(e.country_iso3, '')")


@dataclass(frozen=True)
class CubeSpec:
    """A validated aggregation request (build it with ``cube.make_spec``)."""

    unit: str = "country"
    period: str = "month"
    measures: tuple[str, ...] = ("events", "fatalities_best")
    breakdown: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    blocs: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    sources: tuple[str, ...] = ()
    precision: str = "as-coded"
    membership: str = "dynamic"
    complete: bool = False
    h3_resolution: int = 5
    #: countries the bloc join can ever match: pushed into the scan as an IN list
    bloc_countries: tuple[str, ...] = ()
    #: sources the store holds (as of the snapshot asked); empty when unknown
    store_sources: tuple[str, ...] = ()
    #: first and last day a bloc had members (pushed into the scan)
    bloc_from: dt.date | None = None
    bloc_to: dt.date | None = None
    #: read the per-day rollup (``events_rollup``) instead of the events
    rolled: bool = False
    #: harmonised categories to keep (empty: all)
    categories: tuple[str, ...] = ()
    #: keep events where actor1 or actor2 is one of these names (empty: all)
    actors: tuple[str, ...] = ()

    @property
    def spread(self) -> bool:
        return self.precision == "spread" and self.unit in ("priogrid", "admin1", "admin2")

    @property
    def weighted(self) -> bool:
        return self.spread

    @property
    def rollup_eligible(self) -> bool:
        """Answerable from a per-day rollup: country, bloc or admin units, additive measures,
        breakdowns the rollup keeps (at country level ``spread`` equals ``as-coded``; admin
        units under ``spread`` need every event's shares)."""
        if "actors" in self.measures or self.actors or not set(self.breakdown) <= set(ROLLUP_BREAKDOWNS) or self.spread:
            return False
        if self.unit == "priogrid":
            # the cell rollup is per month: only month-aligned questions, and no bloc
            # (bloc date bounds may fall mid-month)
            return (self.period in MONTHLY_PERIODS and not self.blocs
                    and (self.start is None or self.start.day == 1)
                    and (self.end is None or (self.end + dt.timedelta(days=1)).day == 1))
        return self.unit in ("country", "bloc", "admin1", "admin2")

    @property
    def rollup_view(self) -> str:
        if self.unit == "priogrid":
            return ROLLUP_CELL
        return ROLLUP_ADMIN if self.unit in ("admin1", "admin2") else ROLLUP

    @property
    def needs_admin(self) -> bool:
        return self.unit in ("admin1", "admin2") or self.spread


def _unit_exprs(spec: CubeSpec) -> list[tuple[str, str]]:
    """(SQL expression, output name) of the unit's key columns."""
    src = "s" if spec.spread else ("e" if spec.rolled else "a")
    u = spec.unit
    if u == "bloc":
        return [("b.bloc", "bloc")]
    out = [("e.country_iso3", "country_iso3")]
    if u in ("admin1", "admin2"):
        out += [(f"{src}.admin1_code", "admin1_code"), (f"{src}.admin1_name", "admin1_name")]
    if u == "admin2":
        out += [(f"{src}.admin2_code", "admin2_code"), (f"{src}.admin2_name", "admin2_name")]
    if u == "priogrid":
        out.append(("s.priogrid_gid" if spec.spread else "e.priogrid_gid", "priogrid_gid"))
    if u == "h3":
        out.append(("h.h3_cell", "h3_cell"))
    return out


def _breakdown_exprs(spec: CubeSpec, actor_col: str | None) -> list[tuple[str, str]]:
    out = []
    for b in spec.breakdown:
        if b == "actor":
            out.append((actor_col or "NULL", "actor"))
        else:
            out.append((f"e.{b}", b))
    return out


def _membership_month(spec: CubeSpec) -> str:
    # Weeks straddle months: the week's first day decides, so a week is wholly in or out.
    if spec.period in ("week", "acled-week"):
        return month_sql(period_start_sql("e.date_start", spec.period))
    return month_sql("e.date_start")


def where_clause(spec: CubeSpec) -> tuple[str, dict]:
    """Filters on the ``events`` view (alias ``e``) and their parameters."""
    clauses, params = [], {}

    def in_list(col: str, name: str, values) -> None:
        names = [f"{name}{i}" for i in range(len(values))]
        params.update(zip(names, values))
        clauses.append(f"{col} IN ({', '.join('$' + n for n in names)})")

    if spec.countries:
        in_list("e.country_iso3", "country", spec.countries)
    if spec.bloc_countries:
        # Redundant with the membership join, but lets the scan skip other countries' row groups.
        in_list("e.country_iso3", "member", spec.bloc_countries)
    if spec.start:
        clauses.append("e.date_start >= $start")
        params["start"] = spec.start
    if spec.end:
        clauses.append("e.date_start <= $end")
        params["end"] = spec.end
    if spec.bloc_from:
        clauses.append("e.date_start >= $bloc_from")
        params["bloc_from"] = spec.bloc_from
    if spec.bloc_to:
        clauses.append("e.date_start <= $bloc_to")
        params["bloc_to"] = spec.bloc_to
    if spec.sources:
        in_list("e.source", "source", spec.sources)
    if spec.categories:
        in_list("e.category", "category", spec.categories)
    if spec.actors:
        names = [f"actor{i}" for i in range(len(spec.actors))]
        params.update(zip(names, spec.actors))
        values = ", ".join("$" + n for n in names)
        clauses.append(f"(e.actor1 IN ({values}) OR e.actor2 IN ({values}))")
    if spec.precision == "exact":
        clauses.append("e.is_exact" if spec.rolled else "e.geo_precision = 'exact'")
    return (" AND ".join(clauses) or "TRUE"), params


def _joins(spec: CubeSpec, bloc_join: bool = True) -> str:
    joins = []
    mm = _membership_month(spec)
    if bloc_join and spec.unit == "bloc":
        joins.append(f"JOIN {BLOC_MONTHS} b ON b.country_iso3 = e.country_iso3 AND b.month = {mm}")
    elif bloc_join and spec.blocs:
        joins.append(f"JOIN {BLOC_FILTER} bf ON bf.country_iso3 = e.country_iso3 AND bf.month = {mm}")
    if spec.needs_admin and not spec.spread and not spec.rolled:
        joins.append(f"LEFT JOIN {ADMIN} a ON {ADMIN_ON}")
    if spec.spread:
        joins.append(f"LEFT JOIN {SPREAD} s ON s.event_key = e.event_key")
    if spec.unit == "h3":
        joins.append(f"LEFT JOIN {H3} h ON h.latitude = e.latitude AND h.longitude = e.longitude")
    return " ".join(joins)


def _inner(spec: CubeSpec, columns: list[tuple[str, str]], actor: str | None, extra_where: str = "",
           bloc_join: bool = True) -> str:
    where, _ = where_clause(spec)
    if extra_where:
        where = f"{where} AND {extra_where}"
    cols = ", ".join(f"{expr} AS {name}" for expr, name in columns)
    return f"SELECT {cols} FROM {spec.rollup_view if spec.rolled else 'events'} e {_joins(spec, bloc_join)} WHERE {where}"


def _rows(spec: CubeSpec, columns_for, bloc_join: bool = True) -> str:
    """The row set feeding the aggregation: one row per event (per event-share under
    ``spread``), or per (event, actor) when broken down by actor."""
    if "actor" not in spec.breakdown:
        return _inner(spec, columns_for(None), None, bloc_join=bloc_join)
    first = _inner(spec, columns_for("e.actor1"), "e.actor1", "e.actor1 IS NOT NULL", bloc_join)
    # An event counts once for each *distinct* actor: actor2 equal to actor1 adds nothing.
    second = _inner(spec, columns_for("e.actor2"), "e.actor2",
                    "e.actor2 IS NOT NULL AND (e.actor1 IS NULL OR e.actor2 <> e.actor1)", bloc_join)
    return f"{first} UNION ALL {second}"


def membership_keys(spec: CubeSpec) -> list[tuple[str, str]]:
    """Extra grouping keys under which bloc membership is applied *after* aggregating:
    membership depends only on (country, month), so additive measures can be grouped by
    those first and filtered on a few hundred rows instead of joining every event."""
    if not spec.blocs:
        return []
    out = [] if spec.unit != "bloc" else [("e.country_iso3", "country_iso3")]
    return out + [(_membership_month(spec), "member_month")]


def key_names(spec: CubeSpec, *, by_source: bool, deferred_membership: bool = False) -> list[str]:
    names = [n for _, n in _unit_exprs(spec)] + ["period_start"] + list(spec.breakdown)
    if by_source and "source" not in spec.breakdown:
        names.append("source")
    if deferred_membership:
        names = [n for n in names if n != "bloc"] + [n for _, n in membership_keys(spec)]
    return names


def _key_exprs(spec: CubeSpec, actor: str | None, by_source: bool,
               deferred_membership: bool = False) -> list[tuple[str, str]]:
    cols = _unit_exprs(spec) + [(period_start_sql("e.date_start", spec.period), "period_start")]
    cols += _breakdown_exprs(spec, actor)
    if by_source and "source" not in spec.breakdown:
        cols.append(("e.source", "source"))
    if deferred_membership:
        cols = [c for c in cols if c[1] != "bloc"] + membership_keys(spec)
    return cols


def measures_sql(spec: CubeSpec, *, by_source: bool = True) -> tuple[str, dict]:
    """Additive measures grouped by unit, period, breakdown (and source, kept apart so the
    caller can see which sources the selection holds before adding them up). With blocs the
    rows are also grouped by country and membership month (``member_month``) and the caller
    applies membership to them (see :func:`membership_keys`)."""
    measures = [m for m in spec.measures if m in ADDITIVE] or ["events"]
    w = " * s_weight" if spec.weighted else ""
    deferred = bool(spec.blocs)

    def columns_for(actor):
        cols = _key_exprs(spec, actor, by_source, deferred)
        if spec.weighted:
            cols.append(("COALESCE(s.weight, 1.0)", "s_weight"))
        for m in measures:
            if spec.rolled:
                cols.append((f"e.{'n_events' if m == 'events' else m}", m))
            elif m.startswith("fatalities_"):
                cols.append((f"e.{m}", m))
            elif m == "civilian_fatalities":
                cols.append((f"CASE WHEN {CIVILIAN} THEN e.fatalities_best ELSE 0 END", m))
        return cols

    keys = key_names(spec, by_source=by_source, deferred_membership=deferred)
    aggs = []
    for m in measures:
        if m == "events" and not spec.rolled:
            aggs.append(("SUM(s_weight)" if spec.weighted else "COUNT(*)") + " AS events")
        else:
            aggs.append(f"SUM({m}{w}) AS {m}")
    _, params = where_clause(spec)
    sql = (f"SELECT {', '.join(keys)}, {', '.join(aggs)} FROM ({_rows(spec, columns_for, not deferred)}) r "
           f"GROUP BY {', '.join(keys)}")
    return sql, params


def actors_sql(spec: CubeSpec) -> tuple[str, dict]:
    """Distinct named actors (actor1 or actor2, generic ones excluded) per unit, period, breakdown."""
    keys = key_names(spec, by_source=False)

    def part(actor_col: str, extra: str) -> str:
        cols = _key_exprs(spec, actor_col if "actor" in spec.breakdown else None, False)
        cols.append((actor_col, "actor_name"))
        return _inner(spec, cols, actor_col, extra)

    generic = " AND ".join(f"actor_name NOT LIKE '{p}%'" for p in GENERIC_ACTOR_PREFIXES)
    rows = f"{part('e.actor1', 'e.actor1 IS NOT NULL')} UNION ALL {part('e.actor2', 'e.actor2 IS NOT NULL')}"
    _, params = where_clause(spec)
    sql = (f"SELECT {', '.join(keys)}, COUNT(DISTINCT actor_name) AS actors FROM ({rows}) r "
           f"WHERE {generic} GROUP BY {', '.join(keys)}")
    return sql, params


def coverage_sql(sources: tuple[str, ...] = (), table: str = "events") -> tuple[str, dict]:
    """First and last event date per source (over the whole store; ``table``: ``events`` or
    the rollup, which gives the same dates)."""
    params = {f"source{i}": s for i, s in enumerate(sources)}
    where = f"WHERE e.source IN ({', '.join('$' + n for n in params)})" if sources else ""
    return (f"SELECT e.source AS source, MIN(e.date_start) AS first_date, MAX(e.date_start) AS last_date "
            f"FROM {table} e {where} GROUP BY e.source"), params


def distinct_coords_sql(spec: CubeSpec) -> tuple[str, dict]:
    """Distinct coordinates of the selection (to compute H3 cells once per place)."""
    where, params = where_clause(spec)
    return (f"SELECT DISTINCT e.latitude AS latitude, e.longitude AS longitude FROM events e "
            f"WHERE {where} AND e.latitude IS NOT NULL AND e.longitude IS NOT NULL"), params


def spread_input_sql(spec: CubeSpec) -> tuple[str, dict]:
    """What ``places.spread_weights`` needs, for the selection (admin units from ``sw_admin``)."""
    where, params = where_clause(spec)
    return ("SELECT e.event_key AS event_key, e.latitude AS latitude, e.longitude AS longitude, "
            "e.geo_precision AS geo_precision, e.country_iso3 AS country_iso3, e.priogrid_gid AS priogrid_gid, "
            "a.admin1_code AS admin1_code, a.admin1_name AS admin1_name, "
            "a.admin2_code AS admin2_code, a.admin2_name AS admin2_name, "
            "CASE WHEN a.admin_match = 'outside_country' THEN NULL ELSE e.country_iso3 END AS admin_iso3 "
            f"FROM events e LEFT JOIN {ADMIN} a ON {ADMIN_ON} WHERE {where}"), params


def rollup_sql(admin: bool = False, cell: bool = False) -> str:
    """The per-day rollup of the ``events`` view: additive measures by source, country, day,
    category and whether the event is located exactly (and, with ``admin``, admin1/admin2 from
    ``sw_admin``). Country, bloc and admin aggregates read it instead of every event (far fewer
    rows); the caller caches it per snapshot, since a snapshot never changes.

    With ``cell``: per PRIO-GRID cell and *month* (``date_start`` is then the month's first
    day): cells x days would be nearly as many rows as events."""
    day = month_sql("e.date_start") if cell else "e.date_start"
    keys = ["e.source", "e.country_iso3", day, "e.category", "(e.geo_precision = 'exact')"]
    names = ["source", "country_iso3", "date_start", "category", "is_exact"]
    if cell:
        keys.append("e.priogrid_gid")
        names.append("priogrid_gid")
    join = ""
    if admin:
        keys += ["a.admin1_code", "a.admin1_name", "a.admin2_code", "a.admin2_name"]
        names += ["admin1_code", "admin1_name", "admin2_code", "admin2_name"]
        join = f" LEFT JOIN {ADMIN} a ON {ADMIN_ON}"
    cols = ", ".join(f"{k} AS {n}" for k, n in zip(keys, names))
    return (f"SELECT {cols}, COUNT(*) AS n_events, "
            "SUM(e.fatalities_best) AS fatalities_best, SUM(e.fatalities_low) AS fatalities_low, "
            "SUM(e.fatalities_high) AS fatalities_high, "
            f"SUM(CASE WHEN {CIVILIAN} THEN e.fatalities_best ELSE 0 END) AS civilian_fatalities "
            f"FROM events e{join} GROUP BY {', '.join(keys)}")


def places_sql() -> str:
    """Distinct places (stated country and coordinates) of the whole ``events`` view."""
    return ("SELECT DISTINCT e.country_iso3 AS country_iso3, e.latitude AS latitude, e.longitude AS longitude "
            "FROM events e WHERE e.latitude IS NOT NULL AND e.longitude IS NOT NULL")


def core_queries(spec: CubeSpec) -> list[str]:
    """Every query text the cube would run for ``spec`` (for the portability test)."""
    out = [measures_sql(spec)[0], coverage_sql(spec.sources)[0], rollup_sql(), rollup_sql(admin=True),
           rollup_sql(cell=True)]
    if spec.rollup_eligible:
        from dataclasses import replace

        out.append(measures_sql(replace(spec, rolled=True))[0])
    if "actors" in spec.measures:
        out.append(actors_sql(spec)[0])
    if spec.unit == "h3":
        out.append(distinct_coords_sql(spec)[0])
    if spec.spread:
        out.append(spread_input_sql(spec)[0])
    if spec.needs_admin:
        out.append(places_sql())
    return out


__all__ = [
    "ADDITIVE",
    "BREAKDOWNS",
    "GENERIC_ACTOR_PREFIXES",
    "MEASURES",
    "UNITS",
    "UNIT_KEYS",
    "CubeSpec",
    "actors_sql",
    "core_queries",
    "coverage_sql",
    "distinct_coords_sql",
    "key_names",
    "measures_sql",
    "membership_keys",
    "places_sql",
    "rollup_sql",
    "spread_input_sql",
    "where_clause",
]
