"""Placeholder dashboard page (the dashboard's own module replaces this file)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def index() -> str:
    return "<!doctype html><html><head><meta charset='utf-8'><title>sahelwatch</title></head>" \
           "<body><h1>sahelwatch</h1><p>The API is at <a href='/api/v1/meta'>/api/v1/meta</a>.</p></body></html>"
