"""``/blocs``: the registry of regional organisations — members on a day, timelines,
institutions, comparisons aligned on founding, coups and foreign forces."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Path, Query, Request

from ..analytics.notes_fr import translate
from ..blocs.rules import FORCES_RULE, INSTITUTION_RULE, MEMBER_RULE
from .context import as_of_param, context, day_param
from .errors import ApiError
from .formats import json_response, jsonable, pick, table_response
from .models import ERRORS, TableOut

router = APIRouter(tags=["blocs"])


@router.get("/blocs", response_model=TableOut, responses=ERRORS)
def blocs(request: Request):
    """The organisations: id, names and types (en/fr), kind, founding and dissolution with their sources."""
    reg = context(request).obs().blocs
    rows = []
    for o in reg.organisations():
        f, d = reg.founding(o.id), reg.dissolution(o.id)
        rows.append({"id": o.id, "name": o.name, "name_fr": o.name_fr, "kind": o.kind, "type": o.type,
                     "type_fr": o.type_fr or o.type,
                     "seat": o.seat, "founded": str(f.date) if f else None,
                     "founded_source": f.source if f else None, "founded_confidence": f.confidence if f else None,
                     "dissolved": str(d.date) if d else None, "membership_complete": o.membership_complete,
                     "note": o.note})
    return json_response({"rows": rows, "meta": {"registry_files": [str(x).rsplit("/", 1)[-1] for x in reg.files]}})


BLOC_PATH = Path(..., max_length=40, pattern=r"^[A-Za-z0-9_\-]+$", description="Bloc id: AES, ECOWAS, G5_SAHEL...",
                 examples=["AES", "ECOWAS", "G5_SAHEL"])
DAY = Query(None, max_length=10, description="Day YYYY-MM-DD (default today)")
ISO3 = Query(None, max_length=3, pattern=r"^[A-Za-z]{3}$")


def _day(on: str | None) -> str:
    return day_param(on, "on") or dt.date.today().isoformat()


def _org(reg, bloc: str):
    """The organisation named in the path; an unknown one is a 404 listing the known ids."""
    from ..domain.errors import UsageError

    try:
        return reg.organisation(bloc)
    except UsageError as err:
        raise ApiError(404, "not_found", str(err), {"param": "bloc", "value": bloc, "choices": err.choices}) from None


def _dump(items) -> list[dict]:
    return [jsonable(i) for i in items]


@router.get("/blocs/compare", response_model=TableOut, responses=ERRORS)
def compare(request: Request,
            blocs: str = Query("AES,G5_SAHEL", max_length=200, pattern=r"^[A-Za-z0-9_,\-]+$",
                               description="Bloc ids, comma-separated"),
            align: str = Query("founding", max_length=60, pattern=r"^[A-Za-z0-9_:\-]+$",
                               description="founding, a milestone id, kind or tag"),
            measure: Literal["events", "fatalities_best", "fatalities_low", "fatalities_high"] = "fatalities_best",
            months: int = Query(36, ge=1, le=600), months_before: int = Query(0, ge=0, le=600),
            membership: str = Query("dynamic", max_length=20, pattern=r"^(dynamic|on:\d{4}-\d{2}-\d{2})$"),
            source: str | None = Query(None, max_length=40, pattern=r"^[A-Za-z0-9_:]*$"),
            as_of: int | None = Query(None, ge=1, le=10**9),
            format: str | None = Query(None, max_length=10)):
    """Bloc trajectories aligned on a milestone: per month since the anchor, per 100k where known."""
    from ..blocs.analysis import compare as run

    fmt = pick(format, request.headers.get("accept"), allowed=("json", "csv", "parquet"))
    ctx = context(request)
    obs = ctx.obs()
    as_of_param(ctx, as_of, obs.snapshots())
    names = [b for b in blocs.split(",") if b]
    df = run(obs.blocs, obs.country_months(as_of=as_of), names, align=align, measure=measure, months=months,
             rule=membership, source=source or None, months_before=months_before)
    rule_text = df["rule_text"][0] if df.height else None
    pop = df["population_source"][0] if df.height else None
    meta = {"rule": membership, "measure": measure, "align": align, "as_of": as_of,
            "rule_text": rule_text, "rule_text_fr": translate(rule_text, "fr") if rule_text else None,
            "population_source": pop, "population_source_fr": translate(pop, "fr") if pop else None}
    return table_response(df.drop("rule_text", "population_source", strict=False), meta, fmt, "blocs-compare")


@router.get("/blocs/{bloc}/members", response_model=TableOut, responses=ERRORS)
def members(request: Request, bloc: str = BLOC_PATH, on: str | None = DAY, include_suspended: bool = True):
    """Member states on a day, with status (member / suspended), dates, sources and confidence."""
    reg = context(request).obs().blocs
    org = _org(reg, bloc)
    day = _day(on)
    ms = reg.members(org.id, on=day, include_suspended=include_suspended)
    former = [s for s in (reg.status(org.id, c, day) for c in reg.ever_members(org.id)) if s and not s.member]
    notes, notes_fr = [], []
    if not org.membership_complete:
        notes.append(f"{org.id}: partial member list (only states with recorded facts). {org.note or ''}".strip())
        notes_fr.append(f"{org.id} : liste de membres partielle (seuls les États ayant des faits enregistrés).")
    if org.kind == "mission":
        notes.append(f"{org.id} is a mission, not a bloc: it has no member states.")
        notes_fr.append(f"{org.id} est une mission, non un bloc : elle n'a pas d'États membres.")
    return json_response({"rows": _dump(ms), "meta": {
        "bloc": org.id, "name": org.name, "name_fr": org.name_fr, "on": day, "rule": MEMBER_RULE,
        "rule_fr": translate(MEMBER_RULE, "fr"),
        "include_suspended": include_suspended, "not_members": _dump(former), "notes": notes,
        "notes_fr": notes_fr}})


@router.get("/blocs/{bloc}/timeline", response_model=TableOut, responses=ERRORS)
def timeline(request: Request, bloc: str = BLOC_PATH):
    """Memberships, suspensions, milestones, sanctions and coups in member states, with sources;
    each text in English (``what``) and French (``what_fr``)."""
    reg = context(request).obs().blocs
    org = _org(reg, bloc)
    nf_fr = org.not_found_fr if len(org.not_found_fr) == len(org.not_found) else org.not_found
    return json_response({"rows": _dump(reg.timeline(org.id)),
                          "meta": {"bloc": org.id, "rule": MEMBER_RULE, "rule_fr": translate(MEMBER_RULE, "fr"),
                                   "not_found": list(org.not_found),
                                   "not_found_fr": list(nf_fr)}})


@router.get("/blocs/{bloc}/institutions", response_model=TableOut, responses=ERRORS)
def institutions(request: Request, bloc: str = BLOC_PATH, on: str | None = DAY,
                 lang: Literal["en", "fr"] = Query("en", description="Language of the Vega-Lite spec's words "
                                                                     "(rows carry both: what, what_fr)")):
    """The standard institutions and their stage on a day, plus a Vega-Lite timeline spec in ``lang``."""
    from ..blocs.charts import institutions_timeline_spec

    reg = context(request).obs().blocs
    org = _org(reg, bloc)
    day = _day(on)
    return json_response({"rows": _dump(reg.institutions(org.id, on=day)),
                          "vega_lite": institutions_timeline_spec(reg, org.id, on=day, lang=lang),
                          "meta": {"bloc": org.id, "on": day, "rule": INSTITUTION_RULE,
                                   "rule_fr": translate(INSTITUTION_RULE, "fr"), "lang": lang}})


@router.get("/coups", response_model=TableOut, responses=ERRORS)
def coups(request: Request, country: str | None = ISO3):
    """Coups recorded in the registry, with sources."""
    return json_response({"rows": _dump(context(request).obs().blocs.coups(country=country or None)),
                          "meta": {"country": country}})


@router.get("/forces", response_model=TableOut, responses=ERRORS)
def forces(request: Request, country: str | None = ISO3, on: str | None = Query(None, max_length=10)):
    """Foreign security presences (arrive / leave), each event with its source."""
    day = day_param(on, "on")
    rows = context(request).obs().blocs.foreign_forces(country=country or None, on=day)
    return json_response({"rows": _dump(rows), "meta": {"on": day, "rule": FORCES_RULE,
                                                        "rule_fr": translate(FORCES_RULE, "fr")}})
