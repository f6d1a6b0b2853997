"""Serving while another process ingests: the server answers with the previous snapshot
until the new one commits, then with the new one, without a restart."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest

from sw_web import DEMO_LAST, Server, cli, env

ROWS = 60_000


@pytest.mark.slow
def test_server_shows_old_snapshot_until_the_other_process_commits(demo_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    data = tmp_path / "acled_generated.csv"
    cli("generate", "acled", "--rows", ROWS, "--seed", 11, "-o", data)
    s = Server(home)

    def state():
        # one response: the snapshot it was computed from and its counts (two requests could
        # straddle the commit and pair an old snapshot id with the new counts)
        agg = s.get("/api/v1/aggregate", params={"period": "year", "measure": "events",
                                                "breakdown": "source"}).json()
        acled = sum(r["events"] for r in agg["rows"] if r["source"] == "acled")
        ucdp = sum(r["events"] for r in agg["rows"] if r["source"] != "acled")
        return agg["meta"]["as_of"], acled, ucdp

    try:
        assert state() == (DEMO_LAST, 0, 3391)
        proc = subprocess.Popen([sys.executable, "-m", "sahelwatch.cli.main", "ingest", "acled", str(data),
                                 "--home", str(home)], env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        seen = []
        while proc.poll() is None:
            seen.append((proc.poll() is None, state()))
            time.sleep(0.05)
        out, err = proc.communicate()
        assert proc.returncode == 0, err
        after = state()
        latest = s.get("/api/v1/meta").json()["latest_snapshot"]
    finally:
        log = s.stop()
    assert "Traceback" not in log
    states = {st for _, st in seen}
    # every answer is one whole snapshot: never a partly written one
    assert states <= {(DEMO_LAST, 0, 3391), (DEMO_LAST + 1, ROWS, 3391)}, states
    assert any(running and st == (DEMO_LAST, 0, 3391) for running, st in seen), "no answer while the ingest ran"
    assert after == (DEMO_LAST + 1, ROWS, 3391)
    assert latest == DEMO_LAST + 1
    # once the new snapshot was served, the old one never came back
    firsts = [i for i, (_, st) in enumerate(seen) if st[0] == DEMO_LAST + 1]
    assert all(st[0] == DEMO_LAST + 1 for _, st in seen[firsts[0]:]) if firsts else True
