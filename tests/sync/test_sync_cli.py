"""The sync and credentials commands: smoke tests, kills at any point, and no secret in any output."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sw_sync import EMAIL, PASSWORD, SAHEL, UCDP_TOKEN, server_rows, store_rows

import sahelwatch
from sahelwatch.cli.main import cli

SRC = Path(sahelwatch.__file__).parent.parent


def _run(*args, input=None, code=0):
    res = CliRunner().invoke(cli, list(args), input=input)
    assert res.exit_code == code, res.output
    assert "Traceback" not in res.output
    return res.output


def test_credentials_set_stores_a_0600_file_and_prints_no_secret(tmp_path):
    out = _run("credentials", "set", "acled", "--email", EMAIL, input=PASSWORD + "\n")
    assert "Stored acled credentials in the file" in out and "0600" in out and PASSWORD not in out
    out += _run("credentials", "set", "ucdp", input=UCDP_TOKEN + "\n")
    f = tmp_path / "config" / "credentials.json"
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    shown = _run("credentials", "show")
    assert "acled: email, password set" in shown and "ucdp: token set" in shown
    assert PASSWORD not in out + shown and UCDP_TOKEN not in out + shown


def test_no_output_file_or_snapshot_ever_holds_a_secret(tmp_path, acled_server):
    """Every command's output, every file the store holds, every error: grepped for the secrets."""
    from sahelwatch.fixtures.servers import AcledServer, UcdpServer
    from sahelwatch.fixtures.servers.ucdp import seed_frame

    home = str(tmp_path / "home")
    outs = [_run("credentials", "set", "acled", "--email", EMAIL, input=PASSWORD + "\n"),
            _run("credentials", "set", "ucdp", input=UCDP_TOKEN + "\n")]
    acled = ["--home", home, "--base-url", acled_server.url, "--page-size", "300"]
    outs.append(_run("sync", "acled", "--country", "MLI,BFA,NER", "--since", "2018-01-01", *acled))
    acled_server.mutate(change=0.02, delete=0.01, seed=3)
    outs.append(_run("sync", "acled", "--country", "MLI,BFA,NER", "--json", *acled))
    with UcdpServer({"25.1": seed_frame(rows=300, seed=2, release="25.1")}, tokens={UCDP_TOKEN}) as u:
        outs.append(_run("sync", "ucdp", "--release", "25.1", "--candidate", "--home", home, "--base-url", u.url))
    outs += [_run("sync", "status", "--home", home), _run("sync", "status", "--json", "--home", home),
             _run("snapshots", "--json", "--home", home), _run("summary", "--home", home)]
    # error paths too: a refused account, a wrong token
    with AcledServer(acled_server.current(), users={EMAIL: PASSWORD}, api_enabled=False) as denied:
        outs.append(_run("sync", "acled", "--country", "MLI", "--home", home, "--full", "--base-url", denied.url,
                         code=1))
    assert "not enabled for API access" in outs[-1]
    _run("credentials", "set", "ucdp", input="a-wrong-token-99\n")
    with UcdpServer({"25.1": seed_frame(rows=10, seed=2, release="25.1")}, tokens={UCDP_TOKEN}) as u:
        outs.append(_run("sync", "ucdp", "--release", "26.1", "--home", home, "--base-url", u.url, code=1))
    assert "access token was refused" in outs[-1]
    secrets = [PASSWORD, UCDP_TOKEN, "a-wrong-token-99", *acled_server.tokens, *acled_server.refresh_tokens]
    text = "\n".join(outs)
    for s in secrets:
        assert s not in text
    for p in Path(home).rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            for s in secrets:
                assert s.encode() not in data, f"{p} holds a secret"
    assert store_rows(sahelwatch.open(home)) == server_rows(acled_server)


def _cli(home, url, env_extra=None, *extra):
    env = {**os.environ, "PYTHONPATH": str(SRC), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "sahelwatch.cli.main", "sync", "acled", "--country", "MLI,BFA,NER",
                           "--since", "2018-01-01", "--page-size", "100", "--home", str(home), "--base-url", url,
                           *extra], capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.slow
def test_killed_mid_sync_resumes_without_duplicates_or_gaps(tmp_path, acled_server, creds):
    home = tmp_path / "home"
    res = _cli(home, acled_server.url, {"SAHELWATCH_SYNC_CRASH_AT": "page:3"})
    assert res.returncode == -9
    obs = sahelwatch.open(home)
    assert obs.snapshots() == []  # the store was not touched
    n = len([e for e in acled_server.requests("/api/acled/read") if e.params.get("limit") == "100"])
    res = _cli(home, acled_server.url)
    assert res.returncode == 0, res.stderr
    assert "resumed" in res.stdout
    pages = [e for e in acled_server.requests("/api/acled/read") if e.params.get("limit") == "100"]
    assert n == 3  # killed right after the third page was saved
    assert len(pages) - n == len({(e.params["iso"], e.params["page"]) for e in pages}) - 3
    assert store_rows(obs) == server_rows(acled_server)
    assert obs.snapshots()[0].counts["repeated_in_file"] == 0


@pytest.mark.slow
def test_killed_between_commit_and_state_makes_no_second_snapshot(tmp_path, acled_server, creds):
    home = tmp_path / "home"
    res = _cli(home, acled_server.url, {"SAHELWATCH_SYNC_CRASH_AT": "committed"})
    assert res.returncode == -9
    obs = sahelwatch.open(home)
    assert len(obs.snapshots()) == 1
    res = _cli(home, acled_server.url)
    assert res.returncode == 0, res.stderr
    assert len(obs.snapshots()) == 1 and "Snapshot 1" in res.stdout
    st = json.loads((home / "sync" / "state.json").read_text())
    assert set(st["acled"]["countries"]) == set(SAHEL) and all(v["cutoff"] for v in st["acled"]["countries"].values())
    assert store_rows(obs) == server_rows(acled_server)


def test_status_says_when_data_is_stale(obs, acled_server, creds):
    import datetime as dt

    from sahelwatch.sync import state

    obs.sync.acled(countries=["MLI"], since="2018-01-01", base_url=acled_server.url, every="1d")
    (row,) = state.status(obs.layout)
    assert row["every"] == "1d" and not row["stale"]
    (later,) = state.status(obs.layout, at=state.now() + dt.timedelta(days=2))
    assert later["stale"]
    out = _run("sync", "status", "--home", str(obs.home))
    assert "acled" in out and "current" in out


def test_every_rejects_a_bad_interval(tmp_path):
    out = _run("sync", "acled", "--country", "MLI", "--every", "soon", "--home", str(tmp_path / "h"), code=2)
    assert "--every 'soon'" in out and "1d" in out
