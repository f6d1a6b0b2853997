"""Every error path answers the one shape ``{"error": {status, code, message, details}}``,
with the security headers, never a traceback, SQL text or a path (a real server process)."""

from __future__ import annotations

import shutil

import pytest

from sw_web import DEMO_LAST, Server

# (method, path, params, status, code)
CASES = [
    ("GET", "/api/v1/nope", {}, 404, "not_found"),
    ("GET", "/nope.html", {}, 404, "not_found"),
    ("POST", "/api/v1/meta", {}, 405, "method_not_allowed"),
    ("DELETE", "/api/v1/events", {}, 405, "method_not_allowed"),
    ("GET", "/api/v1/aggregate", {"by": "zzz"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"period": "fortnight"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"measure": "deaths"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"breakdown": "colour"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"country": "ZZZ"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"bloc": "NATO"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"from": "2023-02-30"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"from": "yesterday"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"from": "2024", "to": "2023"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"as_of": 99}, 404, "not_found"),
    ("GET", "/api/v1/aggregate", {"as_of": "latest"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"source": "acled"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"category": "war"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"format": "xlsx"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"by": "bloc"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"membership": "sometimes"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"h3_resolution": 16}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"by": "country", "format": "geojson", "period": "year"}, 200, None),
    ("GET", "/api/v1/aggregate", {"by": "bloc", "bloc": "AES", "format": "geojson"}, 400, "bad_parameter"),
    # SQL-looking strings: refused by validation, never run
    ("GET", "/api/v1/aggregate", {"country": "MLI' OR '1'='1"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"by": "country; DROP TABLE events"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"source": "ucdp'--"}, 400, "bad_parameter"),
    ("GET", "/api/v1/aggregate", {"category": "battle' UNION SELECT 1--"}, 400, "bad_parameter"),
    ("GET", "/api/v1/events", {"sort": "date_start; DROP TABLE x"}, 400, "bad_parameter"),
    ("GET", "/api/v1/events", {"limit": 1001}, 400, "bad_parameter"),
    ("GET", "/api/v1/events", {"limit": 0}, 400, "bad_parameter"),
    ("GET", "/api/v1/events", {"limit": "ten"}, 400, "bad_parameter"),
    ("GET", "/api/v1/events", {"cursor": "not-a-cursor"}, 400, "bad_parameter"),
    ("GET", "/api/v1/events", {"cursor": "eyJhZnRlciI6MX0"}, 400, "bad_parameter"),
    ("GET", "/api/v1/events", {"source": "gdelt"}, 400, "bad_parameter"),
    ("GET", "/api/v1/events", {"as_of": 0}, 400, "bad_parameter"),
    ("GET", "/api/v1/events", {"actor": "x\x00y"}, 400, "bad_parameter"),
    ("GET", "/api/v1/trend", {"measure": "events,fatalities_best"}, 400, "bad_parameter"),
    ("GET", "/api/v1/trend", {"window": 2}, 400, "bad_parameter"),
    ("GET", "/api/v1/trend", {"lang": "de"}, 400, "bad_parameter"),
    ("GET", "/api/v1/trend", {"format": "geojson"}, 400, "bad_parameter"),
    ("GET", "/api/v1/indicators", {"unit": "admin2"}, 400, "bad_parameter"),
    ("GET", "/api/v1/indicators", {"sort": "zzz"}, 400, "bad_parameter"),
    ("GET", "/api/v1/alerts", {"kind": "storm"}, 400, "bad_parameter"),
    ("GET", "/api/v1/alerts/score", {}, 400, "bad_parameter"),
    ("GET", "/api/v1/alerts/score", {"from": "2023-13", "to": "2023-06"}, 400, "bad_parameter"),
    ("GET", "/api/v1/blocs/NATO/members", {}, 404, "not_found"),
    ("GET", "/api/v1/blocs/AES/members", {"on": "2024-02-30"}, 400, "bad_parameter"),
    ("GET", "/api/v1/blocs/NATO/timeline", {}, 404, "not_found"),
    ("GET", "/api/v1/blocs/compare", {"blocs": "AES,NATO"}, 400, "bad_parameter"),
    ("GET", "/api/v1/blocs/compare", {"align": "nothing-like-this"}, 400, "bad_parameter"),
    ("GET", "/api/v1/blocs/compare", {"months": 0}, 400, "bad_parameter"),
    ("GET", "/api/v1/places/cell", {"lat": 91, "lon": 0}, 400, "bad_parameter"),
    ("GET", "/api/v1/places/cell", {"lat": "north"}, 400, "bad_parameter"),
    ("GET", "/api/v1/places/search", {"q": ""}, 400, "bad_parameter"),
    ("GET", "/api/v1/places/search", {"q": "!!!"}, 400, "bad_parameter"),
    ("GET", "/api/v1/places/admin", {"country": "USA"}, 404, "not_found"),
    ("GET", "/api/v1/places/admin", {"level": 3}, 400, "bad_parameter"),
    ("GET", "/api/v1/forecast", {}, 400, "bad_parameter"),
    ("GET", "/api/v1/forecast", {"country": "MALI"}, 400, "bad_parameter"),
    ("GET", "/api/v1/forecast", {"country": "MLI", "forecast": "../../etc"}, 400, "bad_parameter"),
    ("GET", "/api/v1/forecast", {"country": "MLI", "forecast": "abcdef"}, 404, "not_found"),
    ("GET", "/api/v1/forecast", {"country": "ZZZ"}, 404, "not_found"),
    ("GET", "/api/v1/forecast", {"country": "MLI", "history": 0}, 400, "bad_parameter"),
    ("GET", "/api/v1/forecast", {"country": "MLI", "lang": "de"}, 400, "bad_parameter"),
    ("POST", "/api/v1/forecasts", {}, 405, "method_not_allowed"),
    ("POST", "/api/v1/ingest", {"kind": "ucdp", "filename": "x.csv"}, 401, "unauthorized"),
    ("GET", "/api/v1/ingest", {}, 405, "method_not_allowed"),
]


