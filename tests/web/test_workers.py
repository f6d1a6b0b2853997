"""``sahelwatch serve --workers 2``: two server processes on one socket answer as one server."""

from __future__ import annotations

import httpx
import psutil

from sw_web import Server


def test_two_workers_share_the_store_and_the_cursor_secret(demo_home, demo_obs):
    s = Server(demo_home, "--workers", "2")
    try:
        kids = psutil.Process(s.proc.pid).children(recursive=True)
        assert len([k for k in kids if "python" in k.name().lower()]) >= 2, [k.name() for k in kids]
        want = demo_obs.events_page(source="ucdp_ged", sort="-date_start", limit=1000).table.column("event_key")
        want = want.to_pylist()
        got, cursor = [], None
        # a fresh connection per page: the kernel hands connections to either process, and a
        # cursor signed by one must be good at the other
        for _ in range(40):
            params = {"source": "ucdp_ged", "sort": "-date_start", "limit": 25} | ({"cursor": cursor} if cursor else {})
            r = httpx.get(s.url + "/api/v1/events", params=params, timeout=60)
            assert r.status_code == 200, r.text
            body = r.json()
            got += [x["event_key"] for x in body["rows"]]
            cursor = body["next_cursor"]
            if not cursor:
                break
        assert got == want and len(got) == 1000
        for _ in range(4):  # read-only in every worker
            r = httpx.post(s.url + "/api/v1/ingest", params={"kind": "acled", "filename": "x.csv"}, content=b"x",
                           timeout=30)
            assert r.status_code == 401 and "read-only" in r.json()["error"]["message"]
    finally:
        err = s.stop()
    assert "Traceback" not in err, err
