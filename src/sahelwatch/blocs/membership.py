"""Membership month by month: which states count for a bloc in which month.

Two rules, and every table says which one it used (column ``rule``):

``dynamic`` (default)
    A state counts for a month if it was a member of the bloc **on the 15th of
    that month** (a suspended member still counts; the ``suspended`` column
    says so). The 15th is the middle of every month, so a state counts for a
    month exactly when it was a member for the larger part of it, give or take
    a day; AES (charter 16 Sep 2023) counts from October 2023, and Mali, Burkina
    Faso and Niger count for ECOWAS up to January 2025 (they left on 29 Jan 2025).
``on:YYYY-MM-DD``
    A fixed member list, as of that day, applied to every month: for
    counterfactual comparisons ("today's ECOWAS, back in 2020").
"""

from __future__ import annotations

import datetime as dt

from sahelwatch.domain.errors import UsageError

from .dates import as_day, as_month, month_range

#: Day of the month on which membership is read under the ``dynamic`` rule.
MONTH_DAY = 15


def parse_rule(rule: str) -> tuple[str, dt.date | None]:
    """``"dynamic"`` -> ("dynamic", None); ``"on:2025-06-01"`` -> ("on", date)."""
    r = (rule or "dynamic").strip()
    if r == "dynamic":
        return "dynamic", None
    if r.startswith("on:"):
        return "on", as_day(r[3:], name="membership rule date")
    raise UsageError(f"unknown membership rule {rule!r}", choices=["dynamic", "on:YYYY-MM-DD"])


def describe_rule(rule: str) -> str:
    """The rule in one sentence, for outputs."""
    kind, day = parse_rule(rule)
    if kind == "dynamic":
        return (
            f"membership rule 'dynamic': a state counts for a month if it was a member on the "
            f"{MONTH_DAY}th of that month (suspended members count)"
        )
    return (
        f"membership rule 'on:{day.isoformat()}': the member list of {day.isoformat()} is applied "
        f"to every month (a counterfactual, fixed membership)"
    )


def membership_months(registry, bloc: str, start, end, rule: str = "dynamic"):
    """A Polars frame ``[bloc, month, country_iso3, member, suspended, rule]``: one row
    per month (first day) from ``start`` to ``end`` and per state that was ever a
    member of ``bloc``."""
    import polars as pl

    kind, fixed = parse_rule(rule)
    org = registry.organisation(bloc)
    months = month_range(as_month(start, name="start"), as_month(end, name="end"))
    if not months:
        raise UsageError(f"empty month range: {start} .. {end}")
    rule_id = "dynamic" if kind == "dynamic" else f"on:{fixed.isoformat()}"
    rows: dict[str, list] = {k: [] for k in ("bloc", "month", "country_iso3", "member", "suspended", "rule")}
    for iso3 in registry.ever_members(org.id):
        fixed_status = registry.status(org.id, iso3, fixed) if fixed else None
        for m in months:
            st = fixed_status or registry.status(org.id, iso3, m.replace(day=MONTH_DAY))
            rows["bloc"].append(org.id)
            rows["month"].append(m)
            rows["country_iso3"].append(iso3)
            rows["member"].append(bool(st and st.member))
            rows["suspended"].append(bool(st and st.suspended))
            rows["rule"].append(rule_id)
    schema = {
        "bloc": pl.String, "month": pl.Date, "country_iso3": pl.String,
        "member": pl.Boolean, "suspended": pl.Boolean, "rule": pl.String,
    }
    return pl.DataFrame(rows, schema=schema).sort("month", "country_iso3")


__all__ = ["MONTH_DAY", "parse_rule", "describe_rule", "membership_months"]
