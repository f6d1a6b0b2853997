"""Checks on a registry: each problem names the file, the entry and the field.

Two kinds of check: structural ones that pydantic makes while reading one file
(turned into :class:`Problem` by :func:`problems_from_pydantic`), and checks on
the merged registry (:func:`check_registry`): country codes, intervals, ids and
references between entries. All problems are collected, never only the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .dates import FuzzyDate
from .models import Member, Organisation


@dataclass(frozen=True)
class Problem:
    path: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.entry}: {self.field}: {self.message}"


_KEYS = ("id", "iso3", "partner")


def _label(item: Any, index: int) -> str:
    """How an element of a list is named in messages: its id / iso3, else its 1-based position."""
    if isinstance(item, dict):
        for k in _KEYS:
            v = item.get(k)
            if isinstance(v, (str, int)) and str(v).strip():
                return str(v)
    return f"#{index + 1}"


def _describe(raw: Any, loc: tuple[Any, ...]) -> tuple[str, str]:
    """Turn a pydantic location into (entry, field) using names found in ``raw``."""
    entry: list[str] = []
    field: list[str] = []
    node = raw
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            label = _label(item, part)
            if field:
                entry.append(f"{'.'.join(field)}[{label}]")
                field = []
            else:
                entry.append(f"[{label}]")
            node = item
        else:
            field.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return (".".join(entry) or "(top level)", ".".join(field) or "(entry)")


_FRIENDLY = {
    "missing": "missing (required)",
    "extra_forbidden": "unknown field (check the spelling; see docs/blocs.md for the format)",
}


def problems_from_pydantic(path: str, raw: Any, err: Any) -> list[Problem]:
    """Problems from a pydantic ``ValidationError`` raised on ``raw`` read from ``path``."""
    out = []
    for e in err.errors(include_url=False):
        loc = tuple(e["loc"])
        entry, field = _describe(raw, loc)
        msg = _FRIENDLY.get(e["type"], e["msg"])
        if e["type"] == "missing" and loc and loc[-1] == "source":
            msg = "missing: every fact needs a source (a page address or a citation)"
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        out.append(Problem(path, entry, field, msg))
    return out


# -- checks on the merged registry ------------------------------------------------------------


def _known_iso3() -> set[str]:
    from sahelwatch.domain.countries import all_countries

    return {c.iso3 for c in all_countries()}


def _closes(d: FuzzyDate | None):
    return None if d is None else d.closes


def _overlap(a0, a1, b0, b1) -> bool:
    """Half-open intervals [a0, a1) and [b0, b1) overlap (None = open end)."""
    return (a1 is None or b0 < a1) and (b1 is None or a0 < b1)


def _check_member(org: Organisation, m: Member, entry: str, iso: set[str]) -> Iterable[Problem]:
    p = m.origin
    if m.iso3 not in iso:
        yield Problem(p, entry, "iso3", f"unknown country code {m.iso3!r} (not in domain/countries.csv)")
    if m.left is not None and m.left.closes <= m.joined.opens:
        yield Problem(
            p, entry, "left", f"left ({m.left}) is not after joined ({m.joined}): a member cannot leave before joining"
        )
    if m.left_announced is not None and m.left is not None and m.left_announced.opens > m.left.last_day:
        yield Problem(p, entry, "left_announced", f"exit announced ({m.left_announced}) after it took effect ({m.left})")
    sus = sorted(m.suspensions, key=lambda s: s.start.opens)
    for i, s in enumerate(m.suspensions):
        sentry = f"{entry}.suspensions[#{i + 1}]"
        if s.end is not None and s.end.closes <= s.start.opens:
            yield Problem(p, sentry, "to", f"suspension ends ({s.end}) before it starts ({s.start})")
        if s.start.opens < m.joined.opens or (m.left is not None and s.start.opens >= m.left.closes):
            yield Problem(
                p, sentry, "from",
                f"suspension starts ({s.start}) outside the membership interval "
                f"({m.joined} .. {m.left or 'open'}): only a member can be suspended",
            )
    for a, b in zip(sus, sus[1:]):
        if _overlap(a.start.opens, _closes(a.end), b.start.opens, _closes(b.end)):
            yield Problem(
                p, f"{entry}.suspensions", "from",
                f"suspensions {a.start}..{a.end or 'open'} and {b.start}..{b.end or 'open'} overlap",
            )


def _check_org(org: Organisation, iso: set[str]) -> Iterable[Problem]:
    base = f"organisations[{org.id}]"
    if not org.name:
        yield Problem(org.origin, base, "name", "missing: a new organisation needs a name")
    if org.not_found_fr and len(org.not_found_fr) != len(org.not_found):
        yield Problem(org.origin, base, "not_found_fr",
                      f"{len(org.not_found_fr)} French notes for {len(org.not_found)} English ones (one each, same order)")
    if org.host is not None and org.host not in iso:
        yield Problem(org.origin, base, "host", f"unknown country code {org.host!r}")
    by_iso: dict[str, list[Member]] = {}
    for m in org.members:
        by_iso.setdefault(m.iso3, []).append(m)
        yield from _check_member(org, m, f"{base}.members[{m.iso3}]", iso)
    for code, ms in by_iso.items():
        ms = sorted(ms, key=lambda m: m.joined.opens)
        for a, b in zip(ms, ms[1:]):
            if _overlap(a.joined.opens, _closes(a.left), b.joined.opens, _closes(b.left)):
                yield Problem(
                    b.origin, f"{base}.members[{code}]", "joined",
                    f"membership intervals overlap: {a.joined}..{a.left or 'open'} and "
                    f"{b.joined}..{b.left or 'open'}",
                )
    own = {ms.id for ms in org.milestones}
    for ref_field in ("founding", "dissolution"):
        ref = getattr(org, ref_field)
        if ref is not None and ref not in own:
            yield Problem(
                org.origin, base, ref_field,
                f"names milestone {ref!r}, which is not a milestone of {org.id} "
                f"(milestones: {', '.join(sorted(own)) or 'none'})",
            )
    for ms in org.milestones:
        mentry = f"{base}.milestones[{ms.id}]"
        for c in ms.countries:
            if c not in iso:
                yield Problem(ms.origin, mentry, "countries", f"unknown country code {c!r}")
        if ms.end_date is not None and ms.end_date.last_day < ms.date.first_day:
            yield Problem(ms.origin, mentry, "end_date", f"ends ({ms.end_date}) before it starts ({ms.date})")
    for s in org.sanctions:
        sentry = f"{base}.sanctions[{s.id}]"
        if s.target not in iso:
            yield Problem(s.origin, sentry, "target", f"unknown country code {s.target!r}")
        if s.lifted is not None and s.lifted.closes <= s.imposed.opens:
            yield Problem(s.origin, sentry, "lifted", f"lifted ({s.lifted}) before imposed ({s.imposed})")


def check_registry(orgs: list[Organisation], coups, forces) -> list[Problem]:
    """All problems of the merged registry (``orgs``, ``coups``, ``forces``)."""
    iso = _known_iso3()
    out: list[Problem] = []
    # ids used by event studies must be unique across the registry
    seen: dict[str, str] = {}

    def _unique(id_: str, path: str, entry: str) -> None:
        if id_ in seen:
            out.append(Problem(path, entry, "id", f"id {id_!r} is already used by {seen[id_]}"))
        else:
            seen[id_] = entry

    for org in orgs:
        for ms in org.milestones:
            _unique(ms.id, ms.origin, f"organisations[{org.id}].milestones[{ms.id}]")
        for s in org.sanctions:
            _unique(s.id, s.origin, f"organisations[{org.id}].sanctions[{s.id}]")
    for c in coups:
        _unique(c.id, c.origin, f"coups[{c.id}]")
        if c.iso3 not in iso:
            out.append(Problem(c.origin, f"coups[{c.id}]", "iso3", f"unknown country code {c.iso3!r}"))
    for f in forces:
        fentry = f"foreign_forces[{f.id}]"
        if f.country not in iso:
            out.append(Problem(f.origin, fentry, "country", f"unknown country code {f.country!r}"))
        for e in f.events:
            _unique(e.id, e.origin, f"{fentry}.events[{e.id}]")
    for org in orgs:
        out.extend(_check_org(org, iso))
    return out


__all__ = ["Problem", "problems_from_pydantic", "check_registry"]
