"""Dates known to the day, the month or the year, and how they meet a calendar day.

The registry keeps a date at the precision its source gives: ``2023-09-16``
(day), ``2024-07`` (month) or ``1977`` (year). Nothing is invented to fill the
gap. Where such a date has to be compared with a calendar day, one rule holds
everywhere (the *widest-interval rule*):

* an imprecise date that **opens** a state (joined, suspension ``from``, a
  force's deployment, a milestone reached) counts from the **first day** of its
  period: ``2024-07`` opens on 2024-07-01;
* an imprecise date that **closes** a state (left, suspension ``to``, a force's
  departure) counts as the **end** of its period: a state that ``left: 2000-12``
  is still a member on 2000-12-31 and no longer on 2001-01-01.

Intervals are half-open ``[opens, closes)``: a day-precision ``left:
2025-01-29`` means the last day of membership was 2025-01-28, as the ECOWAS
treaty (art. 91) words it ("cease to be members on 29 January 2025").

A query day that falls inside the period of an imprecise boundary is
*uncertain*; query results expose that (``boundary_uncertain``) together with
the precision, so users see what is known and what is assumed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Precision = Literal["day", "month", "year"]
PRECISIONS: tuple[str, ...] = ("day", "month", "year")

_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class FuzzyDate:
    """A calendar date known to ``precision``; ``value`` is the period's first day."""

    value: dt.date
    precision: Precision = "day"

    # -- construction -------------------------------------------------------
    @classmethod
    def parse(cls, raw: object) -> FuzzyDate:
        """Parse ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` (str, int or ``date``)."""
        if isinstance(raw, FuzzyDate):
            return raw
        if isinstance(raw, dt.datetime):
            return cls(raw.date(), "day")
        if isinstance(raw, dt.date):
            return cls(raw, "day")
        if isinstance(raw, bool):
            raise ValueError(f"not a date: {raw!r}")
        if isinstance(raw, int):
            raw = str(raw)
        if not isinstance(raw, str):
            raise ValueError(f"not a date: {raw!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
        s = raw.strip()
        try:
            if _YEAR.match(s):
                return cls(dt.date(int(s), 1, 1), "year")
            m = _MONTH.match(s)
            if m:
                return cls(dt.date(int(m[1]), int(m[2]), 1), "month")
            return cls(dt.date.fromisoformat(s), "day")
        except ValueError:
            raise ValueError(
                f"not a date: {raw!r} (use YYYY-MM-DD, YYYY-MM or YYYY)"
            ) from None

    # -- the period ---------------------------------------------------------
    @property
    def first_day(self) -> dt.date:
        return self.value

    @property
    def last_day(self) -> dt.date:
        v = self.value
        if self.precision == "day":
            return v
        if self.precision == "month":
            return v.replace(day=calendar.monthrange(v.year, v.month)[1])
        return dt.date(v.year, 12, 31)

    @property
    def opens(self) -> dt.date:
        """First day on which a state opened by this date holds."""
        return self.first_day

    @property
    def closes(self) -> dt.date:
        """First day on which a state closed by this date no longer holds."""
        if self.precision == "day":
            return self.value
        return self.last_day + dt.timedelta(days=1)

    def contains(self, day: dt.date) -> bool:
        """True if ``day`` falls in this date's period (always exact for days)."""
        return self.first_day <= day <= self.last_day

    def uncertain_on(self, day: dt.date) -> bool:
        """True if ``day`` is inside the period of an imprecise date."""
        return self.precision != "day" and self.contains(day)

    def __str__(self) -> str:
        if self.precision == "year":
            return f"{self.value.year:04d}"
        if self.precision == "month":
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()


def as_day(raw: object, *, name: str = "date") -> dt.date:
    """A query date: a ``date`` or an ISO string; imprecise strings are refused."""
    from sahelwatch.domain.errors import UsageError

    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise UsageError(f"{name} must be a day as YYYY-MM-DD, got {raw!r}") from None


def as_month(raw: object, *, name: str = "month") -> dt.date:
    """First day of the month of ``raw`` (a date, ``YYYY-MM`` or ``YYYY-MM-DD``)."""
    from sahelwatch.domain.errors import UsageError

    if isinstance(raw, dt.date):
        return dt.date(raw.year, raw.month, 1)
    try:
        d = FuzzyDate.parse(raw)
    except ValueError:
        raise UsageError(f"{name} must be YYYY-MM or YYYY-MM-DD, got {raw!r}") from None
    return dt.date(d.value.year, d.value.month, 1)


def add_months(month: dt.date, n: int) -> dt.date:
    """First day of the month ``n`` months after ``month`` (negative ``n`` goes back)."""
    k = month.year * 12 + (month.month - 1) + n
    return dt.date(k // 12, k % 12 + 1, 1)


def month_range(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of every month from ``start``'s month to ``end``'s, inclusive."""
    first, last = as_month(start), as_month(end)
    out = []
    m = first
    while m <= last:
        out.append(m)
        m = add_months(m, 1)
    return out


def months_between(a: dt.date, b: dt.date) -> int:
    """Whole months from ``a``'s month to ``b``'s month."""
    return (b.year - a.year) * 12 + (b.month - a.month)


__all__ = [
    "FuzzyDate",
    "Precision",
    "PRECISIONS",
    "as_day",
    "as_month",
    "add_months",
    "month_range",
    "months_between",
]
