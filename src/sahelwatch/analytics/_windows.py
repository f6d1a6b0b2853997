"""Sums of daily counts over date windows, for many groups and many windows at once.

The alerts ask the same question thousands of times ("how many events did unit u have
between day a and day b?") for every unit and every issue date of a backtest. Daily
counts are sorted by (group, day) once, with a running total; a window sum is then two
binary searches — no dense unit x day matrix, so 2,000 admin2 units over ten years cost
what their events cost.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

EPOCH = dt.date(1970, 1, 1)


def day_number(d) -> np.ndarray:
    """Dates (date, datetime64 or arrays of them) as int64 days since 1970-01-01."""
    return np.asarray(d, dtype="datetime64[D]").astype(np.int64)


def to_date(n: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(n))


class WindowCounts:
    """``sum(group, first_day, last_day)`` over daily counts, vectorised and inclusive."""

    def __init__(self, groups: np.ndarray, days: np.ndarray, counts: np.ndarray):
        groups = np.asarray(groups, dtype=np.int64)
        days = np.asarray(days, dtype=np.int64)
        counts = np.asarray(counts, dtype=np.int64)
        if days.size:
            self._d0 = int(days.min()) - 1  # slot 0 never holds data: windows clipped to it are empty
            self._span = int(days.max()) - self._d0 + 2
        else:
            self._d0, self._span = 0, 2
        order = np.lexsort((days, groups))
        self._key = groups[order] * self._span + (days[order] - self._d0)
        self._cum = np.concatenate([[0], np.cumsum(counts[order])])

    def sum(self, group, first, last) -> np.ndarray:
        """Counts summed over ``first..last`` (day numbers, inclusive); arrays broadcast."""
        group = np.asarray(group, dtype=np.int64)
        a = np.clip(np.asarray(first, dtype=np.int64) - self._d0, 0, self._span - 1)
        b = np.clip(np.asarray(last, dtype=np.int64) - self._d0, 0, self._span - 1)
        lo = np.searchsorted(self._key, group * self._span + a, side="left")
        hi = np.searchsorted(self._key, group * self._span + b, side="right")
        return np.where(b >= a, self._cum[hi] - self._cum[lo], 0)


def week_end(days: np.ndarray) -> np.ndarray:
    """The last Friday on or before each day: the end of the last complete ACLED week
    (Saturday to Friday). 1970-01-01 was a Thursday, so Friday is ``n % 7 == 1``."""
    days = np.asarray(days, dtype=np.int64)
    return days - ((days - 1) % 7)


def month_start(days: np.ndarray, shift: int = 0) -> np.ndarray:
    """First day of each day's month, moved by ``shift`` months."""
    m = np.asarray(days, dtype="datetime64[D]").astype("datetime64[M]") + shift
    return m.astype("datetime64[D]").astype(np.int64)


def last_complete_month(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(first, last)`` day of the last calendar month ending on or before each day."""
    days = np.asarray(days, dtype=np.int64)
    ends_month = month_start(days + 1) == days + 1
    this = month_start(days)
    first = np.where(ends_month, this, month_start(days, -1))
    last = np.where(ends_month, days, this - 1)
    return first, last
