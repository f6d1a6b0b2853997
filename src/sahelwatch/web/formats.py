"""Responses in the format asked: JSON, CSV, Parquet or GeoJSON.

``format=`` wins over the ``Accept`` header. Tables are ``{"rows": [...], "meta": {...}}``
in JSON. CSV text cells that begin with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return) are prefixed with ``'`` so a spreadsheet never runs them as a formula.
JSON never carries NaN or Infinity (they become ``null``): strict parsers refuse them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math

from .errors import ApiError

FORMATS = ("json", "csv", "parquet", "geojson")
MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8",
         "parquet": "application/vnd.apache.parquet", "geojson": "application/geo+json"}
_ACCEPT = {"application/json": "json", "text/csv": "csv", "application/vnd.apache.parquet": "parquet",
           "application/parquet": "parquet", "application/geo+json": "geojson"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def pick(fmt: str | None, accept: str | None, allowed=FORMATS) -> str:
    """The response format: ``format=`` if given, else the first known type in ``Accept``, else JSON."""
    if fmt:
        f = fmt.strip().lower()
        if f not in allowed:
            raise ApiError(400, "bad_parameter", f"unknown format {fmt!r} (valid: {', '.join(allowed)})",
                           {"param": "format", "value": fmt, "choices": list(allowed)})
        return f
    for part in (accept or "").split(","):
        media = part.split(";")[0].strip().lower()
        if _ACCEPT.get(media) in allowed:
            return _ACCEPT[media]
    return "json"


def jsonable(value):
    """Dates to ISO strings, NaN/Infinity to None, tuples/sets to lists, recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if hasattr(value, "model_dump"):
        return jsonable(value.model_dump(mode="json", by_alias=True))
    return str(value)


def rows(df) -> list[dict]:
    """A Polars frame as JSON-ready row objects (dates as ISO text; NaN becomes null when
    serialised by :func:`dumps`)."""
    import polars as pl

    return df.with_columns(pl.col(pl.Date, pl.Datetime).cast(pl.String)).to_dicts()


def _default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return list(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True)
    return str(value)


def dumps(content) -> bytes:
    """Compact UTF-8 JSON (orjson: NaN and Infinity become ``null``, dates ISO text). A body
    orjson cannot take (an integer beyond 64 bits) takes the slow, cleaning walk."""
    import orjson

    try:
        return orjson.dumps(content, default=_default, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return json.dumps(jsonable(content), ensure_ascii=False, allow_nan=False,
                          separators=(",", ":")).encode("utf-8")


def json_response(content: dict, status: int = 200, media: str = "application/json", headers=None):
    from fastapi.responses import Response

    return Response(dumps(content), status_code=status, media_type=media, headers=headers)


def neutralise(text):
    """A CSV cell a spreadsheet would take for a formula gets a leading ``'``."""
    if isinstance(text, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_bytes(df) -> bytes:
    """CSV of a Polars frame: lists joined with ``;``, text cells neutralised."""
    import polars as pl

    df = df.with_columns(pl.col(pl.Date, pl.Datetime).cast(pl.String))
    lists = [c for c, t in df.schema.items() if isinstance(t, pl.List)]
    if lists:
        df = df.with_columns([pl.col(c).cast(pl.List(pl.String)).list.join(";") for c in lists])
    nested = [c for c, t in df.schema.items() if isinstance(t, (pl.Struct, pl.Array, pl.Object))]
    if nested:
        df = df.with_columns([pl.col(c).map_elements(lambda v: json.dumps(jsonable(v)), return_dtype=pl.String)
                              for c in nested])
    texts = [c for c, t in df.schema.items() if t == pl.String]
    if texts:
        df = df.with_columns([
            pl.when(pl.col(c).str.contains(r"^[=+\-@\t\r]")).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c))
            .alias(c) for c in texts])
    header = [neutralise(c) for c in df.columns]
    return df.rename(dict(zip(df.columns, header))).write_csv().encode("utf-8")


def parquet_bytes(df) -> bytes:
    buf = io.BytesIO()
    df.write_parquet(buf)
    return buf.getvalue()


def table_response(df, meta: dict, fmt: str, name: str, *, geojson=None, extra: dict | None = None):
    """A table in ``fmt``. ``geojson``: a callable giving the FeatureCollection (or None when the
    table has no shapes). ``extra``: more top-level JSON keys (``next_cursor``, ``total``)."""
    from fastapi.responses import Response

    if fmt == "json":
        return json_response({"rows": rows(df), **(extra or {}), "meta": meta})
    disp = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    if fmt == "csv":
        return Response(csv_bytes(df), media_type=MEDIA["csv"], headers=disp)
    if fmt == "parquet":
        return Response(parquet_bytes(df), media_type=MEDIA["parquet"], headers=disp)
    if geojson is None:
        raise ApiError(400, "bad_parameter", "format=geojson needs a table with shapes or points",
                       {"param": "format", "value": fmt, "choices": ["json", "csv", "parquet"]})
    return json_response(geojson(), media=MEDIA["geojson"], headers=disp)


def points_geojson(df, meta: dict | None = None) -> dict:
    """Events as Point features (no geometry when the event has no coordinates)."""
    feats = []
    for r in rows(df):
        lon, lat = r.pop("longitude", None), r.pop("latitude", None)
        known = all(isinstance(v, (int, float)) and math.isfinite(v) for v in (lon, lat))
        geom = {"type": "Point", "coordinates": [lon, lat]} if known else None
        feats.append({"type": "Feature", "geometry": geom, "properties": r})
    out = {"type": "FeatureCollection", "features": feats}
    if meta is not None:
        out["sahelwatch"] = meta
    return out
