"""Uploads: refused without the write token (401), capped (413), streamed under HOME and
ingested as a new snapshot the next request sees."""

from __future__ import annotations

import shutil

import pytest

from sw_web import DEMO_LAST, Server

TOKEN = "s3cret-token-for-tests-0123456789"

@pytest.fixture()
def writable(demo_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    tok = tmp_path / "token"
    tok.write_text(TOKEN + "\n")
    tok.chmod(0o600)
    s = Server(home, "--write-token-file", tok, "--max-upload-mb", "1")
    yield s, home
    log = s.stop()
    assert TOKEN not in log and TOKEN not in s.stdout

def _post(s, body: bytes, token: str | None = TOKEN, **params):
    headers = {"Content-Type": "application/octet-stream"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return s.client.post("/api/v1/ingest", params={"kind": "acled", "filename": "my acled.csv"} | params,
                         content=body, headers=headers)

def test_uploads_need_the_token(writable, acled_file):
    s, home = writable
    body = acled_file.read_bytes()[:200_000]
    for token in (None, "wrong-token-wrong-token", TOKEN + "x"):
        r = _post(s, body, token)
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert s.get("/api/v1/meta").json()["latest_snapshot"] == DEMO_LAST
    assert not (home / "uploads").exists() or not any((home / "uploads").rglob("*.csv"))

def test_an_upload_becomes_a_snapshot(writable, acled_file, tmp_path):
    s, home = writable
    import csv

    small = tmp_path / "small.csv"
    with open(acled_file, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))[:501]
    with open(small, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    assert s.get("/api/v1/meta").json()["write_enabled"] is True
    r = _post(s, small.read_bytes())
    assert r.status_code == 200, r.text
    rep = r.json()
    assert rep["snapshot"] == DEMO_LAST + 1 and rep["source"] == "acled" and rep["counts"]["accepted"] == 500
    assert rep["file"] == "my_acled.csv" and rep["bytes"] == small.stat().st_size
    saved = list((home / "uploads").rglob("my_acled.csv"))
    assert len(saved) == 1 and saved[0].read_bytes() == small.read_bytes()
    m = s.get("/api/v1/meta").json()
    assert m["latest_snapshot"] == DEMO_LAST + 1 and m["acled_mode"] == "aggregates"
    again = _post(s, small.read_bytes()).json()
    assert again["snapshot"] is None and again["duplicate_of"] == DEMO_LAST + 1

def test_an_upload_over_the_cap_is_413_and_leaves_nothing(writable, acled_file):
    s, home = writable
    big = acled_file.read_bytes()
    assert len(big) > 1024 * 1024
    r = _post(s, big)
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"

    def chunks():  # no Content-Length: the cap is enforced while streaming
        for i in range(0, len(big), 65536):
            yield big[i:i + 65536]

    r = s.client.post("/api/v1/ingest", params={"kind": "acled", "filename": "x.csv"}, content=chunks(),
                      headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413
    assert not any((home / "uploads").rglob("*.csv")) if (home / "uploads").exists() else True
    assert s.get("/api/v1/meta").json()["latest_snapshot"] == DEMO_LAST

def test_bad_uploads_are_400(writable):
    s, _ = writable
    assert _post(s, b"").json()["error"]["code"] == "bad_parameter"
    assert _post(s, b"a,b\n1,2\n", kind="csv").json()["error"]["details"]["choices"] == [
        "acled", "acled-deletions", "ucdp", "ucdp-candidate"]
    r = _post(s, b"not,an,acled,file\n1,2,3,4\n")
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_input"

def test_a_read_only_server_answers_401(server):
    r = server.client.post("/api/v1/ingest", params={"kind": "acled", "filename": "x.csv"}, content=b"x",
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 401 and "read-only" in r.json()["error"]["message"]
