"""Load, merge and validate the bloc registry, and ask it who belonged to what, when.

    >>> from sahelwatch.blocs import load_registry
    >>> reg = load_registry()
    >>> sorted(m.iso3 for m in reg.members("AES", on="2023-09-16"))
    ['BFA', 'MLI', 'NER']
    >>> reg.members("AES", on="2023-09-15")
    []
    >>> reg.is_member("ECOWAS", "MLI", on="2025-01-28"), reg.is_member("ECOWAS", "MLI", on="2025-01-29")
    (True, False)

The built-in ``registry.yaml`` is read first, then each ``extra`` file in
order; later files add entries or override earlier ones (docs/blocs.md,
"Extending the registry"). Dates follow the widest-interval rule of
:mod:`.dates`.
"""

from __future__ import annotations

import datetime as dt
import os
from importlib import resources
from pathlib import Path
from typing import Iterable

from sahelwatch.domain.errors import RegistryError, UsageError

from . import history
from .dates import as_day
from .models import Coup, ForcePresence, Member, Milestone, Organisation, RegistryFile, fr, missing_french
from .results import DatedEvent, ForceStatus, InstitutionStatus, MemberStatus, SuspensionStatus, TimelineItem
from .validate import Problem, check_registry, problems_from_pydantic

BUILTIN = "registry.yaml"

_ALIASES = {
    "G5": "G5_SAHEL", "G5SAHEL": "G5_SAHEL", "CEDEAO": "ECOWAS", "UA": "AU",
    "EAC1967": "EAC_1967", "EAC_I": "EAC_1967", "UEMOA_WAEMU": "UEMOA", "WAEMU": "UEMOA",
    "LIPTAKO_GOURMA": "ALG", "LIPTAKO-GOURMA": "ALG",
}


def _raise(problems: list[Problem]) -> None:
    first = problems[0]
    msg = first.message
    if len(problems) > 1:
        rest = "\n".join(f"  {p}" for p in problems[1:])
        msg += f"\n({len(problems) - 1} more problem(s)):\n{rest}"
    raise RegistryError(first.path, first.entry, first.field, msg)


def _read(path: str, text: str | None = None) -> RegistryFile:
    import yaml
    from pydantic import ValidationError

    if text is None:
        try:
            text = Path(path).read_text("utf-8")
        except OSError as err:
            raise RegistryError(path, "(file)", "(file)", f"cannot read: {err.strerror or err}") from err
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = f"line {where.line + 1}" if where is not None else "(yaml)"
        raise RegistryError(path, "(file)", line, f"not valid YAML: {getattr(err, 'problem', err)}") from err
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise RegistryError(path, "(file)", "(top level)", "a registry file is a mapping with `organisations:`, `coups:`, `foreign_forces:`")
    try:
        rf = RegistryFile.model_validate(raw)
    except ValidationError as err:
        _raise(problems_from_pydantic(path, raw, err))
    rf.stamp(path)
    return rf


def _by(items, key) -> dict:
    return {key(x): x for x in items}


def _merge_org(base: Organisation, new: Organisation) -> Organisation:
    """``new`` (from a later file) over ``base``: fields given in ``new`` win; members
    are replaced per country (``new`` gives that country's whole history in the
    bloc); milestones and sanctions are replaced per id; ``replace: true`` swaps
    the whole organisation."""
    if new.replace:
        return new
    given = new.model_fields_set - {"id", "members", "milestones", "sanctions", "replace"}
    update = {f: getattr(new, f) for f in given}
    # an English text given without its French twin: the base's French would describe the old text
    for f in ("name", "type", "not_found"):
        if f in given and f"{f}_fr" not in given:
            update[f"{f}_fr"] = [] if f == "not_found" else None
    if "members" in new.model_fields_set:
        codes = {m.iso3 for m in new.members}
        update["members"] = [m for m in base.members if m.iso3 not in codes] + list(new.members)
    for field in ("milestones", "sanctions"):
        if field in new.model_fields_set:
            merged = _by(getattr(base, field), lambda x: x.id)
            merged.update(_by(getattr(new, field), lambda x: x.id))
            update[field] = list(merged.values())
    out = base.model_copy(update=update)
    out._origin = new.origin if given else base.origin
    return out


