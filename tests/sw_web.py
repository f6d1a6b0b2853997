"""Real servers for the web tests: ``sahelwatch serve`` in its own process on 127.0.0.1.

The demo store (bundled real UCDP data) is built once per session; a store with
generated ACLED-format rows (the package's seeded generator, never real ACLED data)
too. Each server is a subprocess talking HTTP on a free loopback port.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

#: the demo store's last snapshot: one per bundled event file and per bundled series
def _demo_last() -> int:
    from sahelwatch import demo

    return len(demo.DEMO_FILES) + len(demo.DEMO_SERIES)


DEMO_LAST = _demo_last()
FORMULA_NOTE = '=HYPERLINK("http://example.invalid","click")'
FORMULA_LOCATION = "-2+3"
SRC = Path(__file__).resolve().parents[1] / "src"


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(SRC) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    e.pop("SAHELWATCH_HOME", None)
    return e


def cli(*args, check: bool = True, **kw) -> subprocess.CompletedProcess:
    """Run ``sahelwatch ARGS`` in a new process."""
    return subprocess.run([sys.executable, "-m", "sahelwatch.cli.main", *map(str, args)], env=env(),
                          capture_output=True, text=True, check=check, timeout=kw.pop("timeout", 600), **kw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, home: Path, *args):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sahelwatch.cli.main", "serve", "--home", str(home), "--port", str(self.port),
             *map(str, args)], env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.stop()}")
            try:
                if httpx.get(self.url + "/api/v1/openapi.json", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("server did not answer within 60 s")
            time.sleep(0.2)
        self.client = httpx.Client(base_url=self.url, timeout=60)

    def get(self, path: str, **kw) -> httpx.Response:
        return self.client.get(path, **kw)

    def stop(self) -> str:
        """Stop the server; its stderr."""
        if getattr(self, "client", None) is not None:
            self.client.close()
            self.client = None
        if self.proc.returncode is not None and self.proc.stderr.closed:
            return ""
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            out, err = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate(timeout=10)
        self.stdout = out
        return err


