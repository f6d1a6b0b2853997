"""Playwright helpers of the browser tests: Debian's Chromium, a network guard that blocks
and records every request to anything but this machine, and the page's ready signal."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = os.environ.get("SAHELWATCH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


def missing_browser() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


class Tab:
    """A page with the network guard and the console watched."""

    def __init__(self, browser, base: str, locale: str = "en-GB"):
        self.base = base
        self.ctx = browser.new_context(viewport={"width": 1300, "height": 900}, locale=locale)
        self.page = self.ctx.new_page()
        self.blocked: list[str] = []
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page.route("**/*", self._guard)
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))

    def _guard(self, route):
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or (parts.hostname or "") in LOOPBACK:
            self.requests.append(url)
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def open(self, path: str = "/"):
        self.page.goto(self.base + path)
        self.wait()
        return self.page

    def wait(self, timeout: float = 90_000):
        # wait_for_selector runs in Playwright's own world: the page's CSP (no eval) allows it
        self.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=timeout)

    def settle(self, action):
        """Run an action that re-renders the page and wait until it has."""
        self.page.evaluate("document.body.dataset.ready = '0'")
        action()
        self.wait()

    def csp_violations(self) -> list[str]:
        return [e for e in self.console_errors if "Content Security Policy" in e]

    def close(self):
        self.ctx.close()


