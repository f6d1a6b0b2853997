"""Property-based tests from the OpenAPI document (schemathesis) against a real server on
127.0.0.1 over the demo store: no 5xx, and every JSON response matches its schema and a
documented content type. Bounded (few examples per operation) to run in about a minute."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sw_web import env

EXAMPLES = 8


def _schemathesis() -> str | None:
    exe = Path(sys.executable).with_name("schemathesis")
    return str(exe) if exe.exists() else shutil.which("schemathesis")


@pytest.mark.slow
def test_no_server_error_and_every_response_matches_the_schema(server, tmp_path):
    exe = _schemathesis()
    assert exe, "schemathesis is a test dependency (pip install -e .[test])"
    cmd = [exe, "run", f"{server.url}/api/v1/openapi.json", "--url", server.url,
           "--checks", "not_a_server_error,response_schema_conformance,content_type_conformance",
           "--phases", "examples,fuzzing", "--max-examples", str(EXAMPLES), "--seed", "20261203",
           "--workers", "2", "--no-shrink", "--request-timeout", "60", "--warnings", "off"]
    r = subprocess.run(cmd, cwd=tmp_path, env=env(), capture_output=True, text=True, timeout=600)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out[-6000:]
    assert "Selected: 23/23" in out and "Tested: 23" in out, out[-3000:]
    assert server.get("/api/v1/meta").status_code == 200  # still serving
