"""The FastAPI app: ``create_app(home)`` -> the JSON API under ``/api/v1/`` and the pages.

    >>> from sahelwatch.web import create_app
    >>> app = create_app("~/sahelwatch-home")        # doctest: +SKIP

Serve it with ``sahelwatch serve`` (uvicorn on 127.0.0.1:8000). See docs/http-api.md.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
from pathlib import Path

API = "/api/v1"
ROUTE_MODULES = ("routes_meta", "routes_cube", "routes_events", "routes_warning", "routes_blocs",
                 "routes_places", "routes_write", "routes_brief", "routes_forecast")


def create_app(home, *, private: bool = False, write_token: str | None = None, max_upload_mb: float = 200,
               secret: bytes | None = None):
    """The app over the store at ``home`` (which must exist: ``sahelwatch init`` or ``demo``).

    ``private``: show ACLED event rows (one user on this machine; the server refuses a
    non-loopback host). ``write_token``: enables ``POST /api/v1/ingest`` for requests
    carrying ``Authorization: Bearer <token>``; without it the API is read-only.
    ``secret``: signs event cursors (default: new at each start); worker processes of one
    server share it, so a cursor one gave is good at the others.
    """
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from ..domain.version import __version__
    from . import errors
    from .context import WebContext
    from .security import SecurityMiddleware

    home = Path(home).expanduser()
    ctx = WebContext(home=home, private=private, write_token=write_token or None,
                     max_upload_bytes=int(max_upload_mb * 1024 * 1024), **({"secret": secret} if secret else {}))
    ctx.obs()  # fail now, with a clear error, if the store is missing or damaged
    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        ctx.close()

    app = FastAPI(title="sahelwatch", version=__version__, lifespan=lifespan,
                  description="Offline observatory of political violence in the Sahel: events, aggregates, "
                              "trends, indicators, alerts, blocs, places and stored forecasts. See docs/http-api.md.",
                  openapi_url=f"{API}/openapi.json", docs_url=None, redoc_url=None)
    app.state.sw = ctx
    errors.install(app)
    app.add_middleware(SecurityMiddleware)
    for name in ROUTE_MODULES:
        if importlib.util.find_spec(f"{__package__}.{name}") is not None:
            app.include_router(importlib.import_module(f"{__package__}.{name}").router, prefix=API)
    if importlib.util.find_spec(f"{__package__}.pages") is not None:
        app.include_router(importlib.import_module(f"{__package__}.pages").router)
    _document_errors(app)
    static = Path(__file__).with_name("static")
    if static.is_dir():
        app.mount("/static", StaticFiles(directory=static), name="static")
    return app


def _document_errors(app) -> None:
    """The OpenAPI document says what the server does: FastAPI's 422 never leaves it (the
    handlers turn validation errors into 400 in the one error shape), every operation may
    answer 400 and 500 in that shape, and table routes with ``format`` also answer CSV,
    Parquet and GeoJSON."""
    from fastapi.openapi.utils import get_openapi

    from .formats import MEDIA
    from .models import ErrorOut

    def openapi():
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        schemas.update({k: v for k, v in ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
                        .pop("$defs", {}).items()})
        schemas["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        error = {"description": "an error, in the one error shape",
                 "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for item in doc.get("paths", {}).values():
            for op in item.values():
                responses = op.setdefault("responses", {})
                responses.pop("422", None)
                for status in ("400", "500"):
                    responses.setdefault(status, error)
                names = {p.get("name") for p in op.get("parameters", [])}
                ok = responses.get("200", {}).get("content", {})
                if "format" in names and "application/json" in ok:
                    for media in ("text/csv", MEDIA["parquet"], MEDIA["geojson"]):
                        ok.setdefault(media.split(";")[0], {"schema": {}})
        app.openapi_schema = doc
        return doc

    app.openapi = openapi
