"""``/meta`` (what the page needs to start: mode, sources, countries, blocs, credits) and ``/snapshots``."""

from __future__ import annotations

import threading

from fastapi import APIRouter, Request

from .context import MAX_PAGE, context
from .formats import json_response
from .models import ERRORS, MetaOut, TableOut

router = APIRouter(tags=["store"])

ATTRIBUTION = [
    {"source": "UCDP", "licence": "CC BY 4.0",
     "text": "UCDP Georeferenced Event Dataset and Candidate Events Dataset, Uppsala Conflict Data Program "
             "(Sundberg & Melander 2013; Hegre et al. 2020)"},
    {"source": "GeoNames", "licence": "CC BY 4.0", "text": "Place names: GeoNames (www.geonames.org)"},
    {"source": "geoBoundaries", "licence": "CC BY 4.0",
     "text": "Admin boundaries: geoBoundaries (Runfola et al. 2020, PLoS ONE 15(4): e0231866)"},
    {"source": "Natural Earth", "licence": "public domain", "text": "Country outlines: Made with Natural Earth"},
]
ACLED_ATTRIBUTION = {"source": "ACLED", "licence": "ACLED terms of use",
                     "text": "Armed Conflict Location & Event Data (ACLED), www.acleddata.com; "
                             "ACLED-derived figures are shown as aggregates only"}
ACLED_NOTICE = ("ACLED data are loaded: under ACLED's terms this server publishes ACLED-derived figures only as "
                "aggregates (no event rows, notes or raw downloads). Start the server with --private for your "
                "own use on this machine.")
SNAPSHOT_FIELDS = ("id", "time", "kind", "source", "file", "sha256", "release", "counts", "warnings",
                   "coverage_end", "sahelwatch_version")


@router.get("/meta", response_model=MetaOut, responses=ERRORS)
def meta(request: Request):
    """Version, mode (ACLED licence mode, write token), event sources with coverage, unit-period series
    (pass ``source`` to /trend and /aggregate), countries, blocs, credits."""
    from ..domain.version import __version__

    ctx = context(request)
    obs = ctx.obs()
    snaps = obs.snapshots()
    mode = ctx.acled_mode(snaps)
    key = tuple((s.id, s.sha256) for s in snaps)
    with _lock:
        hit = _store_facts.get(ctx.home)
    if hit is not None and hit[0] == key:
        sources, countries, series = hit[1]
    else:
        sources, countries = _facts(obs, snaps)
        series = _series(obs)
        with _lock:
            _store_facts[ctx.home] = (key, (sources, countries, series))
    blocs = [{"id": o.id, "name": o.name, "name_fr": o.name_fr, "kind": o.kind} for o in obs.blocs.organisations()]
    attribution = ATTRIBUTION + ([ACLED_ATTRIBUTION] if mode != "none" else [])
    return json_response({
        "version": __version__, "store": ctx.home.name, "acled_mode": mode,
        "acled_notice": ACLED_NOTICE if mode == "aggregates" else None,
        "write_enabled": ctx.write_token is not None, "private": ctx.private,
        "latest_snapshot": max((s.id for s in snaps), default=None), "snapshots": len(snaps),
        "sources": sources, "series": series, "countries": countries, "blocs": blocs, "attribution": attribution,
        "limits": {"page_max": MAX_PAGE, "upload_max_bytes": ctx.max_upload_bytes},
    })


#: sources, countries and series per store state: a snapshot never changes, so they are computed
#: once per set of snapshots (the page asks for /meta on every load)
_store_facts: dict = {}
_lock = threading.Lock()


def _facts(obs, snaps) -> tuple[list, list]:
    sources, countries = [], []
    if snaps:
        df = obs.aggregate(by="country", period="year", measures="events", breakdown="source").to_polars()
        countries = sorted(set(df["country_iso3"].drop_nulls().to_list()))
        counts: dict[str, int] = {}
        for src, n in df.select("source", "events").iter_rows():
            counts[src] = counts.get(src, 0) + int(round(n or 0))
        for src in sorted(counts):
            first = obs.events_page(source=src, sort="date_start", limit=1).table.column("date_start")[0].as_py()
            last = obs.events_page(source=src, sort="-date_start", limit=1).table.column("date_start")[0].as_py()
            sources.append({"source": src, "first_date": first.isoformat() if first else None,
                            "last_date": last.isoformat() if last else None, "events": counts[src]})
    return sources, countries


SERIES_FIELDS = ("series", "source", "snapshot", "file", "sha256", "vintage", "period_kind", "measures", "units",
                 "first", "last", "sample")


def _series(obs) -> list[dict]:
    return [{k: s.get(k) for k in SERIES_FIELDS} for s in obs.series.list()]


@router.get("/snapshots", response_model=TableOut, responses=ERRORS)
def snapshots(request: Request):
    """Every snapshot with its provenance and counts (no file paths)."""
    snaps = context(request).obs().snapshots()
    rows = [{k: getattr(s, k) for k in SNAPSHOT_FIELDS} for s in snaps]
    return json_response({"rows": rows, "meta": {"count": len(rows)}})
