"""Run the app with uvicorn: host checks, the write token, the printed address, worker processes.

One process serves requests on threads, which share Python's interpreter lock: the
Python part of every request (validation, shaping, JSON) takes turns. ``workers=N``
starts N processes on one socket instead; they read the same store (each request reads
the snapshot manifests) and sign event cursors with one secret, handed to them with the
rest of the configuration in the environment variable ``SAHELWATCH_SERVE`` (the write
token travels as its file's path, never as text).
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from ..domain.errors import UsageError
from .security import check_host, read_token

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def url(host: str, port: int) -> str:
    h = f"[{host}]" if ":" in host else host
    return f"http://{h}:{port}"


def prepare(home, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, private: bool = False,
            write_token_file: str | Path | None = None, max_upload_mb: float = 200):
    """Check the options and build the app (without serving it): ``(app, url)``."""
    from .app import create_app

    check_host(host, private)
    if not 0 < int(port) < 65536:
        raise UsageError(f"--port {port}: not a TCP port (1..65535)")
    token = read_token(write_token_file) if write_token_file else None
    app = create_app(home, private=private, write_token=token, max_upload_mb=max_upload_mb)
    return app, url(host, port)


ENV = "SAHELWATCH_SERVE"


def serve(app, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, log_level: str = "warning",
          workers: int = 1, options: dict | None = None) -> None:
    """Serve ``app``; with ``workers`` > 1, that many processes each build the app from
    ``options`` (the keywords given to :func:`prepare`: home, private, write_token_file,
    max_upload_mb)."""
    import uvicorn

    # access_log off: a request line could carry a token in a badly built client's query string
    common = {"host": host, "port": int(port), "log_level": log_level, "access_log": False, "server_header": False,
              "proxy_headers": False}
    if workers <= 1:
        uvicorn.run(app, **common)
        return
    opts = dict(options or {})
    opts["home"] = str(Path(opts["home"]).expanduser()) if opts.get("home") else str(app.state.sw.home)
    opts["secret"] = secrets.token_hex(32)
    os.environ[ENV] = json.dumps(opts)
    uvicorn.run("sahelwatch.web.server:app_from_env", factory=True, workers=int(workers), **common)


def app_from_env():
    """The app of one worker process (see :func:`serve`)."""
    from .app import create_app

    o = json.loads(os.environ[ENV])
    token = read_token(o["write_token_file"]) if o.get("write_token_file") else None
    return create_app(o["home"], private=bool(o.get("private")), write_token=token,
                      max_upload_mb=float(o.get("max_upload_mb") or 200), secret=bytes.fromhex(o["secret"]))


def is_loopback_host(host: str) -> bool:
    from .security import is_loopback

    return is_loopback(host)
