"""UCDP's API: GED releases and Candidate releases, paged, behind an access token.

What this relies on (UCDP API documentation, ucdp.uu.se/apidocs, 2025):

- ``GET {base}/api/gedevents/<version>?pagesize=<n>&page=<k>`` (pages count from 0;
  ``pagesize`` at most 1000), optional filters ``Country=<GW codes, comma-separated>``,
  ``StartDate``/``EndDate`` (YYYY-MM-DD);
- the header ``x-ucdp-access-token`` on every request (tokens are issued by UCDP on request);
- the answer ``{"TotalCount", "TotalPages", "PreviousPageUrl", "NextPageUrl", "Result": [...]}``;
  rows carry the GED CSV's field names, so they go through :mod:`sahelwatch.sources.ucdp`;
- a quota of 5,000 requests per day per token, failed requests included; HTTP 429 once it
  is spent. A 429 is therefore never retried here: retrying would spend more quota.

Candidate releases are ``<yy>.0.<month>`` (25.0.1 ... 25.0.12 after GED 25.1); a version
not (yet) published answers 404, or 200 with no rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..domain.errors import AccessDenied, AuthError, QuotaExceeded, ServiceError
from . import _http

SERVICE = "UCDP"
DEFAULT_BASE = "https://ucdpapi.pcr.uu.se"
PAGE_SIZE = 1000
DAILY_QUOTA = 5000
HEADER = "x-ucdp-access-token"


@dataclass
class Page:
    rows: list[dict]
    total_pages: int
    total_count: int | None
    next_url: str | None


@dataclass
class UcdpClient(_http.ClientBase):
    token: str
    base_url: str = DEFAULT_BASE
    policy: _http.RetryPolicy = field(default_factory=_http.RetryPolicy)
    pagesize: int = PAGE_SIZE
    on_request: Callable[[], None] | None = None  # quota accounting: called before every attempt
    stats: _http.Stats = field(default_factory=_http.Stats)

    def __post_init__(self):
        self.base_url = self.base_url.rstrip("/")
        self._client = _http.new_client(self.policy.timeout)

    def page(self, version: str, page: int, filters: dict | None = None) -> Page | None:
        """One page of a release; None when the release does not exist (HTTP 404)."""
        url = f"{self.base_url}/api/gedevents/{version}"
        resp = _http.request(self._client, "GET", url, service=SERVICE, policy=self.policy, stats=self.stats,
                             on_attempt=self.on_request, retry_status=_http.RETRY_STATUS - {429},
                             params={"pagesize": self.pagesize, "page": page, **(filters or {})},
                             headers={HEADER: self.token})
        if resp.status_code == 404:
            return None
        if resp.status_code == 401:
            raise AuthError(SERVICE, "the access token was refused (HTTP 401: missing, wrong or expired)",
                            "run `sahelwatch credentials set ucdp` with the token UCDP sent you")
        if resp.status_code == 403:
            raise AccessDenied(SERVICE, "the token is valid but may not read this release (HTTP 403)",
                               "ask UCDP (ucdp.uu.se/apidocs) for access to the API")
        if resp.status_code == 429:
            raise QuotaExceeded(SERVICE, "the daily request quota of this token is spent (HTTP 429)",
                                "wait until tomorrow (UTC); rerunning resumes where it stopped")
        if resp.status_code != 200:
            raise ServiceError(SERVICE, f"gedevents/{version} answered HTTP {resp.status_code}",
                               "check --release and --base-url")
        body = _http.json_body(resp, SERVICE)
        rows = body.get("Result") or []
        return Page(list(rows), int(body.get("TotalPages") or 0),
                    int(body["TotalCount"]) if body.get("TotalCount") is not None else None,
                    body.get("NextPageUrl") or None)


def candidate_versions(release: str) -> list[str]:
    """The Candidate versions that follow a GED release: 25.1 -> 25.0.1 ... 25.0.12."""
    yy = release.split(".")[0]
    return [f"{yy}.0.{m}" for m in range(1, 13)]
