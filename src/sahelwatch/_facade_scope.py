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
        """(iso3, first day, last day) for every run of consecutive member months."""
        import calendar

        from .blocs.membership import membership_months

        reg = self.blocs
        out = []
        for b in blocs:
            org = reg.organisation(b)
            opens = [reg.interval(org, m)[0] for m in org.members]
            first = start or min(opens, default=dt.date.today())
            last = end or dt.date.today()
            if first > last:
                continue
            mm = membership_months(reg, org.id, first, last, rule)
            for iso3 in sorted(set(mm["country_iso3"].to_list())):
                months = mm.filter((mm["country_iso3"] == iso3) & mm["member"])["month"].to_list()
                run = []
                for m in months + [None]:
                    if run and (m is None or (m.year * 12 + m.month) - (run[-1].year * 12 + run[-1].month) != 1):
                        hi = run[-1]  # the event filter's own from/to still bound the dates
                        out.append((iso3, run[0], hi.replace(day=calendar.monthrange(hi.year, hi.month)[1])))
                        run = []
                    if m is not None:
                        run.append(m)
        return tuple(sorted(set(out)))

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
