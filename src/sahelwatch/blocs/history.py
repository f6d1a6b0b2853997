"""A bloc's history: its timeline, its institutions as of a day, foreign forces.

Pure functions over registry models; :class:`~.registry.Registry` calls them.
Each text has its French twin (``what_fr``): the registry's own French where it
has one, else its English; texts made here (``MLI joins AES``) are written in both.
"""

from __future__ import annotations

import datetime as dt

from .dates import FuzzyDate
from .models import (
    FORCE_CLOSES,
    FORCE_OPENS,
    INSTITUTIONS,
    STAGES,
    Coup,
    ForcePresence,
    Member,
    Milestone,
    Organisation,
    Sourced,
    fr,
)
from .results import Fact, ForceStatus, InstitutionStatus, TimelineItem

_ORDER = {"membership": 0, "suspension": 1, "sanction": 2, "coup": 3, "milestone": 4}


def fact_of(x: Sourced, source: str | None = None, confidence: str | None = None) -> Fact:
    return Fact(
        source=source or x.source,
        confidence=confidence or x.confidence,
        also=list(x.also),
        note=x.note,
    )


def item(
    d: FuzzyDate, category: str, kind: str, what: str, fact: Fact, what_fr: str | None = None, **extra
) -> TimelineItem:
    return TimelineItem(
        day=d.first_day, date=str(d), precision=d.precision, category=category,
        kind=kind, what=what, what_fr=what_fr or what, fact=fact, **extra,
    )


_MEMBER_STEPS_FR = {"applied": "demande d'adhésion", "admitted": "admission", "accession_signed": "traité d'adhésion signé"}


def milestone_texts(ms: Milestone) -> tuple[str, str]:
    """(English, French) text of a milestone, with its end date when it has one."""
    en, fr_ = ms.what, fr(ms.what, ms.what_fr)
    if ms.end_date:
        en, fr_ = f"{en} (until {ms.end_date})", f"{fr_} (jusqu'au {ms.end_date})"
    return en, fr_


def milestone_item(ms: Milestone) -> TimelineItem:
    what, what_fr = milestone_texts(ms)
    return item(
        ms.date, "milestone", ms.kind, what, fact_of(ms), what_fr,
        id=ms.id, countries=list(ms.countries), institution=ms.institution,
        stage=ms.reached_stage if ms.institution else None,
        alt_dates=[str(a) for a in ms.alt_dates],
    )


def _member_items(org: Organisation, m: Member) -> list[TimelineItem]:
    out = []
    c = [m.iso3]
    for field, kind in (("applied", "applied"), ("admitted", "admitted"), ("accession_signed", "accession_signed")):
        d = getattr(m, field)
        if d is not None:
            out.append(item(d, "membership", kind, f"{m.iso3}: {kind.replace('_', ' ')}", fact_of(m),
                            f"{m.iso3} : {_MEMBER_STEPS_FR[kind]}", countries=c))
    src, conf = m.joined_fact
    jf = fact_of(m, src, conf)
    jf.note = m.joined_note or m.note
    out.append(
        item(m.joined, "membership", "joined", f"{m.iso3} joins {org.id}", jf,
             f"{m.iso3} : adhésion ({org.id})", countries=c, alt_dates=[str(a) for a in m.alt_dates])
    )
    if m.left_announced is not None:
        af = fact_of(m, m.left_announced_source)
        out.append(item(m.left_announced, "membership", "exit_announced", f"{m.iso3} announces its exit from {org.id}", af,
                        f"{m.iso3} : annonce du retrait ({org.id})", countries=c))
    if m.left is not None:
        src, conf = m.left_fact
        lf = fact_of(m, src, conf)
        lf.note = m.left_note or m.note
        out.append(
            item(m.left, "membership", "left", f"{m.iso3} leaves {org.id} (no longer a member from this date)", lf,
                 f"{m.iso3} : retrait ({org.id}) ; n'est plus membre à partir de cette date", countries=c, alt_dates=[str(a) for a in m.alt_dates])
        )
    for s in m.suspensions:
        out.append(item(s.start, "suspension", "suspended", f"{m.iso3} suspended from {org.id} (still a member)", fact_of(s),
                        f"{m.iso3} : suspension ({org.id}) ; reste membre", countries=c, alt_dates=[str(a) for a in s.alt_dates]))
        if s.end is not None:
            out.append(item(s.end, "suspension", "suspension_lifted", f"{m.iso3}'s suspension from {org.id} lifted", fact_of(s),
                            f"{m.iso3} : levée de la suspension ({org.id})", countries=c))
    return out


