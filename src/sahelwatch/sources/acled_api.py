"""ACLED's API (2025): OAuth password grant, paged JSON reads, the deleted-events endpoint.

What this relies on (ACLED API documentation, acleddata.com/api-documentation, 2025):

- ``POST {base}/oauth/token`` with ``username``, ``password``, ``grant_type=password``,
  ``client_id=acled`` (also what the official R client acledR's ``acled_auth`` sends);
  the answer carries ``access_token``, ``refresh_token`` and ``expires_in``. A refresh is
  ``grant_type=refresh_token``. Data requests send ``Authorization: Bearer <token>``.
- ``GET {base}/api/acled/read?_format=json&limit=&page=`` with field filters
  (``iso=466|854``; ``timestamp=T&timestamp_where=>=``; ``event_date=A|B&event_date_where=BETWEEN``);
  the JSON answer is ``{"status", "success", "count", "data": [...]}``, and ``total_count``
  only when ``with_total=true`` is asked (an assumption: the documentation names the flag,
  the field name is ours). Rows carry the same field names as the CSV export.
- ``GET {base}/api/deleted/read`` answers ``event_id_cnty`` and ``deleted_timestamp``;
  the filter ``deleted_timestamp=T&deleted_timestamp_where=>=`` is sent *and* applied
  again here, because not every client or server honours it (acledR's deletions call
  drops the date it is given).

The rows become the same canonical batches as an ACLED export: pages are spooled as the
API CSV layout and read by :mod:`sahelwatch.sources.acled` (one transform, not two).
"""

from __future__ import annotations

import json
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..domain.errors import AccessDenied, AuthError, ServiceError
from . import _http
from .base import Parsed

SERVICE = "ACLED"
DEFAULT_BASE = "https://acleddata.com"
TOKEN_PATH = "/oauth/token"
READ_PATH = "/api/acled/read"
DELETED_PATH = "/api/deleted/read"
PAGE_LIMIT = 5000  # ACLED's default and documented page size
SPOOL_EVENTS = "events.csv"
SPOOL_DELETIONS = "deletions.json"  # not .csv: the zip reader takes the one CSV member as the file


@dataclass
class Token:
    access: str
    refresh: str | None
    expires_at: float  # epoch seconds

    def valid(self, margin: float = 60.0) -> bool:
        return time.time() < self.expires_at - margin

    def to_dict(self) -> dict:
        return {"access": self.access, "refresh": self.refresh, "expires_at": self.expires_at}

    @classmethod
    def from_dict(cls, d: dict | None) -> "Token | None":
        if not d or "access" not in d:
            return None
        return cls(d["access"], d.get("refresh"), float(d.get("expires_at", 0)))