def assert_error_shape(r, status: int, code: str | None) -> dict:
    assert r.status_code == status, (r.status_code, r.text[:300])
    h = r.headers
    assert "frame-ancestors 'none'" in h["content-security-policy"] and h["x-content-type-options"] == "nosniff"
    if code is None:
        return {}
    assert h["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message", "details"}
    err = body["error"]
    assert err["status"] == status and err["code"] == code and isinstance(err["details"], dict)
    assert isinstance(err["message"], str) and err["message"] and "\n" not in err["message"]
    echoed = err["details"].get("value")
    text = r.text if not isinstance(echoed, str) else r.text.replace(echoed.replace("'", "\\'"), "").replace(echoed, "")
    for leak in ("Traceback", "SELECT ", "read_parquet", "/tmp/", "duckdb", 'File "'):
        assert leak not in text and leak not in err["message"].replace(str(echoed), ""), (leak, r.text)
    return err


@pytest.mark.parametrize("method,path,params,status,code", CASES,
                         ids=[f"{c[0]} {c[1]} {c[2]}" for c in CASES])
def test_every_error_has_the_one_shape(server, method, path, params, status, code):
    r = server.client.request(method, path, params=params)
    assert_error_shape(r, status, code)


def test_bad_parameter_names_the_parameter_and_the_choices(server):
    err = server.get("/api/v1/aggregate", params={"measure": "deaths"}).json()["error"]
    assert "deaths" in err["message"] and "fatalities_best" in err["details"]["choices"]
    err = server.get("/api/v1/events", params={"limit": 5000}).json()["error"]
    assert err["details"]["param"] == "limit" and err["details"]["value"] == "5000"
    err = server.get("/api/v1/aggregate", params={"as_of": 99}).json()["error"]
    assert err["details"] == {"param": "as_of", "value": 99, "available": list(range(1, DEMO_LAST + 1))}


def test_a_sql_looking_actor_is_only_a_name(server):
    r = server.get("/api/v1/events", params={"actor": "x' OR '1'='1"})
    assert r.status_code == 200 and r.json()["total"] == 0


def test_a_damaged_store_answers_500_internal_without_details(demo_home, tmp_path):
    home = tmp_path / "damaged"
    shutil.copytree(demo_home, home)
    parts = sorted((home).rglob("*.parquet"))
    events = [p for p in parts if "events" in str(p.relative_to(home)) and "cache" not in str(p.relative_to(home))]
    assert events
    for p in events:
        p.write_bytes(b"not parquet at all")
    s = Server(home)
    try:
        r = s.get("/api/v1/events")
        err = assert_error_shape(r, 500, "internal")
        assert err["message"] == "internal error" and err["details"] == {}
    finally:
        log = s.stop()
    assert "unexpected error" in log  # logged on the server side, not sent to the client
