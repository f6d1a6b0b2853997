"""The HTML pages: the dashboard (``/``) and a bloc's page (``/bloc/{bloc}``).

Server-rendered Jinja shells; everything they show comes from the JSON API, fetched by
the page's own scripts under ``/static/js/`` (no inline script: the CSP allows only
``script-src 'self'``). The front-end libraries are vendored under ``/static/vendor/``
(built from ``web-src/`` by ``npm ci && npm run build``), so the page needs no network.
"""

from __future__ import annotations

import mimetypes
import re
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from . import i18n
from .errors import ApiError

router = APIRouter()

# MapLibre ships ES modules (.mjs); a browser runs a module only when served as JavaScript
# (nosniff), and Python 3.11's table may lack .mjs where /etc/mime.types is absent.
mimetypes.add_type("text/javascript", ".mjs")

TEMPLATES = Path(__file__).with_name("templates")
NAV_BLOCS = ("AES", "ECOWAS", "G5_SAHEL", "EAC")
_BLOC_ID = re.compile(r"^[A-Za-z0-9_]{1,40}$")


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)


def _static_version() -> str:
    from ..domain.version import __version__

    return __version__


def _render(request: Request, name: str, **context) -> HTMLResponse:
    from .routes_meta import ACLED_ATTRIBUTION, ATTRIBUTION

    sw = request.app.state.sw
    asked = request.query_params.get("lang")
    lang = asked if asked in i18n.LANGS else i18n.pick_lang(request.headers.get("accept-language"))
    acled = sw.acled_mode() != "none"
    sfx = "_fr" if lang == "fr" else ""
    lines = [f"{a['text' + sfx]} ({a['licence' + sfx]})" for a in ATTRIBUTION + ([ACLED_ATTRIBUTION] if acled else [])]
    version = _static_version()
    html = _env().get_template(name).render(
        lang=lang, t=lambda key, **kw: i18n.t(lang, key, **kw), attribution=lines, nav_blocs=NAV_BLOCS,
        static=lambda path: f"/static/{path}" + (f"?v={version}" if path else ""), **context)
    return HTMLResponse(html, headers={"Cache-Control": "no-cache", "Vary": "Accept-Language"})


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def dashboard(request: Request) -> HTMLResponse:
    return _render(request, "dashboard.html", members_url=_members_url(request))


_DAY = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def _members_url(request: Request) -> str | None:
    """The URL the page builds for the view's bloc members (state.js ``membersOf``), so the shell
    can ask for it with the page: the map opens on those countries and waits for them."""
    bloc, to = request.query_params.get("bloc", ""), request.query_params.get("to", "")
    if not _BLOC_ID.match(bloc) or (to and not _DAY.match(to)):
        return None
    on = f"{to}-28" if len(to) == 7 else to
    return f"/api/v1/blocs/{bloc}/members" + (f"?on={on}" if on else "")


@router.get("/bloc/{bloc}", response_class=HTMLResponse, include_in_schema=False)
def bloc_page(request: Request, bloc: str) -> HTMLResponse:
    if not _BLOC_ID.match(bloc):
        raise ApiError(404, "not_found", "no such bloc", {"param": "bloc"})
    known = {o.id.upper(): o.id for o in request.app.state.sw.obs().blocs.organisations()}
    if bloc.upper() not in known:
        raise ApiError(404, "not_found", f"no such bloc: {bloc} (see /api/v1/blocs)",
                       {"param": "bloc", "value": bloc, "choices": sorted(known.values())})
    return _render(request, "bloc.html", bloc=known[bloc.upper()])
