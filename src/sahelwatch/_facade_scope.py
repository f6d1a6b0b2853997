"""Event filters that need more than the store: a bloc's membership over time, an admin
area from the boundaries. The event listing (``events``, ``events_page``) and the
aggregates then count the same events for a bloc or an admin area.

A bloc becomes the spans in which each state counted for it, month by month, under the
same membership rule as the aggregates (``dynamic``: a member on the 15th of the month;
``on:YYYY-MM-DD``: a fixed member list). An admin1 code becomes the places (stated
country, latitude, longitude) that the point-in-polygon lookup puts in that unit, the
lookup the admin-level aggregates read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from .domain.args import split_list
from .domain.errors import UsageError


class ScopeMixin:
    def _scoped(self, flt, *, bloc=None, membership=None, admin1=None, snaps=None):
        if bloc:
            flt = replace(flt, spans=self._bloc_spans(split_list(bloc), membership or "dynamic", flt.start, flt.end))
        elif membership:
            raise UsageError("membership applies to a bloc filter: give bloc= too")
        if admin1:
            flt = self._admin1_filter(flt, str(admin1).strip(), snaps)
        return flt

    def _bloc_spans(self, blocs, rule: str, start, end) -> tuple:
        """(iso3, first day, last day) for every run of months in which a state counted for
        the bloc: under ``dynamic`` a month counts when its 15th falls inside a membership
        interval [joined, left); under ``on:DAY`` every month counts for the members of DAY.
        Read from the intervals, not month by month (ECOWAS since 1975 is 600 months of 15
        states); a test holds it to the month-by-month table of the aggregates."""
        from .blocs.membership import MONTH_DAY, parse_rule

        reg = self.blocs
        kind, fixed = parse_rule(rule)
        lo, hi = start or dt.date(1900, 1, 1), end or dt.date.today()
        out = set()
        if lo > hi:
            return ()
        for b in blocs:
            org = reg.organisation(b)
            if fixed is not None:
                for iso3 in reg.ever_members(org.id):
                    st = reg.status(org.id, iso3, fixed)
                    if st and st.member:
                        out.add((iso3, _month_start(lo), _month_end(hi)))
                continue
            for m in org.members:
                opens, closes, _ = reg.interval(org, m)
                first = _month_start(opens) if opens.day <= MONTH_DAY else _next_month(opens)
                if closes is None:
                    last = _month_end(hi)
                else:
                    last = _month_end(closes) if closes.day > MONTH_DAY else _month_start(closes) - dt.timedelta(days=1)
                first, last = max(first, _month_start(lo)), min(last, _month_end(hi))
                if first <= last:
                    out.add((m.iso3, first, last))
        return tuple(sorted(out))

    def _admin1_filter(self, flt, code: str, snaps):
        from .places import BoundarySet

        bset = BoundarySet.load(self.home)
        country = next((c for c in bset.countries(level=1) if code in bset.layer(c, 1).codes), None)
        if country is None:
            raise UsageError(f"unknown admin1 code {code!r} (codes: /api/v1/places/admin?level=1, "
                             "or sahelwatch places admin COUNTRY --level 1)")
        snaps = self.snapshots() if snaps is None else snaps
        if not snaps:
            return replace(flt, spans=())  # an empty store: nothing to look up, nothing matches
        con = self._cube_connection(snaps, flt.as_of)
        try:
            path = self._cube_admin(con, snaps, flt.as_of, bset)
        finally:
            con.close()
        return replace(flt, country=flt.country or (country,), admin1=(str(path), code))


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(day: dt.date) -> dt.date:
    import calendar

    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _next_month(day: dt.date) -> dt.date:
    return _month_end(day) + dt.timedelta(days=1)
