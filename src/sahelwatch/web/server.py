"""Run the app with uvicorn: host checks, the write token, the printed address."""

from __future__ import annotations

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


def serve(app, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, log_level: str = "warning") -> None:
    import uvicorn

    # access_log off: a request line could carry a token in a badly built client's query string
    uvicorn.run(app, host=host, port=int(port), log_level=log_level, access_log=False, server_header=False,
                proxy_headers=False)


def is_loopback_host(host: str) -> bool:
    from .security import is_loopback

    return is_loopback(host)
