"""What registry queries return: small pydantic models that carry their sources.

Every fact shown to a user travels with its :class:`Fact` (source, confidence,
corroborating pages, note) and every date with its precision, so the CLI, the
HTTP API and briefs can all show them. ``model_dump(mode="json")`` gives the
JSON form.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class Fact(BaseModel):
    source: str
    confidence: str
    also: list[str] = []
    note: str | None = None


class SuspensionStatus(BaseModel):
    start: str
    start_precision: str
    end: str | None
    fact: Fact


class MemberStatus(BaseModel):
    """A state's standing in a bloc on one day."""

    bloc: str
    iso3: str
    name: str
    on: dt.date
    member: bool
    suspended: bool
    joined: str
    joined_precision: str
    joined_fact: Fact
    left: str | None = None
    left_precision: str | None = None
    left_fact: Fact | None = None
    left_announced: str | None = None
    ended_by_dissolution: bool = False
    suspension: SuspensionStatus | None = None
    #: True when ``on`` falls inside the period of an imprecise boundary date
    #: (e.g. ``left: 2000-12`` and ``on`` in December 2000).
    boundary_uncertain: bool = False
    note: str | None = None


class TimelineItem(BaseModel):
    """One dated fact in a bloc's history."""

    day: dt.date  # first day of the date's period; for sorting and charts
    date: str  # as recorded, at its precision
    precision: str
    category: str  # membership | suspension | milestone | sanction | coup
    kind: str
    what: str
    #: the French text (the English one where the registry has no French)
    what_fr: str
    countries: list[str] = []
    id: str | None = None
    institution: str | None = None
    stage: str | None = None
    alt_dates: list[str] = []
    fact: Fact


class InstitutionStatus(BaseModel):
    """State of one standard institution of a bloc as of a day."""

    bloc: str
    category: str
    on: dt.date
    #: none_recorded | announced | signed | established | operational | defunct
    state: str
    last_stage: str | None = None
    since: str | None = None
    since_precision: str | None = None
    milestone: str | None = None
    what: str | None = None
    what_fr: str | None = None
    size_troops: int | None = None
    fact: Fact | None = None
    uncertain: bool = False
    history: list[TimelineItem] = []
    note: str | None = None
    note_fr: str | None = None


class ForceStatus(BaseModel):
    """A foreign security presence in one country."""

    id: str
    partner: str
    partner_fr: str
    operation: str
    operation_fr: str
    country: str
    start: str | None  # None: arrival date not recorded
    start_known: bool
    known_from: str  # first recorded event
    end: str | None  # None: still present as far as the registry knows
    present: bool | None = None  # on the query day; None when no day was asked
    events: list[TimelineItem] = []
    note: str | None = None


class DatedEvent(BaseModel):
    """Any dated fact usable as the anchor of an event study."""

    id: str
    category: str  # coup | milestone | sanction | force_event
    day: dt.date
    date: str
    precision: str
    kind: str
    what: str
    what_fr: str
    bloc: str | None = None
    countries: list[str] = []
    fact: Fact


__all__ = [
    "Fact",
    "SuspensionStatus",
    "MemberStatus",
    "TimelineItem",
    "InstitutionStatus",
    "ForceStatus",
    "DatedEvent",
]
