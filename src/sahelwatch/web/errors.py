"""One error shape for every error: ``{"error": {"status", "code", "message", "details"}}``.

FastAPI's own validation errors (422), Starlette's 404/405, sahelwatch's errors and
anything unexpected all leave the server in this shape. An unexpected error is a 500
``internal`` with a fixed message: no traceback, no SQL, no path leaves the process.
"""

from __future__ import annotations

import logging

from ..domain import errors as E

log = logging.getLogger("sahelwatch.web")

STATUS_CODES = {400: "bad_parameter", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 406: "not_acceptable", 409: "busy", 413: "payload_too_large",
                415: "unsupported_media_type", 422: "bad_parameter", 503: "busy"}


class ApiError(Exception):
    """An error the API answers on purpose."""

    def __init__(self, status: int, code: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or {}


def bad_parameter(param: str, value, message: str, choices=None) -> ApiError:
    details = {"param": param, "value": value}
    if choices:
        details["choices"] = list(choices)
    return ApiError(400, "bad_parameter", message, details)


def body(status: int, code: str, message: str, details: dict | None = None) -> dict:
    return {"error": {"status": status, "code": code, "message": message, "details": details or {}}}


def _response(status: int, code: str, message: str, details: dict | None = None, headers=None):
    from fastapi.responses import JSONResponse

    return JSONResponse(body(status, code, message, details), status_code=status, headers=headers)


def _clean(message: str, limit: int = 300) -> str:
    """One line, bounded: an error message never carries a multi-line dump."""
    line = " ".join(str(message).split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def from_sahelwatch(err: E.SahelwatchError) -> tuple[int, str, dict]:
    """HTTP status, code and details of a sahelwatch error."""
    if isinstance(err, E.StoreBusyError):
        return 409, "busy", {}
    if isinstance(err, E.SnapshotNotFound):
        return 404, "not_found", {"param": "as_of", "value": err.snapshot, "available": err.available}
    if isinstance(err, E.UsageError):
        return 400, "bad_parameter", ({"choices": err.choices} if err.choices else {})
    if isinstance(err, (E.SourceFormatError, E.MappingError, E.RegistryError, E.BoundaryError)):
        return 400, "bad_input", {}
    if isinstance(err, LookupError):
        return 404, "not_found", {}
    if isinstance(err, ValueError):
        return 400, "bad_parameter", {}
    return 500, "internal", {}


def install(app) -> None:
    """Register the handlers that give every error the one shape."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(ApiError)
    async def _api(request, exc: ApiError):
        return _response(exc.status, exc.code, _clean(exc.message), exc.details)

    @app.exception_handler(RequestValidationError)
    async def _validation(request, exc: RequestValidationError):
        errs = exc.errors()
        first = errs[0] if errs else {}
        loc = [str(x) for x in first.get("loc", ()) if x not in ("query", "path", "body", "header")]
        param = ".".join(loc) or "request"
        value = first.get("input")
        details = {"param": param}
        if isinstance(value, (str, int, float, bool)) or value is None:
            details["value"] = value if not isinstance(value, str) else value[:200]
        msg = f"{param}: {first.get('msg', 'invalid value')}"
        return _response(400, "bad_parameter", _clean(msg), details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request, exc: StarletteHTTPException):
        status = exc.status_code
        code = STATUS_CODES.get(status, "internal" if status >= 500 else "bad_request")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if status == 404 and message == "Not Found":
            message = f"no such route: {request.url.path}"
        if status == 405:
            message = f"method {request.method} not allowed on {request.url.path}"
        return _response(status, code, _clean(message), {}, headers=getattr(exc, "headers", None))

    @app.exception_handler(E.SahelwatchError)
    async def _sahelwatch(request, exc: E.SahelwatchError):
        status, code, details = from_sahelwatch(exc)
        if status >= 500:
            log.error("store error on %s: %s", request.url.path, exc)
            return _response(500, "internal", "internal error: the store could not answer this request")
        return _response(status, code, _clean(str(exc)), details)