def timeline(org: Organisation, coups: list[Coup], was_member) -> list[TimelineItem]:
    """Membership, suspensions, milestones, sanctions, and coups in member states."""
    out: list[TimelineItem] = []
    for m in org.members:
        out.extend(_member_items(org, m))
    out.extend(milestone_item(ms) for ms in org.milestones)
    for s in org.sanctions:
        out.append(item(s.imposed, "sanction", "imposed", f"Sanctions on {s.target}: {s.content}", fact_of(s),
                        f"Sanctions contre {s.target} : {fr(s.content, s.content_fr)}", id=s.id, countries=[s.target]))
        if s.lifted is not None:
            out.append(item(s.lifted, "sanction", "lifted", f"Sanctions on {s.target} lifted", fact_of(s),
                            f"Levée des sanctions contre {s.target}", id=s.id, countries=[s.target]))
    for c in coups:
        if was_member(c.iso3, c.date.first_day):
            who = f"; {c.leader} takes power" if c.leader else ""
            who_fr = f" ; {fr(c.leader, c.leader_fr)} prend le pouvoir" if c.leader else ""
            out.append(item(c.date, "coup", "coup", f"Coup in {c.iso3} (member state){who}", fact_of(c),
                            f"Coup d'État ({c.iso3}, État membre){who_fr}", id=c.id, countries=[c.iso3]))
    out.sort(key=lambda t: (t.day, _ORDER.get(t.category, 9), t.countries))
    return out


# -- institutions -------------------------------------------------------------------------------


def _not_found_notes(org: Organisation, category: str) -> tuple[str | None, str | None]:
    """The registry's "not found" notes about ``category``, in English and French
    (matched on the English words; a note without its French twin stays English)."""
    words = category.replace("_", " ").lower()
    hits = [
        i for i, n in enumerate(org.not_found)
        if any(w in n.lower() for w in (words, words.split()[0], "institution"))
    ]
    en = " ".join(org.not_found[i] for i in hits) or None
    frs = org.not_found_fr if len(org.not_found_fr) == len(org.not_found) else org.not_found
    return en, " ".join(frs[i] for i in hits) or None


def institutions(org: Organisation, on: dt.date, dissolved_on: dt.date | None) -> list[InstitutionStatus]:
    """One row per standard category. A milestone counts from the first day of its
    period (``2024-09`` counts from 2024-09-01; ``uncertain`` is then set in September)."""
    out = []
    rank = {s: i for i, s in enumerate(STAGES)}
    for cat in INSTITUTIONS:
        hist = sorted(
            (ms for ms in org.milestones if ms.institution == cat and ms.date.opens <= on),
            key=lambda ms: ms.date.opens,
        )
        if not hist:
            note, note_fr = _not_found_notes(org, cat)
            out.append(InstitutionStatus(
                bloc=org.id, category=cat, on=on, state="none_recorded",
                note=note or "No fact recorded in the registry (which does not mean none exists).",
                note_fr=note_fr or "Aucun fait enregistré dans le registre (ce qui ne veut pas dire qu'il n'en existe pas)."))
            continue
        top = max(rank[ms.reached_stage] for ms in hist)
        first = next(ms for ms in hist if rank[ms.reached_stage] == top)
        sizes = [ms.size_troops for ms in hist if ms.size_troops]
        stage = STAGES[top]
        defunct = dissolved_on is not None and dissolved_on <= on
        out.append(
            InstitutionStatus(
                bloc=org.id, category=cat, on=on,
                state="defunct" if defunct else stage, last_stage=stage,
                since=str(first.date), since_precision=first.date.precision,
                milestone=first.id, what=first.what, what_fr=fr(first.what, first.what_fr),
                size_troops=sizes[-1] if sizes else None, fact=fact_of(first),
                uncertain=any(ms.date.uncertain_on(on) for ms in hist),
                history=[milestone_item(ms) for ms in hist],
                note=f"{org.id} dissolved; last stage reached: {stage}" if defunct else None,
                note_fr=f"{org.id} dissous ; dernier stade atteint : {_STAGES_FR[stage]}" if defunct else None,
            )
        )
    return out


_STAGES_FR = {"announced": "annoncé", "signed": "signé", "established": "établi", "operational": "opérationnel"}


# -- foreign forces -----------------------------------------------------------------------------


def force_window(p: ForcePresence) -> tuple[dt.date, dt.date | None, FuzzyDate | None, FuzzyDate | None]:
    """(known from, closes, start date or None, end date or None) of a presence."""
    evs = sorted(p.events, key=lambda e: e.date.opens)
    start = next((e.date for e in evs if e.kind in FORCE_OPENS), None)
    end = next((e.date for e in evs if e.kind in FORCE_CLOSES), None)
    known_from = start.opens if start is not None else evs[0].date.opens
    return known_from, (end.closes if end is not None else None), start, end


def force_status(p: ForcePresence, on: dt.date | None) -> ForceStatus:
    known_from, closes, start, end = force_window(p)
    evs = sorted(p.events, key=lambda e: e.date.opens)
    present = None
    if on is not None:
        present = known_from <= on and (closes is None or on < closes)
    note = p.note
    if start is None:
        extra = "Arrival date not recorded: counted as present from the first recorded event."
        note = f"{note} {extra}" if note else extra
    return ForceStatus(
        id=p.id, partner=p.partner, partner_fr=fr(p.partner, p.partner_fr), operation=p.operation,
        operation_fr=fr(p.operation, p.operation_fr), country=p.country,
        start=str(start) if start else None, start_known=start is not None,
        known_from=str(evs[0].date) if start is None else str(start),
        end=str(end) if end else None, present=present,
        events=[
            item(e.date, "force", e.kind, e.what, fact_of(e), e.what_fr, id=e.id, countries=[p.country])
            for e in evs
        ],
        note=note,
    )


__all__ = ["timeline", "institutions", "force_status", "force_window", "milestone_item", "milestone_texts", "fact_of"]