def load_registry(extra: Iterable[str | os.PathLike] = (), *, builtin: bool = True) -> Registry:
    """The built-in registry plus ``extra`` files (later files override earlier ones).

    Raises :class:`~sahelwatch.domain.errors.RegistryError` naming the file, the
    entry and the field of the first problem (all problems are in the message).
    """
    files: list[RegistryFile] = []
    paths: list[str] = []
    if builtin:
        res = resources.files(__package__).joinpath(BUILTIN)
        path = str(res)
        files.append(_read(path, res.read_text("utf-8")))
        paths.append(path)
    for p in extra:
        files.append(_read(str(p)))
        paths.append(str(p))
    orgs: dict[str, Organisation] = {}
    coups: dict[str, Coup] = {}
    forces: dict[str, ForcePresence] = {}
    uncertainty: list[str] = []
    for rf in files:
        for o in rf.organisations:
            orgs[o.id] = _merge_org(orgs[o.id], o) if o.id in orgs else o
        coups.update(_by(rf.coups, lambda c: c.id))
        forces.update(_by(rf.foreign_forces, lambda f: f.id))
        uncertainty.extend(rf.uncertainty)
    problems = check_registry(list(orgs.values()), list(coups.values()), list(forces.values()))
    if problems:
        _raise(problems)
    return Registry(list(orgs.values()), list(coups.values()), list(forces.values()), paths, uncertainty)


def _name(iso3: str) -> str:
    from sahelwatch.domain.countries import lookup

    try:
        return lookup(iso3).name_en
    except UsageError:
        return iso3


