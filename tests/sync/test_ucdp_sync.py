"""UCDP sync against a local server that follows UCDP's API documentation."""

from __future__ import annotations

import pytest

from sw_sync import UCDP_TOKEN

from sahelwatch.domain.errors import AuthError, QuotaExceeded


@pytest.fixture(scope="module")
def releases():
    from sahelwatch.fixtures.servers.ucdp import seed_frame

    return {
        "25.1": seed_frame(rows=1200, seed=3, release="25.1", start="2020-01-01", end="2024-12-31"),
        "25.0.1": seed_frame(rows=150, seed=4, release="25.0.1", kind="candidate", start="2025-01-01", end="2025-01-31"),
        "25.0.2": seed_frame(rows=120, seed=5, release="25.0.2", kind="candidate", start="2025-02-01", end="2025-02-28"),
        "26.1": seed_frame(rows=1300, seed=6, release="26.1", start="2020-01-01", end="2025-12-31"),
    }


@pytest.fixture
def ucdp_server(releases):
    from sahelwatch.fixtures.servers import UcdpServer

    with UcdpServer({k: v for k, v in releases.items() if k != "26.1"}, tokens={UCDP_TOKEN}) as srv:
        yield srv


def _ids(obs, source):
    df = obs.events(source=source).to_polars()
    return set(df["source_event_id"].to_list())


def _want(frame):
    import polars as pl

    return set(frame.select(pl.col("id").str.replace(r"\.0+$", "")).to_series().to_list())


def test_ged_release_then_candidate_months_each_one_snapshot(obs, ucdp_server, releases, creds):
    rep = obs.sync.ucdp(release="25.1", candidate=True, base_url=ucdp_server.url)
    assert _ids(obs, "ucdp_ged") == _want(releases["25.1"])
    assert _ids(obs, "ucdp_candidate") == _want(releases["25.0.1"]) | _want(releases["25.0.2"])
    snaps = obs.snapshots()
    assert [(s.kind, s.release) for s in snaps] == [("ucdp", "25.1"), ("ucdp-candidate", "25.0.1"),
                                                   ("ucdp-candidate", "25.0.2")]
    assert rep.counts["snapshots"] == 3 and rep.counts["new"] == 1200 + 150 + 120
    reqs = ucdp_server.requests("/api/gedevents")
    assert {e.params["pagesize"] for e in reqs} == {"1000"}
    # 2 pages + 1 + 1, then 25.0.3 is not published (404): the end of the Candidate months
    assert [e.path.rsplit("/", 1)[1] for e in reqs] == ["25.1", "25.1", "25.0.1", "25.0.2", "25.0.3"]
    assert reqs[-1].status == 404
    # run again: nothing is fetched twice
    n = len(reqs)
    again = obs.sync.ucdp(release="25.1", candidate=True, base_url=ucdp_server.url)
    assert again.counts["snapshots"] == 0 and len(ucdp_server.requests()) == n + 1  # only the 25.0.3 probe
    st = {r["source"]: r for r in obs.sync.status()}["ucdp"]
    assert st["quota_used_today"] == n + 1 and st["quota"] == 5000


def test_next_ged_release_supersedes_the_candidate_months_it_covers(obs, ucdp_server, releases, creds):
    obs.sync.ucdp(release="25.1", candidate=True, base_url=ucdp_server.url)
    ucdp_server.releases["26.1"] = __import__("sahelwatch.fixtures.servers.ucdp", fromlist=["_typed"])._typed(
        releases["26.1"])
    rep = obs.sync.ucdp(release="26.1", base_url=ucdp_server.url)
    assert _ids(obs, "ucdp_ged") == _want(releases["26.1"])
    assert _ids(obs, "ucdp_candidate") == set()  # 2025 is covered by GED 26.1
    assert rep.counts["superseded_candidates"] == 270


def test_daily_quota_is_respected_reported_and_the_sync_resumes(obs, ucdp_server, releases, creds):
    from sahelwatch.fixtures.servers import UcdpServer

    with UcdpServer({"25.1": releases["25.1"]}, tokens={UCDP_TOKEN}) as srv:
        with pytest.raises(QuotaExceeded, match="quota of 1 requests is spent.*resumes"):
            obs.sync.ucdp(release="25.1", base_url=srv.url, quota=1)
        assert len(srv.requests()) == 1 and obs.snapshots() == []
        st = {r["source"]: r for r in obs.sync.status()}["ucdp"]
        assert st["quota_used_today"] == 1 and st["interrupted_run"]
        rep = obs.sync.ucdp(release="25.1", base_url=srv.url, quota=5)
        assert rep.resumed and len(srv.requests()) == 2  # only the page not yet fetched
        assert _ids(obs, "ucdp_ged") == _want(releases["25.1"])


def test_server_side_quota_answers_429_and_is_not_retried(obs, releases, creds):
    from sahelwatch.fixtures.servers import UcdpServer

    with UcdpServer({"25.1": releases["25.1"]}, tokens={UCDP_TOKEN}, quota=1) as srv:
        with pytest.raises(QuotaExceeded, match="HTTP 429"):
            obs.sync.ucdp(release="25.1", base_url=srv.url)
        assert len(srv.requests()) == 2  # no retries spent on a spent quota


def test_bad_token_is_explained(obs, ucdp_server):
    from sahelwatch.sync import credentials

    credentials.set_credentials("ucdp", token="wrong-token-123")
    with pytest.raises(AuthError, match="credentials set ucdp") as e:
        obs.sync.ucdp(release="25.1", base_url=ucdp_server.url)
    assert "wrong-token-123" not in str(e.value)


def test_country_filter_keeps_ged_partial(obs, ucdp_server, releases, creds):
    import polars as pl

    rep = obs.sync.ucdp(release="25.1", countries=["MLI", "BFA"], base_url=ucdp_server.url)
    df = obs.events(source="ucdp_ged").to_polars()
    want = releases["25.1"].filter(pl.col("country_id").is_in(["432", "439"]))
    assert df.height == want.height and set(df["country_iso3"]) <= {"MLI", "BFA"}
    assert any("partial" in w for w in rep.warnings)
    assert all(e.params.get("Country") == "439,432" for e in ucdp_server.requests("/api/gedevents"))


def test_unknown_release_is_a_usage_error(obs, ucdp_server, creds):
    from sahelwatch.domain.errors import UsageError

    with pytest.raises(UsageError, match="no GED release 19.9"):
        obs.sync.ucdp(release="19.9", base_url=ucdp_server.url)
