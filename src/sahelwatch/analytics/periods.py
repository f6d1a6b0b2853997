"""Time periods of the cube: bucketing in portable SQL, labels, ranges, completeness.

Conventions (also in ``docs/analytics-cube.md``):

``day``
    the event's ``date_start``.
``week``
    ISO 8601 week: Monday to Sunday; label ``2023-W41`` (ISO year and week, so the
    days 2024-12-30..2025-01-05 are ``2025-W01``).
``acled-week``
    ACLED's week: Saturday to Friday (ACLED's weekly updates and dashboards count weeks
    from Saturday); label = the Saturday, ``2023-10-07``.
``month``, ``quarter``, ``year``
    calendar periods; labels ``2023-10``, ``2023-Q4``, ``2023``.

An event counts in the period of its ``date_start`` (events whose dates span
several days are not shared out). Every row carries ``period_start`` and
``period_end`` (inclusive) beside the label.

The SQL uses only ``DATE_TRUNC``, ``CAST`` and ``+/- INTERVAL n DAY`` — all of
which sqlglot transpiles to Spark, Trino and BigQuery. ACLED weeks are ISO
weeks shifted by two days: ``trunc_week(d + 2 days) - 2 days`` maps Saturday to
the Monday two days later, truncates, and moves back to that Saturday.
"""

from __future__ import annotations

import datetime as dt

from ..domain.errors import UsageError

PERIODS = ("day", "week", "acled-week", "month", "quarter", "year")

CONVENTIONS = {
    "day": "day: the event's date_start",
    "week": "week: ISO 8601 week, Monday to Sunday, labelled YYYY-Www (ISO year and week number)",
    "acled-week": "acled-week: ACLED's week, Saturday to Friday, labelled by its Saturday",
    "month": "month: calendar month, labelled YYYY-MM",
    "quarter": "quarter: calendar quarter, labelled YYYY-Qn",
    "year": "year: calendar year",
}

#: Periods per year, for "same period last year" and slope wording.
PER_YEAR = {"day": 365, "week": 52, "acled-week": 52, "month": 12, "quarter": 4, "year": 1}


def check_period(period: str) -> str:
    p = str(period or "").strip().lower().replace("_", "-")
    if p in ("acledweek", "acled"):
        p = "acled-week"
    if p in ("iso-week", "isoweek"):
        p = "week"
    if p not in PERIODS:
        raise UsageError(f"unknown period {period!r}", choices=list(PERIODS))
    return p


def period_start_sql(col: str, period: str) -> str:
    """Portable SQL: the first day (a DATE) of the period holding the date ``col``."""
    p = check_period(period)
    if p == "day":
        return f"CAST({col} AS DATE)"
    if p == "week":
        return f"CAST(DATE_TRUNC('week', {col}) AS DATE)"
    if p == "acled-week":
        return f"CAST(DATE_TRUNC('week', {col} + INTERVAL 2 DAY) - INTERVAL 2 DAY AS DATE)"
    return f"CAST(DATE_TRUNC('{p}', {col}) AS DATE)"


def month_sql(col: str) -> str:
    """Portable SQL: first day of the month of ``col``."""
    return f"CAST(DATE_TRUNC('month', {col}) AS DATE)"


# -- Python side: the same arithmetic, for ranges, labels and tests ---------------------------


def start_of(day: dt.date, period: str) -> dt.date:
    """First day of the period holding ``day``."""
    p = check_period(period)
    if p == "day":
        return day
    if p == "week":
        return day - dt.timedelta(days=day.weekday())
    if p == "acled-week":
        return day - dt.timedelta(days=(day.weekday() - 5) % 7)  # Saturday = weekday 5
    if p == "month":
        return day.replace(day=1)
    if p == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, 1, 1)


def _add_months(d: dt.date, n: int) -> dt.date:
    m = d.month - 1 + n
    return dt.date(d.year + m // 12, m % 12 + 1, 1)


def next_start(start: dt.date, period: str) -> dt.date:
    """First day of the period after the one starting on ``start``."""
    p = check_period(period)
    if p == "day":
        return start + dt.timedelta(days=1)
    if p in ("week", "acled-week"):
        return start + dt.timedelta(days=7)
    return _add_months(start, {"month": 1, "quarter": 3, "year": 12}[p])


def end_of(start: dt.date, period: str) -> dt.date:
    """Last day (inclusive) of the period starting on ``start``."""
    return next_start(start, period) - dt.timedelta(days=1)


def period_range(first: dt.date, last: dt.date, period: str) -> list[dt.date]:
    """Starts of every period from the one holding ``first`` to the one holding ``last``."""
    out: list[dt.date] = []
    s, stop = start_of(first, period), start_of(last, period)
    while s <= stop:
        out.append(s)
        s = next_start(s, period)
    return out


def label(start: dt.date, period: str) -> str:
    p = check_period(period)
    if p in ("day", "acled-week"):
        return start.isoformat()
    if p == "week":
        y, w, _ = start.isocalendar()
        return f"{y}-W{w:02d}"
    if p == "month":
        return f"{start.year}-{start.month:02d}"
    if p == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def same_period_last_year(start: dt.date, period: str) -> dt.date | None:
    """Start of the same period one year earlier (None for ``year``, or when it does not exist)."""
    p = check_period(period)
    if p == "year":
        return None
    if p in ("month", "quarter"):
        return _add_months(start, -12)
    if p == "week":
        y, w, _ = start.isocalendar()
        try:
            return dt.date.fromisocalendar(y - 1, w, 1)
        except ValueError:  # week 53 of a year whose predecessor has 52 weeks
            return None
    if p == "acled-week":
        return start - dt.timedelta(days=364)
    try:
        return start.replace(year=start.year - 1)
    except ValueError:  # 29 February
        return None


def label_frame(df, period: str, col: str = "period_start"):
    """Add ``period`` (label) and ``period_end`` columns to a Polars frame with ``period_start``."""
    import polars as pl

    p = check_period(period)
    starts = df[col].unique().drop_nulls().to_list()
    lab = pl.DataFrame(
        {col: starts, "period": [label(s, p) for s in starts], "period_end": [end_of(s, p) for s in starts]},
        schema={col: pl.Date, "period": pl.String, "period_end": pl.Date},
    )
    return df.join(lab, on=col, how="left", maintain_order="left")


__all__ = [
    "CONVENTIONS",
    "PERIODS",
    "PER_YEAR",
    "check_period",
    "end_of",
    "label",
    "label_frame",
    "month_sql",
    "next_start",
    "period_range",
    "period_start_sql",
    "same_period_last_year",
    "start_of",
]