@dataclass
class AcledClient(_http.ClientBase):
    """A client for one account. ``token_cache`` is a (load, save) pair kept with the credentials."""

    email: str
    password: str
    base_url: str = DEFAULT_BASE
    policy: _http.RetryPolicy = field(default_factory=_http.RetryPolicy)
    token_cache: tuple[Callable[[], dict | None], Callable[[dict], None]] | None = None
    limit: int = PAGE_LIMIT
    stats: _http.Stats = field(default_factory=_http.Stats)

    def __post_init__(self):
        self.base_url = self.base_url.rstrip("/")
        self._client = _http.new_client(self.policy.timeout)
        self._token: Token | None = Token.from_dict(self.token_cache[0]()) if self.token_cache else None
        self.token_grants = 0  # password or refresh grants made (a cached token makes none)

    # -- auth --------------------------------------------------------------
    def _grant(self, data: dict) -> Token | None:
        resp = _http.request(self._client, "POST", self.base_url + TOKEN_PATH, service=SERVICE,
                             policy=self.policy, stats=self.stats, data=data)
        self.token_grants += 1
        if resp.status_code in (400, 401, 403):
            return None
        if resp.status_code != 200:
            raise ServiceError(SERVICE, f"token endpoint answered HTTP {resp.status_code}",
                               "try again later; check --base-url")
        body = _http.json_body(resp, SERVICE)
        if "access_token" not in body:
            raise ServiceError(SERVICE, "token endpoint answered without an access_token")
        tok = Token(body["access_token"], body.get("refresh_token"),
                    time.time() + float(body.get("expires_in", 3600)))
        if self.token_cache:
            self.token_cache[1](tok.to_dict())
        return tok

    def token(self) -> str:
        if self._token and self._token.valid():
            return self._token.access
        tok = None
        if self._token and self._token.refresh:
            tok = self._grant({"grant_type": "refresh_token", "refresh_token": self._token.refresh,
                               "client_id": "acled"})
        if tok is None:
            tok = self._grant({"username": self.email, "password": self.password, "grant_type": "password",
                               "client_id": "acled", "scope": "authenticated"})
        if tok is None:
            raise AuthError(SERVICE, "the e-mail and password were refused (expired or wrong credentials)",
                            "run `sahelwatch credentials set acled` with your myACLED login")
        self._token = tok
        return tok.access

    # -- data ----------------------------------------------------------------
    def _get(self, path: str, params: dict) -> dict:
        for again in (False, True):
            resp = _http.request(self._client, "GET", self.base_url + path, service=SERVICE, policy=self.policy,
                                 stats=self.stats, params={"_format": "json", **params},
                                 headers={"Authorization": f"Bearer {self.token()}"})
            if resp.status_code == 401 and not again:
                self._token = None  # expired or revoked early: one fresh grant, then give up
                continue
            break
        if resp.status_code == 401:
            raise AuthError(SERVICE, "data requests are refused even with a fresh token (HTTP 401)",
                            "run `sahelwatch credentials set acled`; check the account at acleddata.com")
        if resp.status_code == 403:
            raise AccessDenied(
                SERVICE, f"the login works but data requests are refused (HTTP 403: {_message(resp)})",
                "your account is not enabled for API access or this data; ask ACLED (via myACLED) "
                "to enable API access, or use an export file with `sahelwatch ingest acled`")
        if resp.status_code != 200:
            raise ServiceError(SERVICE, f"{path} answered HTTP {resp.status_code}: {_message(resp)}",
                               "check the filters (--country, --since) and --base-url")
        body = _http.json_body(resp, SERVICE)
        if body.get("success") is False:
            raise ServiceError(SERVICE, f"{path} reported failure: {_message(resp)}")
        return body

    def read_page(self, filters: dict, page: int, *, with_total: bool = False) -> tuple[list[dict], int | None]:
        """Rows of one page of ``/api/acled/read`` and, when asked, the query's total row count."""
        params = {**filters, "limit": self.limit, "page": page}
        if with_total:
            params["with_total"] = "true"
        body = self._get(READ_PATH, params)
        total = body.get("total_count")
        return list(body.get("data") or []), (int(total) if total is not None else None)

    def count(self, filters: dict) -> int | None:
        """Rows a query would return (``limit=1&with_total=true``); None if the server does not say."""
        body = self._get(READ_PATH, {**filters, "limit": 1, "page": 1, "with_total": "true"})
        total = body.get("total_count")
        return int(total) if total is not None else None

    def deleted_page(self, since: int, page: int) -> list[dict]:
        body = self._get(DELETED_PATH, {"deleted_timestamp": since, "deleted_timestamp_where": ">=",
                                        "limit": self.limit, "page": page})
        return [r for r in body.get("data") or [] if int(r.get("deleted_timestamp") or 0) >= since]


def _message(resp) -> str:
    try:
        body = resp.json()
    except ValueError:
        return (resp.text or "").strip().split("\n")[0][:160] or "no message"
    if isinstance(body, dict):
        for k in ("message", "error_description", "error", "messages"):
            if body.get(k):
                v = body[k]
                return (v if isinstance(v, str) else json.dumps(v))[:160]
    return "no message"


