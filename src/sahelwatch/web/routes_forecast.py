"""``/forecasts`` and ``/forecast``: the forecasts kept in the store and one country's fan chart."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request

from .context import context
from .formats import json_response
from .models import ERRORS, ForecastOut, TableOut

router = APIRouter(tags=["forecasts"])

FORECAST_ID = r"^[0-9a-fA-F]{4,12}$"


@router.get("/forecasts", response_model=TableOut, responses=ERRORS)
def forecasts(request: Request):
    """The stored forecasts' manifests (id, origin, model and parameters, seed, draws, source, snapshot,
    months, units, the command that fits it again), oldest origin first."""
    ms = context(request).obs().forecast.list()
    return json_response({"rows": ms, "meta": {"count": len(ms),
                                               "note": "forecasts give probabilities, not certainties"}})


@router.get("/forecast", response_model=ForecastOut, responses=ERRORS)
def forecast(request: Request,
             country: str = Query(..., min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$",
                                  description="ISO3 code of the country charted"),
             forecast: str | None = Query(None, max_length=12, pattern=FORECAST_ID,
                                          description="a stored forecast's id (default: the latest covering "
                                                      "the country)"),
             lang: Literal["en", "fr"] = "en",
             history: int = Query(48, ge=1, le=480, description="months of history before the origin")):
    """One country's stored forecast: per month the median, 50% and 90% intervals and the value
    observed since (where the data now hold it), the history the model saw, and a ready-made
    Vega-Lite fan chart (``vega_lite``)."""
    res = context(request).obs().forecast.chart(country.upper(), forecast.lower() if forecast else None, lang=lang,
                                                history_months=history)
    return json_response(res)
