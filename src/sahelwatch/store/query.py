"""Reading the store: events as of a snapshot, the quarantine, source-format export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..domain import schema
from ..domain.errors import SnapshotNotFound, UsageError
from . import manifest, state
from .layout import Layout


@dataclass(frozen=True)
class EventFilter:
    country: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    source: tuple[str, ...] = ()
    as_of: int | None = None
    category: tuple[str, ...] = ()
    #: events where actor1 or actor2 is one of these names (exact)
    actor: tuple[str, ...] = ()
    #: (iso3, first day, last day): events of that country in that span (a bloc's membership
    #: spans); None means no such restriction, an empty tuple matches no event
    spans: tuple[tuple[str, dt.date, dt.date], ...] | None = None
    #: (path of a place -> admin unit lookup in Parquet, admin1 code): events whose
    #: (country, latitude, longitude) the lookup puts in that admin1 unit
    admin1: tuple[str, str] | None = None

    def where(self, alias: str = "e") -> tuple[str, dict]:
        """SQL predicate and parameters. Lists become ``IN ($a0, $a1)`` so that DuckDB pushes
        them into the Parquet scan and skips row groups (a sub-select would not)."""
        clauses, params = ["TRUE"], {}

        def in_list(col: str, name: str, values: tuple[str, ...]) -> None:
            names = [f"{name}{i}" for i in range(len(values))]
            params.update(zip(names, values))
            clauses.append(f"{alias}.{col} IN ({', '.join('$' + n for n in names)})")

        if self.country:
            in_list("country_iso3", "country", self.country)
        if self.start:
            clauses.append(f"{alias}.date_start >= $start")
            params["start"] = self.start
        if self.end:
            clauses.append(f"{alias}.date_start <= $end")
            params["end"] = self.end
        if self.source:
            in_list("source", "source", self.source)
        if self.category:
            in_list("category", "category", self.category)
        if self.actor:
            names = [f"actor{i}" for i in range(len(self.actor))]
            params.update(zip(names, self.actor))
            values = ", ".join("$" + n for n in names)
            clauses.append(f"({alias}.actor1 IN ({values}) OR {alias}.actor2 IN ({values}))")
        if self.spans is not None:
            # the countries as a plain IN list too, so the scan skips other countries' row groups
            in_list("country_iso3", "spanc", tuple(sorted({c for c, _, _ in self.spans})) or ("",))
            ors = []
            for i, (iso3, first, last) in enumerate(self.spans):
                params.update({f"span{i}c": iso3, f"span{i}a": first, f"span{i}b": last})
                ors.append(f"({alias}.country_iso3 = $span{i}c AND {alias}.date_start BETWEEN $span{i}a AND $span{i}b)")
            clauses.append("(" + (" OR ".join(ors) or "FALSE") + ")")
        if self.admin1 is not None:
            path, code = self.admin1
            params["admin1"] = code
            clauses.append(
                f"EXISTS (SELECT 1 FROM read_parquet('{path.replace(chr(39), chr(39) * 2)}') p "
                f"WHERE p.admin1_code = $admin1 AND p.latitude = {alias}.latitude "
                f"AND p.longitude = {alias}.longitude AND p.country_key = COALESCE({alias}.country_iso3, ''))")
        return " AND ".join(clauses), params


def check_as_of(snaps: list[manifest.Snapshot], as_of: int | None) -> None:
    if as_of is not None and as_of not in {s.id for s in snaps}:
        raise SnapshotNotFound(as_of, sorted(s.id for s in snaps))


def closure_where(flt: EventFilter) -> str:
    """The predicate on the closure (deletion) records: they carry keys and dates only."""
    return replace(flt, source=(), category=(), actor=(), admin1=None).where("c")[0]


def events_table(layout: Layout, flt: EventFilter, snaps=None):
    """Current versions matching ``flt`` as an Arrow table, ordered by date and key."""
    import pyarrow as pa

    snaps = manifest.read_all(layout) if snaps is None else snaps
    check_as_of(snaps, flt.as_of)
    where, params = flt.where()
    sql = state.versions_sql(layout, snaps, flt.as_of, where=where, closure_where=closure_where(flt))
    if sql is None:
        return pa.table({c: pa.array([], type=_arrow_type(c)) for c in schema.STORED})
    from . import duck

    with duck.cursor() as con:
        return con.sql(f"SELECT * FROM ({sql}) ORDER BY date_start, event_key", params=params).to_arrow_table()


def _arrow_type(name: str):
    import pyarrow as pa

    t = schema.BY_NAME[name].type
    return {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32(),
            "bool": pa.bool_(), "list[str]": pa.list_(pa.string())}[t]


def quarantine_table(layout: Layout, snapshot: int | None = None):
    import polars as pl

    snaps = manifest.read_all(layout)
    if snapshot is not None:
        check_as_of(snaps, snapshot)
        snaps = [s for s in snaps if s.id == snapshot]
    files = state.part_list(layout, snaps, "quarantine")
    cols = ["snapshot", "file", "row", "line", "field", "value", "reason", "raw"]
    if not files:
        return pl.DataFrame(schema={"snapshot": pl.Int64, "file": pl.String, "row": pl.Int64,
                                    "line": pl.Int64, "field": pl.String, "value": pl.String,
                                    "reason": pl.String, "raw": pl.String})
    return pl.read_parquet(files).select(cols).sort(["snapshot", "row", "field"])


def source_frame(layout: Layout, events, snaps=None):
    """Events back in their source's own columns and values (one source at a time)."""
    import polars as pl

    snaps = manifest.read_all(layout) if snaps is None else snaps
    ev = pl.from_arrow(events) if not isinstance(events, pl.DataFrame) else events
    sources = ev["source"].unique().to_list()
    if len(sources) > 1:
        raise UsageError("--format source writes one source at a time; add --source",
                         choices=sorted(sources))
    if not ev.height:
        return pl.DataFrame()
    by_id = {s.id: s for s in snaps}
    used = sorted(set(ev["snapshot_from"].to_list()))
    header: list[str] = []
    for sid in sorted(used, reverse=True):  # latest layout first, older extras appended
        header += [h for h in by_id[sid].header if h not in header]
    raw_files = state.part_list(layout, [by_id[s] for s in used], "raw")
    keys = ev.select("event_key", "snapshot_from")
    if raw_files:
        raw = pl.concat([pl.read_parquet(f) for f in raw_files], how="diagonal_relaxed")
        out = keys.join(raw, on=["event_key", "snapshot_from"], how="left", maintain_order="left")
    else:
        out = keys
    verbatim: dict[str, str] = {}
    for sid in used:
        verbatim.update(by_id[sid].verbatim)
    cols = []
    for h in header:
        if h in verbatim:
            cols.append(ev[verbatim[h]].cast(pl.String).alias(h))
        elif h in out.columns:
            cols.append(out[h].alias(h))
        else:
            cols.append(pl.Series(h, [None] * ev.height, dtype=pl.String))
    return pl.DataFrame(cols)
