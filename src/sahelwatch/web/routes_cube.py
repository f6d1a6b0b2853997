"""``/aggregate`` and ``/trend``: the cube (unit x period x breakdown x measure) and its trends."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request

from .context import context
from .errors import bad_parameter
from .formats import pick, table_response
from .models import ERRORS, TableOut, TrendOut
from .params import CATEGORY_Q, FORMAT_DOC, LIST, WORDS_RE, Filters, actor_q, filters

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
              category: str | None = CATEGORY_Q, actor: str | None = Depends(actor_q),
              format: str | None = Query(None, max_length=10, description=FORMAT_DOC)):
    """Events and fatalities per unit and period; ``format=geojson`` gives the units' shapes (choropleth)."""
    fmt = pick(format, request.headers.get("accept"))
    res = context(request).obs().aggregate(
        by=by, period=period, measures=measure, breakdown=breakdown, precision=precision, membership=membership,
        complete=complete, h3_resolution=h3_resolution, category=category or None, actor=actor, **f.kwargs())
    return table_response(res.to_polars(), res.meta, fmt, f"aggregate-{by}-{period}", geojson=res.to_geojson)


#: a trend over days or weeks needs a bounded range: 35 years of days in every country is
#: hundreds of thousands of periods to fit, minutes of a worker thread for one request
MAX_SPAN_DAYS = {"day": 3 * 366, "week": 15 * 366, "acled-week": 15 * 366}


def _bounded(period: str, f: Filters) -> None:
    import datetime as dt

    limit = MAX_SPAN_DAYS.get(period)
    if limit is None:
        return
    if not (f.start and f.end) or (dt.date.fromisoformat(f.end) - dt.date.fromisoformat(f.start)).days > limit:
        raise bad_parameter("period", period, f"a trend per {period} needs from and to at most {limit // 366} years "
                            "apart (or a longer period: month, quarter, year)", ["month", "quarter", "year"])


@router.get("/trend", response_model=TrendOut, responses=ERRORS)
def trend(request: Request, f: Filters = Depends(filters),
          measure: str = Query("fatalities_best", max_length=40, pattern=WORDS_RE),
          period: Period = "year", by: Unit | None = None,
          breakdown: str | None = Query(None, max_length=LIST, pattern=WORDS_RE),
          precision: Precision = "as-coded",
          membership: str = Query("dynamic", max_length=20, pattern=r"^(dynamic|on:\d{4}-\d{2}-\d{2})$"),
          include_incomplete: bool = False, window: int | None = Query(None, ge=3, le=1000),
          min_periods: int = Query(6, ge=2, le=1000),
          category: str | None = CATEGORY_Q, actor: str | None = Depends(actor_q),
          lang: Literal["en", "fr"] = "en",
          format: str | None = Query(None, max_length=10, description="json (default), csv or parquet: the "
                                     "series (one row per unit and period) for csv/parquet")):
    """Record, change and slope per series, the values (``series``), the answer in words and every caveat
    (``caveats``), both in ``lang``."""
    fmt = pick(format, request.headers.get("accept"), allowed=("json", "csv", "parquet"))
    _bounded(period, f)
    res = context(request).obs().trend(
        measure=measure, period=period, by=by, breakdown=breakdown, precision=precision, membership=membership,
        include_incomplete=include_incomplete, window=window, min_periods=min_periods, category=category or None,
        actor=actor, **f.kwargs())
    from .formats import json_response, rows

    summary = rows(res.to_polars())
    if fmt != "json":
        return table_response(res.series.to_polars(), res.meta, fmt, f"trend-{measure}-{period}")
    from ..analytics.notes_fr import translate

    notes = [*res.meta.get("caveats", []), *res.meta.get("warnings", []),
             *(c for r in summary for c in (r.get("caveats") or []))]
    return json_response({"rows": summary, "series": rows(res.series.to_polars()),
                          "answer": [r.get(f"answer_{lang}") for r in summary],
                          "caveats": [translate(str(c), lang) for c in dict.fromkeys(notes)],
                          "meta": res.meta | {"lang": lang}})
