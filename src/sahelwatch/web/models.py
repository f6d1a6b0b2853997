"""Response models: the shapes the OpenAPI document promises (and schemathesis checks)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str
    details: dict[str, Any]


class ErrorOut(BaseModel):
    error: ErrorBody


class TableOut(_Open):
    rows: list[dict[str, Any]]
    meta: dict[str, Any]


class PageOut(TableOut):
    next_cursor: str | None
    total: int


class TrendOut(TableOut):
    series: list[dict[str, Any]]
    answer: list[str]
    caveats: list[str]


class ForecastOut(TableOut):
    history: list[dict[str, Any]]
    vega_lite: dict[str, Any]


class SourceCoverage(BaseModel):
    source: str
    first_date: str | None
    last_date: str | None
    events: int


class SeriesInfo(BaseModel):
    series: str
    source: str  # what to pass as source= to /trend and /aggregate
    snapshot: int
    file: str | None
    sha256: str | None
    vintage: str | None
    vintage_fr: str | None  # the same in French where a French text exists, else as given
    period_kind: str | None
    measures: list[str]
    units: int
    first: str | None
    last: str | None
    sample: bool


class Attribution(BaseModel):
    source: str
    text: str
    text_fr: str
    licence: str
    licence_fr: str


class CountryName(BaseModel):
    iso3: str
    name: str
    name_fr: str


class BlocBrief(BaseModel):
    id: str
    name: str | None
    name_fr: str | None
    kind: str


class MetaOut(BaseModel):
    version: str
    store: str
    acled_mode: str
    acled_notice: str | None
    write_enabled: bool
    private: bool
    latest_snapshot: int | None
    snapshots: int
    sources: list[SourceCoverage]
    series: list[SeriesInfo]
    countries: list[str]
    country_names: list[CountryName]
    blocs: list[BlocBrief]
    attribution: list[Attribution]
    limits: dict[str, int]


ERRORS = {s: {"model": ErrorOut, "description": d} for s, d in (
    (400, "a bad parameter"), (403, "ACLED event rows are not published in this mode"),
    (404, "unknown snapshot, bloc or route"), (409, "an ingest holds the store"))}
