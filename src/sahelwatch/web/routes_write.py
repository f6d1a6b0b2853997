"""``POST /ingest``: upload a file and ingest it as a new snapshot (needs the write token).

The body is the file itself (``Content-Type: application/octet-stream`` or ``text/csv``),
streamed to ``HOME/uploads/`` a chunk at a time and refused with 413 as soon as it passes
the cap (and before reading when ``Content-Length`` already says so). Without a write
token configured, or with a wrong one, the answer is 401 before any byte is read.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from .context import context
from .errors import ApiError
from .formats import json_response
from .models import ErrorOut
from .security import token_matches

router = APIRouter(tags=["write"])

KINDS = ("acled", "acled-deletions", "ucdp", "ucdp-candidate")
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
WRITE_ERRORS = {401: {"model": ErrorOut, "description": "no or wrong write token"},
                400: {"model": ErrorOut, "description": "a bad parameter or a file that is not the kind said"},
                409: {"model": ErrorOut, "description": "another ingest holds the store"},
                413: {"model": ErrorOut, "description": "the file is larger than the server accepts"}}


def _safe_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = SAFE_NAME.sub("_", base).strip("._") or "upload"
    return base[:120]


@router.post("/ingest", responses=WRITE_ERRORS, status_code=200)
async def ingest(request: Request,
                 kind: str = Query(..., description="acled, acled-deletions, ucdp or ucdp-candidate"),
                 filename: str = Query(..., min_length=1, max_length=200,
                                       description="the file's name (GED and Candidate releases are read from it)"),
                 release: str | None = Query(None, max_length=40, pattern=r"^[A-Za-z0-9._-]+$"),
                 partial: bool = False):
    """Ingest the request body (the file) as a new snapshot; returns the ingest report."""
    ctx = context(request)
    if not token_matches(request.headers.get("authorization"), ctx.write_token):
        raise ApiError(401, "unauthorized", "write access needs 'Authorization: Bearer <token>' and a server "
                       "started with --write-token-file" if ctx.write_token else
                       "this server is read-only (start it with --write-token-file to enable uploads)")
    if kind not in KINDS:
        raise ApiError(400, "bad_parameter", f"unknown kind {kind!r}",
                       {"param": "kind", "value": kind, "choices": list(KINDS)})
    cap = ctx.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise ApiError(413, "payload_too_large", f"the file is {int(declared):,} bytes; this server accepts at "
                       f"most {cap:,}", {"max_bytes": cap})
    folder = ctx.home / "uploads" / f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    path = folder / _safe_name(filename)
    size = 0
    try:
        with open(path, "wb") as out:
            async for chunk in request.stream():
                size += len(chunk)
                if size > cap:
                    raise ApiError(413, "payload_too_large", f"the file passes {cap:,} bytes, the most this server "
                                   "accepts", {"max_bytes": cap})
                out.write(chunk)
        if size == 0:
            raise ApiError(400, "bad_parameter", "empty body: send the file as the request body",
                           {"param": "body"})
        obs = ctx.obs()
        rep = await run_in_threadpool(obs.ingest, kind, path, release=release, partial=partial)
    except BaseException:
        path.unlink(missing_ok=True)
        folder.rmdir()
        raise
    return json_response({"snapshot": rep.snapshot, "kind": rep.kind, "source": rep.source, "file": rep.file,
                          "sha256": rep.sha256, "release": rep.release, "counts": rep.counts,
                          "duplicate_of": rep.duplicate_of, "warnings": rep.warnings, "bytes": size})
