"""``/meta`` (what the page needs to start: mode, sources, countries, blocs, credits) and ``/snapshots``."""

from __future__ import annotations

import threading

from fastapi import APIRouter, Request

from .context import MAX_PAGE, context
from .formats import json_response
from .models import ERRORS, MetaOut, TableOut

router = APIRouter(tags=["store"])

#: the credits the pages show, each in English (``text``, ``licence``) and French (``text_fr``,
#: ``licence_fr``); citations and Natural Earth's own credit line stay as their authors wrote them
ATTRIBUTION = [
    {"source": "UCDP", "licence": "CC BY 4.0", "licence_fr": "CC BY 4.0",
     "text": "UCDP Georeferenced Event Dataset and Candidate Events Dataset, Uppsala Conflict Data Program "
             "(Sundberg & Melander 2013; Hegre et al. 2020)",
     "text_fr": "UCDP Georeferenced Event Dataset et Candidate Events Dataset, Uppsala Conflict Data Program "
                "(Sundberg & Melander 2013 ; Hegre et al. 2020)"},
    {"source": "GeoNames", "licence": "CC BY 4.0", "licence_fr": "CC BY 4.0",
     "text": "Place names: GeoNames (www.geonames.org)", "text_fr": "Noms de lieux : GeoNames (www.geonames.org)"},
    {"source": "geoBoundaries", "licence": "CC BY 4.0", "licence_fr": "CC BY 4.0",
     "text": "Admin boundaries: geoBoundaries (Runfola et al. 2020, PLoS ONE 15(4): e0231866)",
     "text_fr": "Limites administratives : geoBoundaries (Runfola et al. 2020, PLoS ONE 15(4): e0231866)"},
    {"source": "Natural Earth", "licence": "public domain", "licence_fr": "domaine public",
     "text": "Country outlines: Made with Natural Earth", "text_fr": "Contours des pays : Made with Natural Earth"},
]
ACLED_ATTRIBUTION = {"source": "ACLED", "licence": "ACLED terms of use",
                     "licence_fr": "conditions d'utilisation d'ACLED",
                     "text": "Armed Conflict Location & Event Data (ACLED), www.acleddata.com; "
                             "ACLED-derived figures are shown as aggregates only",
                     "text_fr": "Armed Conflict Location & Event Data (ACLED), www.acleddata.com ; "
                                "les chiffres tirés d'ACLED ne sont montrés qu'agrégés"}
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
        sources, countries, names, series = hit[1]
    else:
        sources, countries = _facts(obs, snaps)
        names, series = _country_names(countries), _series(obs)
        with _lock:
            _store_facts[ctx.home] = (key, (sources, countries, names, series))
    blocs = [{"id": o.id, "name": o.name, "name_fr": o.name_fr, "kind": o.kind} for o in obs.blocs.organisations()]
    attribution = ATTRIBUTION + ([ACLED_ATTRIBUTION] if mode != "none" else [])
    return json_response({
        "version": __version__, "store": ctx.home.name, "acled_mode": mode,
        "acled_notice": ACLED_NOTICE if mode == "aggregates" else None,
        "write_enabled": ctx.write_token is not None, "private": ctx.private,
        "latest_snapshot": max((s.id for s in snaps), default=None), "snapshots": len(snaps),
        "sources": sources, "series": series, "countries": countries, "country_names": names, "blocs": blocs, "attribution": attribution,
        "limits": {"page_max": MAX_PAGE, "upload_max_bytes": ctx.max_upload_bytes},
    })


#: sources, countries (and their names) and series per store state: a snapshot never changes, so
#: they are computed once per set of snapshots (the page asks for /meta on every load)
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
    from ..analytics.notes_fr import translate

    out = []
    for s in obs.series.list():
        row = {k: s.get(k) for k in SERIES_FIELDS}
        row["vintage_fr"] = translate(row["vintage"], "fr") if row["vintage"] else row["vintage"]
        out.append(row)
    return out


def _country_names(isos: list[str]) -> list[dict]:
    """The countries' common names in English and French (the crosswalk's latest interval);
    a code the crosswalk lacks is left out and the page shows the code."""
    from ..domain.countries import lookup
    from ..domain.errors import UsageError

    out = []
    for iso3 in isos:
        try:
            c = lookup(iso3)
        except UsageError:
            continue
        out.append({"iso3": iso3, "name": c.name_en, "name_fr": c.name_fr})
    return out


@router.get("/snapshots", response_model=TableOut, responses=ERRORS)
def snapshots(request: Request):
    """Every snapshot with its provenance and counts (no file paths)."""
    from ..analytics.notes_fr import translate

    snaps = context(request).obs().snapshots()
    rows = [{k: getattr(s, k) for k in SNAPSHOT_FIELDS} for s in snaps]
    for r in rows:  # the release as the source named it; the bundled series' labels also in French
        r["release_fr"] = translate(r["release"], "fr") if r["release"] else r["release"]
    return json_response({"rows": rows, "meta": {"count": len(rows)}})