class Registry:
    """The merged, validated registry and the questions asked of it."""

    def __init__(self, orgs, coups, forces, files: list[str], uncertainty: list[str] | None = None):
        self._orgs: dict[str, Organisation] = {o.id: o for o in orgs}
        self._coups: list[Coup] = sorted(coups, key=lambda c: c.date.opens)
        self._forces: list[ForcePresence] = list(forces)
        self.files: list[str] = list(files)
        self.uncertainty: list[str] = list(uncertainty or [])

    # -- organisations ------------------------------------------------------------------------
    def organisations(self) -> list[Organisation]:
        return list(self._orgs.values())

    def organisation(self, bloc: str) -> Organisation:
        key = str(bloc).strip().upper().replace(" ", "_")
        key = _ALIASES.get(key, key).replace("-", "_")
        if key in self._orgs:
            return self._orgs[key]
        for o in self._orgs.values():
            if o.name and o.name.lower() == str(bloc).strip().lower():
                return o
        raise UsageError(f"unknown bloc {bloc!r}", choices=sorted(self._orgs))

    def founding(self, bloc: str) -> Milestone | None:
        org = self.organisation(bloc)
        return self._own_milestone(org, org.founding) if org.founding else None

    def dissolution(self, bloc: str) -> Milestone | None:
        org = self.organisation(bloc)
        return self._own_milestone(org, org.dissolution) if org.dissolution else None

    @staticmethod
    def _own_milestone(org: Organisation, mid: str) -> Milestone:
        return next(ms for ms in org.milestones if ms.id == mid)

    # -- membership ---------------------------------------------------------------------------
    def _dissolved_closes(self, org: Organisation) -> dt.date | None:
        d = self.dissolution(org.id)
        return d.date.closes if d else None

    def interval(self, org: Organisation, m: Member) -> tuple[dt.date, dt.date | None, bool]:
        """(opens, closes or None, ended_by_dissolution) of a membership interval."""
        closes = m.left.closes if m.left is not None else None
        diss = self._dissolved_closes(org)
        if diss is not None and (closes is None or diss < closes):
            return m.joined.opens, diss, True
        return m.joined.opens, closes, False

    def ever_members(self, bloc: str) -> list[str]:
        return sorted({m.iso3 for m in self.organisation(bloc).members})

    def status(self, bloc: str, iso3: str, on) -> MemberStatus | None:
        """``iso3``'s standing in ``bloc`` on ``on`` (``None`` if it never was a member).

        Of several intervals, the one containing ``on`` is used, else the latest
        that started before ``on``, else the first."""
        org = self.organisation(bloc)
        day = as_day(on, name="on")
        ms = sorted((m for m in org.members if m.iso3 == iso3.upper()), key=lambda m: m.joined.opens)
        if not ms:
            return None
        chosen = ms[0]
        for m in ms:
            if m.joined.opens <= day:
                chosen = m
        return self._status(org, chosen, day)

    def _status(self, org: Organisation, m: Member, day: dt.date) -> MemberStatus:
        opens, closes, by_diss = self.interval(org, m)
        member = opens <= day and (closes is None or day < closes)
        susp = None
        if member:
            for s in m.suspensions:
                if s.start.opens <= day and (s.end is None or day < s.end.closes):
                    susp = SuspensionStatus(start=str(s.start), start_precision=s.start.precision,
                                            end=str(s.end) if s.end else None, fact=history.fact_of(s))
        uncertain = m.joined.uncertain_on(day) or (m.left is not None and m.left.uncertain_on(day))
        if by_diss:
            d = self.dissolution(org.id)
            uncertain = uncertain or d.date.uncertain_on(day)
        js, jc = m.joined_fact
        jf = history.fact_of(m, js, jc)
        jf.note = m.joined_note
        lf = None
        if m.left is not None:
            ls, lc = m.left_fact
            lf = history.fact_of(m, ls, lc)
            lf.note = m.left_note
        note = m.note
        if by_diss:
            note = ((note + " ") if note else "") + f"Membership ends with the organisation ({org.dissolution})."
        return MemberStatus(
            bloc=org.id, iso3=m.iso3, name=_name(m.iso3), on=day, member=member,
            suspended=susp is not None, joined=str(m.joined), joined_precision=m.joined.precision,
            joined_fact=jf, left=str(m.left) if m.left else None,
            left_precision=m.left.precision if m.left else None, left_fact=lf,
            left_announced=str(m.left_announced) if m.left_announced else None,
            ended_by_dissolution=by_diss and not member and closes is not None and day >= closes,
            suspension=susp, boundary_uncertain=uncertain, note=note,
        )

    def members(self, bloc: str, on, include_suspended: bool = True) -> list[MemberStatus]:
        """Member states of ``bloc`` on day ``on`` (a suspended state is still a member;
        ``include_suspended=False`` leaves suspended states out)."""
        org = self.organisation(bloc)
        day = as_day(on, name="on")
        out = [self._status(org, m, day) for m in org.members]
        out = [s for s in out if s.member and (include_suspended or not s.suspended)]
        return sorted(out, key=lambda s: s.iso3)

    def is_member(self, bloc: str, iso3: str, on, include_suspended: bool = True) -> bool:
        s = self.status(bloc, iso3, on)
        return bool(s and s.member and (include_suspended or not s.suspended))

    def suspended(self, bloc: str, on) -> list[MemberStatus]:
        """Members of ``bloc`` that are suspended on ``on``."""
        return [s for s in self.members(bloc, on) if s.suspended]

    def is_suspended(self, bloc: str, iso3: str, on) -> bool:
        s = self.status(bloc, iso3, on)
        return bool(s and s.suspended)

    # -- history ------------------------------------------------------------------------------
    def timeline(self, bloc: str) -> list[TimelineItem]:
        """Membership changes, suspensions, milestones, sanctions and coups in
        member states, in date order, each with its source and confidence."""
        org = self.organisation(bloc)
        return history.timeline(org, self._coups, lambda iso3, day: self.is_member(org.id, iso3, day))

    def institutions(self, bloc: str, on=None) -> list[InstitutionStatus]:
        """The standard institutions of ``bloc`` and their state on ``on`` (default today)."""
        org = self.organisation(bloc)
        day = as_day(on, name="on") if on is not None else dt.date.today()
        d = self.dissolution(org.id)
        return history.institutions(org, day, d.date.opens if d else None)

    def coups(self, country: str | None = None, start=None, end=None) -> list[Coup]:
        out = self._coups
        if country:
            out = [c for c in out if c.iso3 == country.upper()]
        if start is not None:
            out = [c for c in out if c.date.opens >= as_day(start, name="start")]
        if end is not None:
            out = [c for c in out if c.date.opens <= as_day(end, name="end")]
        return list(out)

    def foreign_forces(self, country: str | None = None, on=None, partner: str | None = None) -> list[ForceStatus]:
        """Foreign security presences; with ``on``, only those present that day."""
        day = as_day(on, name="on") if on is not None else None
        out = []
        for p in self._forces:
            if country and p.country != country.upper():
                continue
            if partner and partner.lower() not in p.partner.lower():
                continue
            st = history.force_status(p, day)
            if day is None or st.present:
                out.append(st)
        return sorted(out, key=lambda s: (s.country, s.known_from, s.partner))

    def missing_french(self) -> list[str]:
        """``"<id>.<field>"`` for each English text without its French twin (empty for the
        bundled registry; a user's file may leave them out: French pages then show English)."""
        return missing_french(list(self._orgs.values()), self._coups, self._forces)

    # -- dated facts --------------------------------------------------------------------------
    def milestone(self, ref: str | tuple[str, str], key: str | None = None) -> Milestone:
        """A milestone by id, or by ``(bloc, key)`` where key is ``founding``,
        ``dissolution``, a milestone id, a kind, a tag or an institution (earliest match)."""
        if isinstance(ref, tuple):
            ref, key = ref
        if key is None:
            for org in self._orgs.values():
                for ms in org.milestones:
                    if ms.id == ref:
                        return ms
            raise UsageError(f"unknown milestone {ref!r}", choices=sorted(ms.id for o in self._orgs.values() for ms in o.milestones))
        org = self.organisation(ref)
        if key == "founding" and org.founding:
            return self._own_milestone(org, org.founding)
        if key == "dissolution" and org.dissolution:
            return self._own_milestone(org, org.dissolution)
        hits = [ms for ms in org.milestones if key in (ms.id, ms.kind, ms.institution) or key in ms.tags]
        if not hits:
            raise UsageError(f"{org.id} has no milestone matching {key!r}", choices=sorted(ms.id for ms in org.milestones))
        return min(hits, key=lambda ms: ms.date.opens)

    def dated_events(self) -> list[DatedEvent]:
        """Every dated fact an event study can be anchored on."""
        out = []
        for c in self._coups:
            out.append(DatedEvent(id=c.id, category="coup", day=c.date.opens, date=str(c.date), precision=c.date.precision,
                                  kind="coup", what=f"Coup in {c.iso3}" + (f": {c.leader}" if c.leader else ""),
                                  what_fr=f"Coup d'État ({c.iso3})" + (f" : {fr(c.leader, c.leader_fr)}" if c.leader else ""),
                                  countries=[c.iso3], fact=history.fact_of(c)))
        for org in self._orgs.values():
            for ms in org.milestones:
                out.append(DatedEvent(id=ms.id, category="milestone", day=ms.date.opens, date=str(ms.date),
                                      precision=ms.date.precision, kind=ms.kind, what=ms.what,
                                      what_fr=fr(ms.what, ms.what_fr), bloc=org.id,
                                      countries=list(ms.countries), fact=history.fact_of(ms)))
            for s in org.sanctions:
                out.append(DatedEvent(id=s.id, category="sanction", day=s.imposed.opens, date=str(s.imposed),
                                      precision=s.imposed.precision, kind="sanctions_imposed", what=s.content,
                                      what_fr=fr(s.content, s.content_fr),
                                      bloc=org.id, countries=[s.target], fact=history.fact_of(s)))
        for p in self._forces:
            for e in p.events:
                out.append(DatedEvent(id=e.id, category="force_event", day=e.date.opens, date=str(e.date),
                                      precision=e.date.precision, kind=e.kind, what=f"{p.partner} ({p.operation}): {e.what}",
                                      what_fr=f"{fr(p.partner, p.partner_fr)} ({fr(p.operation, p.operation_fr)}) : "
                                              f"{fr(e.what, e.what_fr)}",
                                      countries=[p.country], fact=history.fact_of(e)))
        return sorted(out, key=lambda e: (e.day, e.id))

    def dated_event(self, event_id: str) -> DatedEvent:
        for e in self.dated_events():
            if e.id.lower() == event_id.lower():
                return e
        raise UsageError(f"unknown event {event_id!r}; list them with `sahelwatch blocs events`")


__all__ = ["Registry", "load_registry", "BUILTIN"]
