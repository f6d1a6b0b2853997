"""Results returned by the Python API: one object, several frame types, several file formats."""

from __future__ import annotations

from pathlib import Path

FORMATS = ("csv", "parquet", "geojson", "json", "source")


class EventResult:
    """Events as of a snapshot. ``.to_polars()``, ``.to_pandas()``, ``.to_arrow()``, ``.write()``."""

    def __init__(self, table, *, layout=None, as_of: int | None = None, snaps=None):
        self._table = table
        self._layout = layout
        self._snaps = snaps
        self.as_of = as_of

    def __len__(self) -> int:
        return self._table.num_rows

    def __repr__(self) -> str:
        return f"<EventResult {len(self)} events as of snapshot {self.as_of or 'latest'}>"

    def to_arrow(self):
        return self._table

    def to_polars(self):
        import polars as pl

        return pl.from_arrow(self._table)

    def to_pandas(self):
        return self._table.to_pandas()

    def to_source(self):
        """The events in their source's own columns and values (Polars)."""
        from .store import query

        return query.source_frame(self._layout, self._table, self._snaps)

    def write(self, path: str | Path | None, fmt: str = "csv", stream=None) -> None:
        """Write to ``path`` (or the text ``stream`` when path is None) in ``fmt``."""
        from .domain.errors import UsageError

        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r}", choices=list(FORMATS))
        if fmt == "parquet":
            if path is None:
                raise UsageError("--format parquet needs -o FILE")
            self.to_polars().write_parquet(path)
            return
        text = self._text(fmt)
        if path is None:
            stream.write(text)
        else:
            Path(path).write_text(text, encoding="utf-8")

    def _text(self, fmt: str) -> str:
        import json

        import polars as pl

        if fmt == "source":
            return self.to_source().write_csv()
        df = self.to_polars()
        if fmt == "csv":
            return df.with_columns(pl.col("flags").list.join(";")).write_csv()
        if fmt == "json":
            return df.write_json()
        features = []
        for r in df.with_columns(pl.col(pl.Date).cast(pl.String)).iter_rows(named=True):
            lon, lat = r.pop("longitude"), r.pop("latitude")
            geom = None if lon is None or lat is None else {"type": "Point", "coordinates": [lon, lat]}
            features.append({"type": "Feature", "geometry": geom, "properties": r})
        return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


class TableResult:
    """A computed table (aggregates, indicators, alerts...) with what produced it.

    ``meta`` says how the numbers were made (as-of snapshot, precision policy,
    membership rule, caveats) and is written beside the data in JSON output.
    """

    def __init__(self, frame, meta: dict | None = None):
        self._df = frame
        self.meta = dict(meta or {})

    def __len__(self) -> int:
        return self._df.height

    def __repr__(self) -> str:
        return f"<TableResult {self._df.height} rows x {self._df.width} columns>"

    def to_polars(self):
        return self._df

    def to_pandas(self):
        return self._df.to_pandas()

    def to_arrow(self):
        return self._df.to_arrow()

    def write(self, path: str | Path | None, fmt: str = "csv", stream=None) -> None:
        """``csv``, ``parquet`` or ``json`` (``{"meta": ..., "rows": [...]}``) to ``path`` or ``stream``."""
        import json

        import polars as pl

        from .domain.errors import UsageError

        if fmt not in ("csv", "parquet", "json"):
            raise UsageError(f"unknown format {fmt!r}", choices=["csv", "parquet", "json"])
        if fmt == "parquet":
            if path is None:
                raise UsageError("--format parquet needs -o FILE")
            self._df.write_parquet(path)
            return
        df = self._df.with_columns(pl.col(pl.Date, pl.Datetime).cast(pl.String))
        if fmt == "csv":
            lists = [c for c, t in df.schema.items() if isinstance(t, pl.List)]
            text = df.with_columns([pl.col(c).cast(pl.List(pl.String)).list.join(";") for c in lists]).write_csv()
        else:
            text = json.dumps({"meta": self.meta, "rows": df.to_dicts()}, ensure_ascii=False, default=str, indent=1)
        if path is None:
            stream.write(text)
        else:
            Path(path).write_text(text, encoding="utf-8")
