"""What the API clients share: bounded retries with backoff and jitter, and error translation.

httpx errors never leave this module: they become :class:`~sahelwatch.domain.errors.SyncError`
subclasses that say what happened and what to do (``raise ... from err``). Messages name
the host and the status, never a query string (which could carry a credential) or a header.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

from ..domain.errors import NetworkError, ServiceError

RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass
class RetryPolicy:
    """Exponential backoff with full jitter: sleep ``uniform(0, min(cap, base * 2**attempt))``.

    ``attempts`` bounds the tries of one request; a 429's ``Retry-After`` is honoured
    up to ``cap`` seconds. ``SAHELWATCH_SYNC_BACKOFF`` overrides ``base`` (tests use 0.01).
    """

    attempts: int = 6
    base: float = field(default_factory=lambda: float(os.environ.get("SAHELWATCH_SYNC_BACKOFF", "1.0")))
    cap: float = 60.0
    timeout: float = 120.0  # seconds per request (connect, read)
    sleep: Callable[[float], None] = time.sleep

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        if retry_after:
            try:
                return min(self.cap, max(0.0, float(retry_after)))
            except ValueError:
                pass
        return random.uniform(0, min(self.cap, self.base * 2 ** attempt))


@dataclass
class Stats:
    """Requests made by a client, retries among them, and bytes received."""

    requests: int = 0
    retries: int = 0
    bytes: int = 0
    by_status: dict[int, int] = field(default_factory=dict)


def host(url: str) -> str:
    return urlsplit(url).netloc or url


def new_client(timeout: float):
    import httpx

    return httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)), follow_redirects=True,
                        headers={"User-Agent": "sahelwatch-sync"})


class ClientBase:
    """What both API clients share: an httpx client in ``_client``, closed by ``close()`` or on
    leaving a ``with`` block."""

    _client = None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def request(client, method: str, url: str, *, service: str, policy: RetryPolicy, stats: Stats,
            on_attempt: Callable[[], None] | None = None, retry_status=RETRY_STATUS, **kw):
    """One HTTP request with retries on 429/5xx and transport failures; returns the response.

    Responses with any other status are returned for the caller to interpret (401, 403, 404).
    ``on_attempt`` runs before every attempt (quota accounting counts failed requests too).
    """
    import httpx

    last = ""
    for attempt in range(policy.attempts):
        if on_attempt:
            on_attempt()
        stats.requests += 1
        try:
            resp = client.request(method, url, **kw)
            resp.read()
        except httpx.ConnectError as err:
            if attempt == policy.attempts - 1:
                raise NetworkError(
                    service, f"cannot connect to {host(url)} ({_reason(err)})",
                    "check the network, proxy or firewall (and --base-url); nothing was changed, "
                    "rerun the same command to resume") from err
            last = f"connection failed ({_reason(err)})"
        except httpx.TimeoutException as err:
            if attempt == policy.attempts - 1:
                raise NetworkError(
                    service, f"{host(url)} did not answer within {policy.timeout:g} s "
                    f"({policy.attempts} tries)", "try again later; rerunning resumes where it stopped") from err
            last = "timed out"
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as err:
            last = f"connection dropped mid-response ({_reason(err)})"
            if attempt == policy.attempts - 1:
                raise ServiceError(service, f"{host(url)}: {last}, {policy.attempts} tries",
                                   "try again later; rerunning resumes where it stopped") from err
        else:
            stats.bytes += len(resp.content)
            stats.by_status[resp.status_code] = stats.by_status.get(resp.status_code, 0) + 1
            if resp.status_code not in retry_status:
                return resp
            last = f"HTTP {resp.status_code}"
            if attempt == policy.attempts - 1:
                what = ("rate limit (HTTP 429) still in force" if resp.status_code == 429
                        else f"server error HTTP {resp.status_code}")
                raise ServiceError(service, f"{host(url)}: {what} after {policy.attempts} tries",
                                   "try again later; rerunning resumes where it stopped")
            stats.retries += 1
            policy.sleep(policy.delay(attempt, resp.headers.get("Retry-After")))
            continue
        stats.retries += 1
        policy.sleep(policy.delay(attempt))
    raise ServiceError(service, f"{host(url)}: {last}")  # pragma: no cover - the loop returns or raises


def _reason(err: Exception) -> str:
    text = str(err) or type(err).__name__
    return text.split("\n")[0][:120]


def json_body(resp, service: str):
    """The JSON body, or a one-line error when the service answered something else."""
    try:
        return resp.json()
    except ValueError as err:
        raise ServiceError(service, f"{host(str(resp.url))} answered HTTP {resp.status_code} with a body "
                           f"that is not JSON ({resp.headers.get('content-type', 'no content type')})",
                           "check --base-url; rerunning resumes") from err
