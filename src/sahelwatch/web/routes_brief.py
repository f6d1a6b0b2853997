"""``/brief``: the situation brief of the current view, as HTML, PDF or its figures (JSON)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from .context import context
from .formats import json_response
from .models import ERRORS
from .params import SOURCE_RE

router = APIRouter(tags=["briefs"])

#: A brief is a standalone document with its own stylesheet and inline SVG, and no script:
#: it gets a CSP of its own that allows exactly that.
BRIEF_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
             "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@router.get("/brief", responses=ERRORS | {200: {"content": {"text/html": {}, "application/pdf": {},
                                                                "application/json": {}}}})
def brief(request: Request,
          bloc: str | None = Query(None, max_length=20, pattern=r"^[A-Za-z0-9_]+$"),
          country: str | None = Query(None, max_length=3, pattern=r"^[A-Za-z]{3}$"),
          period: str = Query(..., max_length=7, pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$",
                              description="YYYY-MM (a month) or YYYY (a year)"),
          compare_to: str | None = Query(None, max_length=7, pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$"),
          lang: Literal["en", "fr"] = "en",
          source: str | None = Query(None, max_length=100, pattern=SOURCE_RE),
          as_of: int | None = Query(None, ge=1, le=10**9, description="Snapshot id (default: the latest)"),
          format: Literal["html", "pdf", "json"] = "html"):
    """The brief of one bloc or one country for a month or a year (``sahelwatch brief``)."""
    b = context(request).obs().briefs.build(bloc=bloc or None, country=country or None, period=period,
                                            compare_to=compare_to or None, lang=lang, source=source or None,
                                            as_of=as_of)
    if format == "json":
        return json_response(b.to_dict())
    name = f"{(bloc or country or 'brief').lower()}-{period}-{lang}.{format}"
    body = b.html().encode("utf-8") if format == "html" else b.pdf()
    disposition = "inline" if format == "html" else "attachment"
    return Response(body, media_type=MEDIA[format],
                    headers={"Content-Security-Policy": BRIEF_CSP,
                             "Content-Disposition": f'{disposition}; filename="{name}"'})
