"""The HTTP server: a JSON API under ``/api/v1/`` and the dashboard pages.

``create_app(home)`` builds the FastAPI app (see docs/http-api.md);
``sahelwatch serve`` runs it with uvicorn. Routes call ``Observatory`` methods
and hold no SQL. FastAPI loads only when the app is built, so
``import sahelwatch.web`` stays light.
"""

from __future__ import annotations

__all__ = ["create_app"]


def __getattr__(name: str):
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(name)
