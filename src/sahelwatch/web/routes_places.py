"""``/places``: the PRIO-GRID cell of a point, the gazetteer, admin boundaries as GeoJSON
(the map's basemap: the store's own boundaries where loaded, else the bundled ones)."""

from __future__ import annotations

import threading
from fastapi import APIRouter, Query, Request

from .context import context
from .errors import ApiError
from .formats import MEDIA, json_response, rows
from .models import ERRORS, TableOut


router = APIRouter(tags=["places"])
_cache: dict = {}
_cache_lock = threading.Lock()


def _boundaries(request):
    from ..places import BoundarySet

    return BoundarySet.load(context(request).home)


@router.get("/places/cell", responses=ERRORS)
def cell(request: Request, lat: float = Query(..., ge=-90, le=90), lon: float = Query(..., ge=-180, le=180),
         h3: int | None = Query(None, ge=0, le=15, description="also give the H3 cell at this resolution")):
    """The PRIO-GRID cell of a point: gid, row/col, centroid, bounds, country and admin units."""
    from ..places import describe_cell

    return json_response(describe_cell(lat, lon, _boundaries(request), h3_resolution=h3))


@router.get("/places/search", response_model=TableOut, responses=ERRORS)
def search(request: Request, q: str = Query(..., min_length=1, max_length=100),
           country: str | None = Query(None, max_length=3, pattern=r"^[A-Za-z]{2,3}$"),
           limit: int = Query(10, ge=1, le=100)):
    """Populated places by name (GeoNames), best first; accents, case and FR/EN spellings ignored."""
    from ..places import search as run

    hits = run(q, country=country or None, limit=limit)
    return json_response({"rows": rows(hits), "meta": {"q": q, "country": country,
                                                       "source": "GeoNames (www.geonames.org), CC BY 4.0"}})


GEOJSON_200 = {200: {"description": "a GeoJSON FeatureCollection",
                     "content": {"application/geo+json": {"schema": {"type": "object"}}}}}


@router.get("/places/admin", responses=ERRORS | GEOJSON_200)
def admin(request: Request, country: str | None = Query(None, max_length=200, pattern=r"^[A-Za-z, ]*$",
                                                        description="ISO3 codes (default: every country held)"),
          level: int = Query(1, ge=0, le=2, description="0 country, 1 admin1, 2 admin2")):
    """Admin units as a GeoJSON FeatureCollection (WGS84 lon/lat), with their sources and licences."""
    from ..domain.args import iso3_list
    from ..places import admin_geojson

    bset = _boundaries(request)
    held = sorted(c for c, lv in bset.layers if lv == level)
    asked = iso3_list(country) or tuple(held)
    missing = [c for c in asked if c not in held]
    if missing:
        raise ApiError(404, "not_found", f"no level-{level} boundaries for {', '.join(missing)}",
                       {"param": "country", "value": country, "choices": held})
    key = (bset.id, level, asked)
    # a boundary set never changes (loading boundaries makes a new one): the browser may keep it
    import hashlib

    etag = '"' + hashlib.sha256(repr(key).encode()).hexdigest()[:20] + '"'
    headers = {"ETag": etag, "Cache-Control": "private, max-age=3600"}
    if etag in [t.strip() for t in (request.headers.get("if-none-match") or "").split(",")]:
        from fastapi.responses import Response

        return Response(status_code=304, headers=headers)
    with _cache_lock:
        body = _cache.get(key)
    if body is None:
        feats, layers = [], []
        for c in asked:
            fc = admin_geojson(c, level, bset)
            feats += fc["features"]
            layers.append(fc["sahelwatch"])
        body = {"type": "FeatureCollection", "features": feats,
                "sahelwatch": {"boundary_set": bset.id, "level": level, "layers": layers}}
        with _cache_lock:
            if len(_cache) > 64:
                _cache.clear()
            _cache[key] = body
    return json_response(body, media=MEDIA["geojson"], headers=headers)
