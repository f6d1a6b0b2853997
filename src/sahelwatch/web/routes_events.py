"""``/events``: current events, a page at a time (cursors), or the whole view as a download.

In ACLED licence mode (ACLED data loaded, server not ``--private``) a request whose rows
would include ACLED events is refused with 403 ``forbidden_acled_rows``: ACLED-derived
data leave the server only as aggregates.

Event rows are read through a lane of at most :data:`ROW_LANES` reads at a time. A page
decodes every column of the rows its filter selects (one country of 1,000,000 events:
~120 ms of CPU), an aggregate reads the cube's small rollups (~11 ms). Let through all at
once, eight clients' pages share the cores with the aggregates and every call is slow
alike; in the lane, pages wait for one another and the map's aggregates, which the page
asks for first, are not held up behind a table.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
from contextlib import contextmanager

from fastapi import APIRouter, Depends, Query, Request

from ..store.paging import SORT_CHOICES
from .context import MAX_PAGE, as_of_param, check_range, context, day_param
from .errors import ApiError, bad_parameter
from .formats import pick, points_geojson, table_response
from .models import ERRORS, PageOut
from .params import FORMAT_DOC, ISO3S_RE, LIST, SOURCE_RE, WORDS_RE, actor_q

router = APIRouter(tags=["events"])

#: the most rows a download (csv, parquet, geojson) holds; narrow the filter beyond it
DOWNLOAD_MAX = 250_000
HIDDEN = ("content_hash", "is_deleted", "deletion_reason")
#: event-row reads at a time per server process (one per two cores, at least one)
ROW_LANES = max(1, (os.cpu_count() or 2) // 2)
_lane = threading.BoundedSemaphore(ROW_LANES)


@contextmanager
def row_lane():
    """Hold one of the :data:`ROW_LANES` places while reading event rows."""
    with _lane:
        yield


class EventQuery:
    def __init__(self,
                 country: str | None = Query(None, max_length=LIST, pattern=ISO3S_RE,
                                             description="ISO3 codes, comma-separated"),
                 from_: str | None = Query(None, alias="from", max_length=10, description="YYYY-MM-DD, YYYY-MM or YYYY"),
                 to: str | None = Query(None, max_length=10, description="YYYY-MM-DD, YYYY-MM or YYYY"),
                 source: str | None = Query(None, max_length=LIST, pattern=SOURCE_RE),
                 category: str | None = Query(None, max_length=LIST, pattern=r"^[a-z_,]*$",
                                              description="battle, explosion_remote, violence_against_civilians, "
                                                          "protest, riot, strategic (comma-separated)"),
                 actor: str | None = Query(None, max_length=300, description="actor1 or actor2 is this name"),
                 bloc: str | None = Query(None, max_length=LIST, pattern=WORDS_RE,
                                          description="Bloc id(s): events of the states that counted for the bloc "
                                                      "in the event's month, as /aggregate counts them"),
                 membership: str | None = Query(None, max_length=20, pattern=r"^(dynamic|on:\d{4}-\d{2}-\d{2})$",
                                                description="with bloc: dynamic (default) or on:YYYY-MM-DD"),
                 admin1: str | None = Query(None, max_length=40, pattern=r"^[A-Za-z0-9_.\-]*$",
                                            description="admin1 code (from /places/admin?level=1): events the "
                                                        "boundaries place in that unit"),
                 as_of: int | None = Query(None, ge=1, le=10**9, description="Snapshot id (default: the latest)")):
        self.country, self.source, self.category, self.as_of = country, source, category, as_of
        self.bloc, self.membership, self.admin1 = bloc or None, membership or None, admin1 or None
        self.actor = actor_q(actor)
        self.start, self.end = day_param(from_, "from"), day_param(to, "to", end=True)
        check_range(self.start, self.end)

    def kwargs(self) -> dict:
        from ..domain.args import split_list

        srcs: list[str] = []
        for x in split_list(self.source):
            srcs += ["ucdp_ged", "ucdp_candidate"] if x.lower() == "ucdp" else [x.lower()]
        return {"country": self.country or None, "start": self.start, "end": self.end,
                "source": ",".join(dict.fromkeys(srcs)) or None, "category": self.category or None,
                "actor": self.actor or None, "as_of": self.as_of, "bloc": self.bloc,
                "membership": self.membership, "admin1": self.admin1}

    def check_sources(self, snaps) -> None:
        from ..domain.args import split_list

        known = {s.source for s in snaps}
        for x in split_list(self.kwargs()["source"]):
            if x not in known:
                valid = sorted(known | ({"ucdp"} if known & {"ucdp_ged", "ucdp_candidate"} else set()))
                raise bad_parameter("source", x, f"unknown source {x!r} (not in the store)", valid)

    def fingerprint(self, sort: str) -> str:
        k = self.kwargs() | {"sort": sort, "as_of": None}
        return hashlib.sha256(json.dumps(k, sort_keys=True).encode()).hexdigest()[:16]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _encode(data: dict, secret: bytes) -> str:
    """An opaque cursor, signed with the server's secret: a client cannot forge the counts
    it carries (the ACLED licence check reads them) or another filter's position."""
    raw = json.dumps(data, separators=(",", ":")).encode()
    return _b64(raw) + "." + _b64(hmac.new(secret, raw, hashlib.sha256).digest()[:16])


