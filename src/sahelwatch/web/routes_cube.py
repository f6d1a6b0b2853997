"""``/aggregate`` and ``/trend``: the cube (unit x period x breakdown x measure) and its trends."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request

from .context import context
from .formats import pick, table_response
from .models import ERRORS, TableOut
from .params import FORMAT_DOC, LIST, WORDS_RE, Filters, filters

router = APIRouter(tags=["analytics"])

Unit = Literal["country", "admin1", "admin2", "priogrid", "h3", "bloc"]
Period = Literal["day", "week", "acled-week", "month", "quarter", "year"]
Precision = Literal["as-coded", "exact", "spread"]


@router.get("/aggregate", response_model=TableOut, responses=ERRORS)
def aggregate(request: Request, f: Filters = Depends(filters),
              by: Unit = "country", period: Period = "month",
              measure: str | None = Query(None, max_length=LIST, pattern=WORDS_RE,
                                          description="events, fatalities_best, fatalities_low, fatalities_high, "
                                                      "civilian_fatalities, actors (comma-separated)"),
              breakdown: str | None = Query(None, max_length=LIST, pattern=WORDS_RE,
                                            description="source, category, ... (comma-separated)"),
              precision: Precision = "as-coded",
              membership: str = Query("dynamic", max_length=20, pattern=r"^(dynamic|on:\d{4}-\d{2}-\d{2})$"),
              complete: bool = False, h3_resolution: int = Query(5, ge=0, le=15),
              format: str | None = Query(None, max_length=10, description=FORMAT_DOC)):
    """Events and fatalities per unit and period; ``format=geojson`` gives the units' shapes (choropleth)."""
    fmt = pick(format, request.headers.get("accept"))
    res = context(request).obs().aggregate(
        by=by, period=period, measures=measure, breakdown=breakdown, precision=precision, membership=membership,
        complete=complete, h3_resolution=h3_resolution, **f.kwargs())
    return table_response(res.to_polars(), res.meta, fmt, f"aggregate-{by}-{period}", geojson=res.to_geojson)
