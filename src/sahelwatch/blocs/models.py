"""Pydantic models of the bloc registry file (``registry.yaml`` and user extensions).

One model per kind of entry. Each sourced fact carries ``source`` (a page
address or citation), optional corroborating ``also`` pages, a ``confidence``
(high / medium / low) and a free ``note``. Dates are :class:`FuzzyDate` and keep
their precision. Structural checks live here; checks that need the whole
registry (country codes, intervals, references) are in :mod:`.validate`.

Texts shown to users have a French twin named with ``_fr`` (``what_fr``,
``content_fr``, ``operation_fr``...). It is optional, so a user's registry may
leave it out and French pages then show the English text; the bundled registry
has one for every English text (:func:`missing_french` lists the gaps).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    field_validator,
)

from .dates import FuzzyDate

# -- vocabularies ----------------------------------------------------------------------------

CONFIDENCES: tuple[str, ...] = ("high", "medium", "low")

#: ``kind`` of a milestone: what happened on its date (the reference's ``date_kind``).
MILESTONE_KINDS: tuple[str, ...] = (
    "announced",
    "decided",
    "planned",
    "treaty_signed",
    "ratified",
    "in_force",
    "established",
    "inaugurated",
    "operational",
    "completed",
)

#: The standard institution categories tracked for every bloc.
INSTITUTIONS: tuple[str, ...] = (
    "secretariat",
    "parliament",
    "court",
    "joint_force",
    "investment_bank",
    "common_market",
    "customs_union",
    "monetary_union",
    "passport",
    "stabilisation_fund",
)

#: The categories' French names (briefs, charts).
INSTITUTIONS_FR: dict[str, str] = {
    "secretariat": "secrétariat", "parliament": "parlement", "court": "cour de justice",
    "joint_force": "force conjointe", "investment_bank": "banque d'investissement",
    "common_market": "marché commun", "customs_union": "union douanière",
    "monetary_union": "union monétaire", "passport": "passeport",
    "stabilisation_fund": "fonds de stabilisation",
}

#: Stages an institution goes through, in order.
STAGES: tuple[str, ...] = ("announced", "signed", "established", "operational")

#: Default stage reached by a milestone of each kind (``stage:`` overrides it).
KIND_TO_STAGE: dict[str, str] = {
    "announced": "announced",
    "decided": "announced",
    "planned": "announced",
    "treaty_signed": "signed",
    "ratified": "signed",
    "in_force": "established",
    "established": "established",
    "inaugurated": "established",
    "operational": "operational",
    "completed": "operational",
}

#: ``kind`` of an event in a foreign security presence.
FORCE_EVENT_KINDS: tuple[str, ...] = (
    "deployment_began",
    "reported_present",
    "agreement_revoked",
    "withdrawal_announced",
    "withdrawal_began",
    "withdrawal_step",
    "withdrawal_completed",
    "operation_ended",
)
FORCE_OPENS: tuple[str, ...] = ("deployment_began",)
FORCE_CLOSES: tuple[str, ...] = ("withdrawal_completed", "operation_ended")

Confidence = Literal["high", "medium", "low"]


def _parse_date(raw: Any) -> FuzzyDate:
    return FuzzyDate.parse(raw)


FDate = Annotated[
    FuzzyDate,
    PlainValidator(_parse_date),
    PlainSerializer(str, return_type=str),
]


def _choice(value: str, choices: tuple[str, ...], what: str) -> str:
    if value not in choices:
        raise ValueError(f"unknown {what} {value!r} (valid: {', '.join(choices)})")
    return value


class _Entry(BaseModel):
    """Base: unknown keys are errors (a typo must not silently drop a fact)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    _origin: str = PrivateAttr(default="")

    @property
    def origin(self) -> str:
        """The file this entry was read from."""
        return self._origin


class Sourced(_Entry):
    source: str
    also: list[str] = []
    confidence: Confidence
    note: str | None = None

    @field_validator("source")
    @classmethod
    def _source_not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("every fact needs a source (a page address or a citation)")
        return v


class Suspension(Sourced):
    start: FDate = Field(validation_alias=AliasChoices("from", "start"), serialization_alias="from")
    end: FDate | None = Field(
        default=None, validation_alias=AliasChoices("to", "end"), serialization_alias="to"
    )
    alt_dates: list[FDate] = []


class Member(Sourced):
    """One membership interval of one state. ``source``/``confidence`` cover the
    entry; ``joined_*`` and ``left_*`` name a different source where one exists."""

    iso3: str
    joined: FDate
    joined_source: str | None = None
    joined_confidence: Confidence | None = None
    joined_note: str | None = None
    left: FDate | None = None
    left_source: str | None = None
    left_confidence: Confidence | None = None
    left_note: str | None = None
    left_announced: FDate | None = None
    left_announced_source: str | None = None
    applied: FDate | None = None
    admitted: FDate | None = None
    accession_signed: FDate | None = None
    alt_dates: list[FDate] = []
    suspensions: list[Suspension] = []

    @property
    def joined_fact(self) -> tuple[str, str]:
        return (self.joined_source or self.source, self.joined_confidence or self.confidence)

    @property
    def left_fact(self) -> tuple[str, str]:
        return (self.left_source or self.source, self.left_confidence or self.confidence)


