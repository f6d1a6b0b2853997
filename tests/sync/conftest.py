"""Local ACLED and UCDP servers (real HTTP on 127.0.0.1), seeded from the package's generator."""

from __future__ import annotations

import pytest

from sw_sync import EMAIL, PASSWORD, UCDP_TOKEN


@pytest.fixture(autouse=True)
def _sync_env(tmp_path, monkeypatch):
    """Credentials from a 0600 file in a temporary config dir; fast backoff; no real endpoints."""
    monkeypatch.setenv("SAHELWATCH_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SAHELWATCH_CREDENTIALS", "file")
    monkeypatch.setenv("SAHELWATCH_SYNC_BACKOFF", "0.01")
    for v in ("SAHELWATCH_ACLED_EMAIL", "SAHELWATCH_ACLED_PASSWORD", "SAHELWATCH_UCDP_TOKEN",
              "SAHELWATCH_ACLED_URL", "SAHELWATCH_UCDP_URL", "SAHELWATCH_SYNC_CRASH_AT"):
        monkeypatch.delenv(v, raising=False)


@pytest.fixture(scope="session")
def acled_seed():
    from sahelwatch.fixtures.servers.acled import seed_frame

    return seed_frame(rows=4000, seed=11)


@pytest.fixture
def acled_server(acled_seed):
    from sahelwatch.fixtures.servers import AcledServer

    with AcledServer(acled_seed, users={EMAIL: PASSWORD}) as srv:
        yield srv


@pytest.fixture
def creds():
    from sahelwatch.sync import credentials

    credentials.set_credentials("acled", email=EMAIL, password=PASSWORD)
    credentials.set_credentials("ucdp", token=UCDP_TOKEN)

