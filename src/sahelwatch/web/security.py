"""Security headers, the internal-error guard, loopback checks and the write token.

The headers go on every response, errors included. MapLibre GL JS builds its web
workers from blobs (hence ``worker-src blob:``). Scripts and styles are ``'self'``
only: no inline script or ``<style>`` anywhere (styles set from JavaScript through
``element.style`` are not inline styles and are allowed; vega-embed needs
``defaultStyle: false`` and its CSS file served from /static).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import os
import stat
from pathlib import Path

from ..domain.errors import UsageError

log = logging.getLogger("sahelwatch.web")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "worker-src 'self' blob:; child-src 'self' blob:; connect-src 'self'; font-src 'self'; "
       "frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


class SecurityMiddleware:
    """Pure ASGI middleware: adds the headers, and turns an unexpected exception into the
    500 error shape (with the headers) instead of Starlette's plain-text page."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in HEADERS if h[0] not in names]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:  # the last resort: never a traceback to the client
            log.exception("unexpected error on %s", scope.get("path"))
            if started:
                raise
            from .errors import body

            data = json.dumps(body(500, "internal", "internal error")).encode()
            await send_with_headers({"type": "http.response.start", "status": 500,
                                     "headers": [(b"content-type", b"application/json"),
                                                 (b"content-length", str(len(data)).encode())]})
            await send({"type": "http.response.body", "body": data})


def is_loopback(host: str) -> bool:
    """``127.0.0.1``, ``::1``, ``localhost``: addresses only this machine can reach."""
    h = host.strip().strip("[]")
    if h.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def check_host(host: str, private: bool) -> None:
    if private and not is_loopback(host):
        raise UsageError(f"--private shows raw ACLED rows and is for one user on this machine: "
                         f"it needs a loopback host (127.0.0.1, ::1 or localhost), not {host!r}")


def read_token(path: str | os.PathLike) -> str:
    """The write token from a file. Refused when others can read the file (chmod 600)."""
    p = Path(path)
    try:
        st = p.stat()
        text = p.read_text(encoding="utf-8").strip()
    except OSError as err:
        raise UsageError(f"{p}: cannot read the write-token file ({err.strerror})") from err
    if os.name == "posix" and st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise UsageError(f"{p}: the write-token file is readable by others; run: chmod 600 {p}")
    if len(text) < 16 or any(c.isspace() for c in text):
        raise UsageError(f"{p}: the write token must be one word of at least 16 characters")
    return text


def token_matches(header: str | None, token: str | None) -> bool:
    """A constant-time check of ``Authorization: Bearer <token>``."""
    if not token or not header:
        return False
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())