class Milestone(Sourced):
    id: str
    kind: str = Field(validation_alias=AliasChoices("kind", "date_kind"))
    date: FDate
    what: str
    what_fr: str | None = None
    end_date: FDate | None = None
    alt_dates: list[FDate] = []
    countries: list[str] = []
    tags: list[str] = []
    institution: str | None = None
    stage: str | None = None
    size_troops: int | None = None
    size_police: int | None = None
    capital: str | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        return _choice(v, MILESTONE_KINDS, "milestone kind")

    @field_validator("institution")
    @classmethod
    def _known_institution(cls, v: str | None) -> str | None:
        return None if v is None else _choice(v, INSTITUTIONS, "institution")

    @field_validator("stage")
    @classmethod
    def _known_stage(cls, v: str | None) -> str | None:
        return None if v is None else _choice(v, STAGES, "stage")

    @property
    def reached_stage(self) -> str:
        return self.stage or KIND_TO_STAGE[self.kind]


class Sanction(Sourced):
    id: str
    target: str
    imposed: FDate
    lifted: FDate | None = None
    content: str
    content_fr: str | None = None


class Organisation(_Entry):
    id: str
    name: str | None = None
    name_fr: str | None = None
    type: str | None = None
    type_fr: str | None = None
    kind: Literal["bloc", "mission"] = "bloc"
    seat: str | None = None
    host: str | None = None
    note: str | None = None
    founding: str | None = None
    dissolution: str | None = None
    membership_complete: bool = True
    replace: bool = False
    members: list[Member] = []
    milestones: list[Milestone] = []
    sanctions: list[Sanction] = []
    not_found: list[str] = []
    #: the same notes in French, in the same order
    not_found_fr: list[str] = []


class Coup(Sourced):
    id: str
    iso3: str
    date: FDate
    leader: str | None = None
    leader_fr: str | None = None
    ousted: str | None = None
    ousted_fr: str | None = None


class ForceEvent(Sourced):
    id: str
    kind: str
    date: FDate
    what: str
    what_fr: str | None = None
    size_troops: int | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        return _choice(v, FORCE_EVENT_KINDS, "foreign-force event kind")


class ForcePresence(_Entry):
    id: str
    partner: str
    partner_fr: str | None = None
    operation: str
    operation_fr: str | None = None
    country: str
    note: str | None = None
    events: list[ForceEvent] = Field(min_length=1)


def fr(text: str | None, text_fr: str | None) -> str | None:
    """The French text, or the English one where the registry has none."""
    return text_fr or text


def missing_french(
    orgs: list[Organisation], coups: list[Coup], forces: list[ForcePresence]
) -> list[str]:
    """Where an English text has no French twin: ``"<id>.<field>"`` for each gap."""
    out: list[str] = []

    def need(owner: str, obj: Any, *fields: str) -> None:
        for f in fields:
            if getattr(obj, f) and not getattr(obj, f + "_fr"):
                out.append(f"{owner}.{f}")

    for o in orgs:
        need(o.id, o, "name", "type")
        if o.not_found and len(o.not_found_fr) != len(o.not_found):
            out.append(f"{o.id}.not_found")
        for ms in o.milestones:
            need(ms.id, ms, "what")
        for sa in o.sanctions:
            need(sa.id, sa, "content")
    for c in coups:
        need(c.id, c, "leader", "ousted")
    for p in forces:
        need(p.id, p, "partner", "operation")
        for e in p.events:
            need(e.id, e, "what")
    return out


class RegistryFile(_Entry):
    """One registry file as written on disk."""

    schema_version: int = 1
    meta: dict[str, Any] = {}
    organisations: list[Organisation] = []
    coups: list[Coup] = []
    foreign_forces: list[ForcePresence] = []
    uncertainty: list[str] = []

    def stamp(self, path: str) -> None:
        """Record ``path`` as the origin of every entry (for error messages)."""
        for org in self.organisations:
            org._origin = path
            for sub in (*org.members, *org.milestones, *org.sanctions):
                sub._origin = path
                for s in getattr(sub, "suspensions", ()):
                    s._origin = path
        for c in self.coups:
            c._origin = path
        for f in self.foreign_forces:
            f._origin = path
            for e in f.events:
                e._origin = path


__all__ = [
    "CONFIDENCES",
    "MILESTONE_KINDS",
    "INSTITUTIONS",
    "INSTITUTIONS_FR",
    "STAGES",
    "KIND_TO_STAGE",
    "FORCE_EVENT_KINDS",
    "FORCE_OPENS",
    "FORCE_CLOSES",
    "Sourced",
    "Suspension",
    "Member",
    "Milestone",
    "Sanction",
    "Organisation",
    "Coup",
    "ForceEvent",
    "ForcePresence",
    "RegistryFile",
    "fr",
    "missing_french",
]