def _decode(cursor: str, secret: bytes) -> dict:
    try:
        body, _, sig = cursor.partition(".")
        raw = _unb64(body)
        if not hmac.compare_digest(_unb64(sig), hmac.new(secret, raw, hashlib.sha256).digest()[:16]):
            raise ValueError
        data = json.loads(raw)
        if not isinstance(data, dict) or not isinstance(data.get("after"), list) or len(data["after"]) != 2:
            raise ValueError
        return data
    except (ValueError, UnicodeDecodeError, TypeError):
        raise bad_parameter("cursor", cursor[:100], "cursor: not a cursor this server gave (use next_cursor; "
                            "cursors end when the server restarts)") from None


def _refuse_acled(n: int):
    return ApiError(403, "forbidden_acled_rows",
                    f"this view holds {n:,} ACLED events: under ACLED's terms the server publishes ACLED data "
                    "only as aggregates (use /api/v1/aggregate, or filter source=ucdp)",
                    {"acled_rows": n, "hint": "source=ucdp"})


@router.get("/events", response_model=PageOut, responses=ERRORS)
def events(request: Request, q: EventQuery = Depends(),
           limit: int | None = Query(None, ge=1, le=MAX_PAGE, description=f"rows per page (default 100, at most {MAX_PAGE})"),
           cursor: str | None = Query(None, max_length=2000, description="next_cursor of the previous page"),
           sort: str = Query("date_start", description="date_start, fatalities_best, country_iso3; '-' for descending",
                             pattern="^(" + "|".join(s.replace("-", r"\-") for s in SORT_CHOICES) + ")$"),
           format: str | None = Query(None, max_length=10, description=FORMAT_DOC + "; downloads hold the whole view "
                                      f"(at most {DOWNLOAD_MAX:,} rows, or `limit`), JSON is paged")):
    """Current events matching the filters: a page in JSON, the whole view as csv, parquet or geojson."""
    import polars as pl

    fmt = pick(format, request.headers.get("accept"))
    ctx = context(request)
    obs = ctx.obs()
    snaps = obs.snapshots()
    q.check_sources(snaps)
    kw = q.kwargs()
    after, counts, fp = None, None, q.fingerprint(sort)
    if cursor and fmt == "json":
        data = _decode(cursor, ctx.secret)
        if data.get("f") != fp:
            raise bad_parameter("cursor", cursor[:100], "cursor: it belongs to another filter or sort; "
                                "start again without cursor")
        after, kw["as_of"] = tuple(data["after"]), data.get("a")
        c = data.get("c")
        if isinstance(c, dict) and all(isinstance(k, str) and isinstance(v, int) for k, v in c.items()):
            counts = c
    as_of_param(ctx, kw["as_of"], snaps)
    if kw["as_of"] is None and snaps:
        kw["as_of"] = max(s.id for s in snaps)  # pin the snapshot: every page reads the same state
    mode = ctx.acled_mode(snaps)
    if fmt == "json":
        with row_lane():
            page = obs.events_page(sort=sort, limit=limit or 100, after=after, by_source=counts, **kw)
        if mode == "aggregates" and page.by_source.get("acled"):
            raise _refuse_acled(page.by_source["acled"])
        nxt = None if page.after is None else _encode({"after": list(page.after), "a": kw["as_of"], "f": fp,
                                                            "c": page.by_source}, ctx.secret)
        df = pl.from_arrow(page.table).drop(HIDDEN, strict=False)
        meta = {"as_of": kw["as_of"], "sort": sort, "limit": limit or 100, "by_source": page.by_source,
                "acled_mode": mode}
        return table_response(df, meta, "json", "events", extra={"next_cursor": nxt, "total": page.total})
    with row_lane():
        head = obs.events_page(sort=sort, limit=1, **kw)
    if mode == "aggregates" and head.by_source.get("acled"):
        raise _refuse_acled(head.by_source["acled"])
    cap = limit or DOWNLOAD_MAX
    if limit is None and head.total > DOWNLOAD_MAX:
        raise ApiError(400, "too_many_rows", f"this view holds {head.total:,} events; a download holds at most "
                       f"{DOWNLOAD_MAX:,}: narrow the filter (country, from, to) or pass limit",
                       {"total": head.total, "max": DOWNLOAD_MAX})
    with row_lane():
        page = obs.events_page(sort=sort, limit=min(cap, max(head.total, 1)), **kw)
    df = pl.from_arrow(page.table).drop(HIDDEN, strict=False)
    meta = {"as_of": kw["as_of"], "sort": sort, "total": head.total, "rows": df.height}
    return table_response(df, meta, fmt, "events", geojson=lambda: points_geojson(df, meta))