def filters(iso_numeric: list[int], *, since_timestamp: int | None = None,
            date_range: tuple[str, str] | None = None) -> dict:
    """Query filters for a country group, an incremental cut-off or a date window."""
    f: dict = {"iso": "|".join(str(i) for i in iso_numeric)}
    if since_timestamp is not None:
        f.update(timestamp=since_timestamp, timestamp_where=">=")
    if date_range is not None:
        f.update(event_date=f"{date_range[0]}|{date_range[1]}", event_date_where="BETWEEN")
    return f


# -- spool: API pages -> the API CSV layout -> the ACLED file source ------------------------

def rows_frame(rows: list[dict]):
    """API rows as an all-text frame (numbers in JSON become their decimal text)."""
    import polars as pl

    if not rows:
        return pl.DataFrame()
    df = pl.from_dicts(rows, infer_schema_length=None)
    return df.with_columns([pl.col(c).cast(pl.String) for c in df.columns])


def write_spool(page_files: list[Path], deletions: list[tuple[str, int]], out: Path, known=None) -> dict:
    """One zip holding the changed rows as CSV and the deleted-events list: the snapshot's file.

    Repeats of an event across pages (paging moves when ACLED edits data during a sync)
    keep the copy with the highest timestamp. ``known`` (event_id_cnty, timestamp as text)
    lists versions the store already holds: those rows are left out. Written atomically.
    """
    import os

    import polars as pl

    from .acled import OPTIONAL, REQUIRED

    frames = [pl.read_parquet(p) for p in page_files]
    frames = [f for f in frames if f.height]
    if frames:
        df = pl.concat(frames, how="diagonal")
        n = df.height
        df = (df.with_columns(pl.col("timestamp").cast(pl.Int64, strict=False).alias("__ts"))
              .sort("__ts", descending=True, nulls_last=True)
              .unique("event_id_cnty", keep="first", maintain_order=True).drop("__ts"))
        repeats, unique = n - df.height, df.height
        if known is not None and known.height:
            df = df.join(known, on=["event_id_cnty", "timestamp"], how="anti")
    else:
        df, repeats, unique = pl.DataFrame(schema={c: pl.String for c in REQUIRED + OPTIONAL[:3]}), 0, 0
    tmp = out.with_name(out.name + ".tmp")
    csv_path = out.with_name(out.name + ".csv.tmp")
    df.write_csv(csv_path)
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.write(csv_path, SPOOL_EVENTS)
        zf.writestr(SPOOL_DELETIONS, json.dumps(sorted(deletions)))
    csv_path.unlink()
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, out)
    return {"rows": df.height, "unique": unique, "repeats": repeats, "deletions": len(deletions)}


def count_rows(page_files: list[Path]) -> int:
    import polars as pl

    return sum(pl.scan_parquet(p).select(pl.len()).collect().item() for p in page_files)


def parse_spool(path: Path, workdir: Path, *, release: str | None = None, progress=None, **_: object) -> Parsed:
    """The ``acled-sync`` ingest kind: the spooled rows through the ACLED source, plus deletions."""
    import polars as pl

    from . import acled

    parsed = acled.parse(path, workdir, release=release, progress=progress)
    with zipfile.ZipFile(path) as zf:
        dels = json.loads(zf.read(SPOOL_DELETIONS)) if SPOOL_DELETIONS in zf.namelist() else []
    parsed.deletions = pl.DataFrame({"source_event_id": [str(d[0]) for d in dels],
                                     "source_release": [str(int(d[1])) for d in dels]},
                                    schema={"source_event_id": pl.String, "source_release": pl.String})
    parsed.layout += "+api"
    with open(parsed.csv_path, "rb") as fh:
        fh.readline()
        header_only = not fh.readline().strip()
    if header_only:  # deletions only: no rows to read (the CSV reader wants at least one)
        from .base import Batch

        problems = pl.DataFrame(schema={"row": pl.Int64, "line": pl.Int64, "field": pl.String,
                                        "value": pl.String, "reason": pl.String, "raw": pl.String})
        parsed.batches = iter([Batch(accepted=pl.DataFrame(), problems=problems, rows_read=0)])
    return parsed
