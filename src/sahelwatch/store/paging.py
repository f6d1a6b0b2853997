"""Events a page at a time: keyset paging over the current versions, with the total.

A page is ordered by one column and ``event_key`` (unique among current versions), and
the next page starts after the last row's (value, key): no OFFSET, so a deep page costs
what the first does, and a row is never shown twice or skipped while paging one snapshot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain.errors import UsageError
from . import duck, manifest, state
from .layout import Layout
from .query import EventFilter, check_as_of, closure_where, events_table

#: sort key -> (column, NULL stand-in so keyset comparisons are total)
SORTS = {"date_start": ("date_start", "DATE '0001-01-01'"), "fatalities_best": ("fatalities_best", "-1"),
         "country_iso3": ("country_iso3", "''")}
SORT_CHOICES = tuple(k for s in SORTS for k in (s, "-" + s))


@dataclass
class Page:
    table: object  # pyarrow.Table
    total: int
    by_source: dict[str, int]
    after: tuple | None  # (value, event_key) of the last row when more rows follow


def check_sort(sort: str) -> tuple[str, bool]:
    s = (sort or "date_start").strip()
    if s not in SORT_CHOICES:
        raise UsageError(f"unknown sort {sort!r}", choices=list(SORT_CHOICES))
    return s.lstrip("-"), s.startswith("-")


def _after_value(col: str, value):
    if value is None:
        return None
    if col == "date_start":
        return dt.date.fromisoformat(str(value))
    if col == "fatalities_best":
        return int(value)
    return str(value)


def page(layout: Layout, flt: EventFilter, *, sort: str = "date_start", limit: int = 100,
         after: tuple | None = None, snaps=None, by_source: dict[str, int] | None = None) -> Page:
    """One page of current events matching ``flt``; ``after`` is the previous page's ``Page.after``.
    ``by_source``: the counts an earlier page of the same filter and snapshot gave (they do
    not change while paging one snapshot), so the count query is not run again."""
    snaps = manifest.read_all(layout) if snaps is None else snaps
    check_as_of(snaps, flt.as_of)
    col, desc = check_sort(sort)
    if not 1 <= int(limit) <= 100_000:
        raise UsageError(f"page size {limit}: 1..100000")
    where, base = flt.where()
    params = dict(base)
    sql = state.versions_sql(layout, snaps, flt.as_of, where=where, closure_where=closure_where(flt))
    if sql is None:
        return Page(events_table(layout, flt, snaps), 0, {}, None)
    name, null = SORTS[col]
    key = f"COALESCE({name}, {null})"
    order = f"{key} {'DESC' if desc else 'ASC'}, event_key ASC"
    cond = "TRUE"
    if after is not None:
        try:
            value, last_key = _after_value(col, after[0]), str(after[1])
        except (TypeError, ValueError, IndexError) as err:
            raise UsageError("the cursor does not belong to this query") from err
        params["after_k"] = last_key
        v = null
        if value is not None:
            params["after_v"] = value
            v = "$after_v"
        cond = f"({key} {'<' if desc else '>'} {v} OR ({key} = {v} AND event_key > $after_k))"
    with duck.cursor() as con:
        counts = (list(by_source.items()) if by_source is not None else
                  con.sql(f"SELECT source, COUNT(*) FROM ({sql}) GROUP BY source", params=base).fetchall())
        q = f"SELECT * FROM ({sql}) WHERE {cond} ORDER BY {order} LIMIT {int(limit) + 1}"
        table = con.sql(q, params=params).to_arrow_table()
    more = table.num_rows > limit
    table = table.slice(0, limit)
    last = None
    if more:
        v = table.column(name)[limit - 1].as_py()
        last = (v.isoformat() if isinstance(v, dt.date) else v, table.column("event_key")[limit - 1].as_py())
    return Page(table, sum(n for _, n in counts), {s: n for s, n in counts}, last)

