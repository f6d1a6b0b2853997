"""``/indicators``, ``/alerts``, ``/alerts/score`` and ``/actors``: the early-warning tables."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request

from .context import context, day_param
from .errors import bad_parameter
from .formats import pick, table_response
from .models import ERRORS, TableOut
from .params import FORMAT_DOC, ISO3S_RE, LIST, SOURCE_RE, WORDS_RE

router = APIRouter(tags=["early warning"])

AS_OF = Query(None, ge=1, le=10**9, description="Snapshot id (default: the latest)")
COUNTRY = Query(None, max_length=LIST, pattern=ISO3S_RE, description="ISO3 codes, comma-separated")
SOURCE = Query(None, max_length=LIST, pattern=SOURCE_RE, description="acled, ucdp (default: the store's)")
FMT = Query(None, max_length=10, description=FORMAT_DOC)
MAX_SCORE_YEARS = 10
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


def _fmt(request, format):
    return pick(format, request.headers.get("accept"), allowed=("json", "csv", "parquet"))


@router.get("/indicators", response_model=TableOut, responses=ERRORS)
def indicators(request: Request, unit: Literal["country", "admin1"] = "country",
               on: str | None = Query(None, max_length=10, description="last day of the 12-month window"),
               country: str | None = COUNTRY, source: str | None = SOURCE, as_of: int | None = AS_OF,
               sort: str = Query("rank", max_length=40, pattern=WORDS_RE),
               format: str | None = FMT):
    """Conflict indicators (deadliness, danger, diffusion, fragmentation) over 12 months ending ``on``."""
    fmt = _fmt(request, format)
    res = context(request).obs().indicators(unit, on=day_param(on, "on", end=True), source=source or None,
                                            as_of=as_of, country=country or None, sort=sort)
    return table_response(res.to_polars(), res.meta, fmt, f"indicators-{unit}")


@router.get("/alerts", response_model=TableOut, responses=ERRORS)
def alerts(request: Request, unit: Literal["country", "admin1", "admin2", "priogrid"] = "admin1",
           on: str | None = Query(None, max_length=10, description="day the alerts are issued (default: last event)"),
           kind: str | None = Query(None, max_length=60, pattern=r"^[a-z,]*$",
                                    description="surge, threat, convergence (comma-separated)"),
           country: str | None = COUNTRY, source: str | None = SOURCE, as_of: int | None = AS_OF,
           measure: Literal["events", "fatalities_best"] = "events", format: str | None = FMT):
    """Alerts issued on ``on``: each with its question (en/fr), probability, resolution date and outcome."""
    fmt = _fmt(request, format)
    res = context(request).obs().alerts(unit, on=day_param(on, "on", end=True), kind=kind or None,
                                        source=source or None, as_of=as_of, country=country or None,
                                        measure=measure)
    return table_response(res.to_polars(), res.meta, fmt, f"alerts-{unit}")


@router.get("/alerts/score", response_model=TableOut, responses=ERRORS)
def score(request: Request, from_: str = Query(..., alias="from", pattern=MONTH, description="first month YYYY-MM"),
          to: str = Query(..., pattern=MONTH, description="last month YYYY-MM"),
          unit: Literal["country", "admin1", "admin2", "priogrid"] = "admin1",
          kind: str | None = Query(None, max_length=60, pattern=r"^[a-z,]*$"),
          country: str | None = COUNTRY, source: str | None = SOURCE, as_of: int | None = AS_OF,
          measure: Literal["events", "fatalities_best"] = "events", format: str | None = FMT):
    """The alert rules replayed every Friday: hit rate, false alarms, Brier score against a baseline."""
    fmt = _fmt(request, format)
    if int(to[:4]) - int(from_[:4]) > MAX_SCORE_YEARS:
        raise bad_parameter("to", to, f"a backtest spans at most {MAX_SCORE_YEARS} years (one replay per Friday)")
    res = context(request).obs().score_alerts(unit, from_, to, kind=kind or None, source=source or None,
                                              as_of=as_of, country=country or None, measure=measure)
    return table_response(res.to_polars(), res.meta, fmt, f"alerts-score-{unit}")


@router.get("/actors", response_model=TableOut, responses=ERRORS)
def actors(request: Request, search: str | None = Query(None, min_length=1, max_length=100),
           source: str | None = SOURCE, as_of: int | None = AS_OF, format: str | None = FMT):
    """Actor names in the store (canonical name, type, events per source, first/last date)."""
    fmt = _fmt(request, format)
    res = context(request).obs().actors(search, source=source or None, as_of=as_of)
    return table_response(res.to_polars(), res.meta, fmt, "actors")
