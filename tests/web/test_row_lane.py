"""Event rows are read in a lane: while every place in it is taken, an events request waits,
and the aggregates the map asks for are answered meanwhile.

The server runs in this process (uvicorn on 127.0.0.1, in a thread) so the test can hold
the lane's places itself; every request still goes over HTTP.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from sw_web import free_port


@pytest.fixture()
def local_server(demo_home):
    import uvicorn

    from sahelwatch.web.app import create_app

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(demo_home), host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/api/v1/meta", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    yield url
    srv.should_exit = True
    t.join(30)


def test_an_events_page_waits_for_the_lane_and_aggregates_do_not(local_server, demo_obs):
    from sahelwatch.web import routes_events

    want = demo_obs.events_page(source="ucdp_ged", sort="-date_start", limit=5).table.column("event_key").to_pylist()
    held = [routes_events._lane.acquire(timeout=10) for _ in range(routes_events.ROW_LANES)]
    assert all(held)
    out: dict = {}

    def page():
        out["r"] = httpx.get(local_server + "/api/v1/events",
                             params={"source": "ucdp_ged", "sort": "-date_start", "limit": 5}, timeout=60)

    t = threading.Thread(target=page)
    try:
        t.start()
        agg = httpx.get(local_server + "/api/v1/aggregate", params={"by": "country", "period": "year",
                                                                     "country": "MLI"}, timeout=60)
        assert agg.status_code == 200 and agg.json()["rows"], agg.text
        t.join(1.0)
        assert t.is_alive() and "r" not in out  # the page is still waiting for a place
    finally:
        for _ in held:
            routes_events._lane.release()
    t.join(60)
    assert out["r"].status_code == 200
    assert [r["event_key"] for r in out["r"].json()["rows"]] == want
