"""``/blocs``: the registry of regional organisations — members on a day, timelines,
institutions, comparisons aligned on founding, coups and foreign forces."""

from __future__ import annotations

from fastapi import APIRouter, Request

from .context import context
from .formats import json_response
from .models import ERRORS, TableOut

router = APIRouter(tags=["blocs"])


@router.get("/blocs", response_model=TableOut, responses=ERRORS)
def blocs(request: Request):
    """The organisations: id, names (en/fr), kind, founding and dissolution with their sources."""
    reg = context(request).obs().blocs
    rows = []
    for o in reg.organisations():
        f, d = reg.founding(o.id), reg.dissolution(o.id)
        rows.append({"id": o.id, "name": o.name, "name_fr": o.name_fr, "kind": o.kind, "type": o.type,
                     "seat": o.seat, "founded": str(f.date) if f else None,
                     "founded_source": f.source if f else None, "founded_confidence": f.confidence if f else None,
                     "dissolved": str(d.date) if d else None, "membership_complete": o.membership_complete,
                     "note": o.note})
    return json_response({"rows": rows, "meta": {"registry_files": [str(x).rsplit("/", 1)[-1] for x in reg.files]}})
