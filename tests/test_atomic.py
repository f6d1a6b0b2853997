"""Atomic and safe: a killed ingest leaves the store as it was; one ingest at a time;
readers are never blocked and never see half a snapshot."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest

import sahelwatch
from sw_rows import acled_row, write_csv
from sahelwatch.store.ingest import CRASH_POINTS
from sahelwatch.store.lock import IngestLock

INGEST = "import sys, sahelwatch; sahelwatch.open(sys.argv[1]).ingest('acled', sys.argv[2])"


def _state(home):
    obs = sahelwatch.open(home)
    ev = obs.events().to_polars()
    return [s.id for s in obs.snapshots()], sorted(zip(ev["event_key"], ev["fatalities_best"]))


def _files(home):
    return sorted(str(p.relative_to(home)) for p in home.rglob("*.parquet"))


@pytest.fixture
def store(tmp_path):
    home = tmp_path / "home"
    obs = sahelwatch.open(home)
    obs.ingest("acled", write_csv(tmp_path / "first.csv", [acled_row(i) for i in range(1, 50)]))
    second = write_csv(tmp_path / "second.csv",
                       [acled_row(i, fatalities=i % 7, timestamp=1705600000) for i in range(1, 3000)])
    return home, second


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_sigkill_at_each_step_leaves_store_as_before_or_complete(store, point):
    home, second = store
    before, files_before = _state(home), _files(home)
    env = {**os.environ, "SAHELWATCH_CRASH_AT": point}
    proc = subprocess.run([sys.executable, "-c", INGEST, str(home), str(second)], env=env)
    assert proc.returncode == -signal.SIGKILL
    after = _state(home)
    if point == "committed":
        assert after[0] == [1, 2] and len(after[1]) == 2999
        # the catalog was not refreshed by the killed process; opening rebuilds it
        import duckdb

        con = duckdb.connect(str(home / "catalog.duckdb"), read_only=True)
        assert con.sql("SELECT count(*) FROM events").fetchall() == [(2999,)]
        con.close()
        return
    assert after == before
    rep = sahelwatch.open(home).ingest("acled", second)  # the next ingest works ...
    assert rep.snapshot == 2 and rep.counts["changed"] == 49 and rep.counts["new"] == 2950
    assert set(_files(home)) - set(files_before) == {  # ... and no leftovers remain
        "events/000002-0000.parquet", "closures/000002-0000.parquet", "raw/000002-0000.parquet"}
    assert not any((home / "staging").iterdir())


def test_sigkill_at_random_moments(store):
    home, second = store
    before = _state(home)
    rnd = random.Random(11)
    outcomes = set()
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", INGEST, str(home), str(second)])
        time.sleep(rnd.uniform(0.2, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        snaps, events = _state(home)
        if snaps == [1]:
            assert (snaps, events) == before
            outcomes.add("before")
        else:
            assert snaps == [1, 2] and len(events) == 2999
            outcomes.add("after")
            break
    assert outcomes  # every kill left one of the two states


def test_second_ingest_fails_clearly_while_one_runs(store):
    home, second = store
    with IngestLock(home / "ingest.lock"):
        proc = subprocess.run([sys.executable, "-m", "sahelwatch.cli.main", "ingest", "acled", str(second),
                               "--home", str(home)], capture_output=True, text=True)
        assert proc.returncode == 1
        assert "another ingest is running" in proc.stderr and "Traceback" not in proc.stderr
        # readers are not blocked by the lock
        proc = subprocess.run([sys.executable, "-m", "sahelwatch.cli.main", "events", "--home", str(home)],
                              capture_output=True, text=True)
        assert proc.returncode == 0 and proc.stdout.count("\n") == 50
    assert sahelwatch.open(home).ingest("acled", second).snapshot == 2


def test_reader_sees_the_previous_state_during_an_ingest(store):
    home, second = store
    obs = sahelwatch.open(home)
    reached, release = threading.Event(), threading.Event()

    def progress(stage, done, total):
        if stage == "write":
            reached.set()
            release.wait(10)

    t = threading.Thread(target=lambda: obs.ingest("acled", second, progress=progress))
    t.start()
    assert reached.wait(30)
    during = sahelwatch.open(home).events().to_polars()
    assert during.height == 49 and set(during["fatalities_best"]) == {3}
    release.set()
    t.join()
    assert len(sahelwatch.open(home).events()) == 2999


def test_deleting_the_catalog_rebuilds_it(store):
    import duckdb

    home, _ = store
    (home / "catalog.duckdb").unlink()
    sahelwatch.open(home)
    con = duckdb.connect(str(home / "catalog.duckdb"), read_only=True)
    assert con.sql("SELECT count(*) FROM events").fetchall() == [(49,)]
    assert con.sql("SELECT id, accepted FROM snapshots").fetchall() == [(1, 49)]
    con.close()
