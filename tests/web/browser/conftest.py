"""Browser tests: Playwright driving Debian's Chromium against a real ``sahelwatch serve``.

Every request the page makes to anything but 127.0.0.1/localhost is blocked and recorded,
so a test can assert the dashboard asked the network for nothing. Without
``/usr/bin/chromium`` the tests skip and say so; with ``SAHELWATCH_REQUIRE_BROWSER=1``
(set by ``.ci/run``) a missing browser is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sw_browser import ARGS, CHROMIUM, SCREENSHOTS, Tab, missing_browser
from sw_web import Server


@pytest.fixture(scope="session")
def browser():
    reason = missing_browser()
    if reason:
        if os.environ.get("SAHELWATCH_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (SAHELWATCH_REQUIRE_BROWSER=1) but {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def web(demo_home):
    s = Server(demo_home)
    yield s
    err = s.stop()
    assert "Traceback" not in err, err


@pytest.fixture(scope="session")
def acled_web(acled_home):
    s = Server(acled_home)
    yield s
    s.stop()


@pytest.fixture
def tab(browser, web):
    t = Tab(browser, web.url)
    yield t
    t.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
