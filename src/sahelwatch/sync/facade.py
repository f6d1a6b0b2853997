"""``obs.sync``: the door on :class:`~sahelwatch.api.Observatory` to the API syncs."""

from __future__ import annotations

import os

from ..sources import _http, acled_api, ucdp_api
from ..sources.base import Progress
from ..store.layout import Layout
from . import credentials, state


def _resolve_url(service: str, given: str | None) -> str:
    """``--base-url``, else ``$SAHELWATCH_ACLED_URL`` / ``$SAHELWATCH_UCDP_URL``, else the real API."""
    default = acled_api.DEFAULT_BASE if service == "acled" else ucdp_api.DEFAULT_BASE
    return given or os.environ.get(f"SAHELWATCH_{service.upper()}_URL") or default


class Sync:
    """Incremental, deletion-aware syncs with ACLED's and UCDP's APIs (docs/sync.md)."""

    def __init__(self, layout: Layout):
        self.layout = layout

    def acled(self, *, countries, since: str | None = None, base_url: str | None = None, full: bool = False,
              progress: Progress | None = None, every: str | None = None, retries: int | None = None,
              limit: int = acled_api.PAGE_LIMIT, max_query_rows: int | None = None):
        """Pull what changed since the last sync (all of it the first time) as one snapshot."""
        from . import acled

        cred = credentials.get_credentials("acled")
        policy = _http.RetryPolicy(**({"attempts": retries} if retries else {}))
        return acled.sync(self.layout, cred["email"], cred["password"], countries=countries, since=since,
                          base_url=_resolve_url("acled", base_url), policy=policy, full=full,
                          token_cache=credentials.token_cache("acled"), progress=progress, every=every,
                          limit=limit, **({"max_query_rows": max_query_rows} if max_query_rows else {}))

    def ucdp(self, *, release: str, candidate: bool = False, ged: bool = True, countries=None,
             base_url: str | None = None, quota: int = ucdp_api.DAILY_QUOTA, progress: Progress | None = None,
             every: str | None = None, retries: int | None = None):
        """A GED release and/or the Candidate months after it, each as one snapshot."""
        from . import ucdp

        cred = credentials.get_credentials("ucdp")
        policy = _http.RetryPolicy(**({"attempts": retries} if retries else {}))
        return ucdp.sync(self.layout, cred["token"], release=release, candidate=candidate, ged=ged,
                         countries=countries, base_url=_resolve_url("ucdp", base_url), policy=policy, quota=quota,
                         progress=progress, every=every)

    def status(self) -> list[dict]:
        """Per source: last sync, rows new/changed/deleted, next due, stale, interrupted run, quota."""
        return state.status(self.layout)
