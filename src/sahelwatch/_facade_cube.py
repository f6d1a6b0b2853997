"""Observatory methods for aggregation and trends. Mixed into ``api.Observatory``.

The glue between the store and :mod:`sahelwatch.analytics.cube`: builds the
DuckDB connection (as of a snapshot, with admin units when needed), hands over
the bloc registry and boundary set, and wraps the frame with its meta
(snapshots and releases used, rules, measure definitions, citations).
"""

from __future__ import annotations

import functools
from pathlib import Path

from .domain.args import split_list
from .results import TableResult

FORMATS = ("csv", "parquet", "json", "geojson")


class CubeResult(TableResult):
    """An aggregate table; ``write`` also does ``geojson`` (cell, H3 or admin polygons)."""

    def __init__(self, frame, meta: dict | None = None, *, boundaries=None):
        super().__init__(frame, meta)
        self._boundaries = boundaries

    def __repr__(self) -> str:
        return f"<CubeResult {self._df.height} rows: {self.meta.get('unit')} x {self.meta.get('period')}>"

    def caption(self) -> str:
        """The meta in a few lines (what a printed table carries under it)."""
        m = self.meta
        lines = [f"As of snapshot {m.get('as_of')}; " + "; ".join(
            f"{s['source']} {s['release'] or ''} ({s['file']})".replace(" (", " (", 1) for s in m.get("snapshots", []))]
        lines.append(f"Precision: {m.get('precision_rule')}")
        lines.append(f"Period: {m.get('period_convention')}")
        if m.get("membership_rule"):
            lines.append(f"Membership: {m['membership_rule']}")
        lines += [f"{k}: {v}" for k, v in m.get("measures", {}).items()]
        lines += [f"Note: {w}" for w in m.get("warnings", [])]
        lines += m.get("citations", [])
        return "\n".join(lines)

    def write(self, path: str | Path | None, fmt: str = "csv", stream=None) -> None:
        from .domain.errors import UsageError

        if fmt != "geojson":
            if fmt not in FORMATS:
                raise UsageError(f"unknown format {fmt!r}", choices=list(FORMATS))
            return super().write(path, fmt, stream)
        import json

        text = json.dumps(self.to_geojson(), ensure_ascii=False, default=str)
        if path is None:
            stream.write(text)
        else:
            Path(path).write_text(text, encoding="utf-8")

    def to_geojson(self) -> dict:
        """A FeatureCollection: one feature per row, the unit's polygon as geometry."""
        import polars as pl

        from .domain.errors import UsageError

        unit = self.meta.get("unit")
        if unit not in ("priogrid", "h3", "admin1", "admin2", "country"):
            raise UsageError(f"--format geojson needs a unit with a shape, not {unit!r}",
                             choices=["country", "admin1", "admin2", "priogrid", "h3"])
        df = self._df.with_columns(pl.col(pl.Date).cast(pl.String))
        shapes = _shapes(unit, df, self._boundaries)
        key = {"priogrid": "priogrid_gid", "h3": "h3_cell", "admin1": "admin1_code", "admin2": "admin2_code",
               "country": "country_iso3"}[unit]
        feats = [{"type": "Feature", "geometry": shapes.get((r.get("country_iso3"), r[key])), "properties": r}
                 for r in df.iter_rows(named=True)]
        return {"type": "FeatureCollection", "sahelwatch": self.meta, "features": feats}


def _shapes(unit: str, df, bset) -> dict:
    from shapely.geometry import box, mapping

    from .places import grid

    out: dict = {}
    if unit == "priogrid":
        for c, g in df.select("country_iso3", "priogrid_gid").unique().iter_rows():
            if g is not None:
                out[(c, g)] = mapping(box(*grid.bounds(g)))
        return out
    if unit == "h3":
        h3 = grid._h3()
        for c, cell in df.select("country_iso3", "h3_cell").unique().iter_rows():
            if cell is not None:
                ring = [[lon, lat] for lat, lon in h3.cell_to_boundary(cell)]
                out[(c, cell)] = {"type": "Polygon", "coordinates": [ring + ring[:1]]}
        return out
    from .places import BoundarySet

    return _admin_shapes(bset or BoundarySet.bundled(), {"country": 0, "admin1": 1, "admin2": 2}[unit])


@functools.lru_cache(maxsize=16)
def _admin_shapes(bset, level: int) -> dict:
    """GeoJSON geometry of every unit at ``level``, per boundary set: a boundary set never
    changes once loaded (new boundaries give a new set), so the mapping is made once."""
    from shapely.geometry import mapping

    out: dict = {}
    for (c, lv), ly in bset.layers.items():
        if lv == level:
            for code, g in zip(ly.codes, ly.geoms):
                out[(c, c if level == 0 else code)] = mapping(g)
    return out


class TrendResult(TableResult):
    """One row per series (record, changes, slope, caveats); ``.series`` holds the values."""

    def __init__(self, frame, meta: dict | None = None, *, series=None):
        super().__init__(frame, meta)
        self.series = TableResult(series, meta)

    def __repr__(self) -> str:
        return f"<TrendResult {self._df.height} series, {self.meta.get('measure')} per {self.meta.get('period')}>"


def _sample_claims(snaps, as_of, used, meta) -> dict:
    """Which files a trend on events stands on, and which of them are samples (store/samples.py)."""
    from .store import samples

    srcs = set(used["source"]) if hasattr(used, "columns") else set(used)
    files = samples.sample_files(snaps, srcs, as_of)
    live = [s for s in snaps if (as_of is None or s.id <= as_of) and s.source in srcs]
    ds, de = meta.get("data_start"), meta.get("data_end")
    span = f"{ds:%Y-%m}..{de:%Y-%m}" if ds and de else "no data"
    text = "; ".join(f"{s.file} ({s.source} {s.release or ''}".rstrip() + (", sample)" if s.file in files else ")")
                     for s in live)
    return {"sample_files": files,
            "coverage_text": f"{text}: {span}; " + ("sampled" if files else "complete files")}


class CubeMixin:
    """aggregate(), trend() — see sahelwatch.analytics."""

    def aggregate(self, by: str = "country", period: str = "month", measures=None, *, breakdown=None,
                  country=None, bloc=None, start=None, end=None, source=None, as_of: int | None = None,
                  precision: str = "as-coded", membership: str = "dynamic", complete: bool = False,
                  h3_resolution: int = 5, category=None, actor=None) -> CubeResult:
        """Aggregate events: ``by`` (country, admin1, admin2, priogrid, h3, bloc) x ``period``
        (day, week, acled-week, month, quarter, year) x ``breakdown`` x ``measures``.

        See ``docs/analytics-cube.md``. ``complete=True`` adds zero rows for empty
        unit-periods. Refuses to add ACLED and UCDP together (pick ``source=`` or
        break down by source). ``category`` and ``actor`` (actor1 or actor2 is one of
        these names) filter the events. ``source="series:<name>"`` aggregates a series (docs/series.md).
        """
        from ._facade_series import is_series_source

        if is_series_source(source):
            return self.series._aggregate(source=source, by=by, period=period, measures=measures, country=country,
                                          bloc=bloc, start=start, end=end, as_of=as_of, membership=membership,
                                          breakdown=breakdown, precision=precision, category=category, actor=actor)
        spec, con, bset, snaps, admin = self._cube_setup(
            by=by, period=period, measures=measures, breakdown=breakdown, country=country, bloc=bloc, start=start,
            end=end, source=source, as_of=as_of, precision=precision, membership=membership, complete=complete,
            h3_resolution=h3_resolution, category=category, actor=actor)
        from .analytics import cube

        try:
            frame, info = cube.run_cube(con, spec, registry=self.blocs if spec.blocs else None, boundaries=bset,
                                        admin=admin, rollup=self._cube_rollup(spec, con, snaps, as_of, bset))
        finally:
            con.close()
        return CubeResult(frame, self._cube_meta(spec, info, as_of, snaps, frame), boundaries=bset)

    def country_months(self, *, as_of: int | None = None):
        """Events and fatalities per source, country and month of the current events (Polars:
        source, country_iso3, month, events, fatalities_best/low/high): the cube's
        country-month rollup, which bloc comparisons read instead of every event row."""
        import polars as pl

        from .blocs.analysis import COUNT_COLUMNS, MEASURES

        if not any(s.kind != "series" for s in self.snapshots()):
            return pl.DataFrame(schema={c: (pl.Date if c == "month" else pl.Int64 if c in MEASURES else pl.String)
                                        for c in COUNT_COLUMNS})
        df = self.aggregate(by="country", period="month", measures=list(MEASURES), breakdown=["source"],
                            as_of=as_of).to_polars()
        return df.select("source", "country_iso3", pl.col("period_start").alias("month"), *MEASURES)

    def trend(self, measure: str = "fatalities_best", period: str = "year", *, by: str | None = None,
              country=None, bloc=None, breakdown=None, start=None, end=None, source=None,
              as_of: int | None = None, precision: str = "as-coded", membership: str = "dynamic",
              include_incomplete: bool = False, window: int | None = None, min_periods: int = 6,
              category=None, actor=None) -> TrendResult:
        """Record, change and slope of each series (one per unit and breakdown value).

        ``by`` defaults to ``bloc`` when only blocs are named, else ``country``.
        Incomplete periods at either end are left out unless ``include_incomplete``;
        ``window`` fits the slope on the last N periods only. See ``docs/analytics-cube.md``.
        ``source="series:<name>"`` reads a series (docs/series.md). Every summary row has ``answer_en``
        and ``answer_fr`` (one sentence) and says whether it stands on a sample.
        """
        from ._facade_series import is_series_source
        from .analytics import cube, records, trend
        from .domain.errors import UsageError

        if is_series_source(source):
            return self.series._trend(source=source, measure=measure, period=period, by=by, country=country,
                                      bloc=bloc, start=start, end=end, as_of=as_of, membership=membership,
                                      include_incomplete=include_incomplete, window=window, min_periods=min_periods,
                                      breakdown=breakdown, precision=precision, category=category, actor=actor)

        ms = split_list(measure)
        if len(ms) != 1:
            raise UsageError("trend takes one measure", choices=list(cube.S.MEASURES))
        if window is not None and int(window) < 3:
            raise UsageError(f"--window {window}: a slope needs at least 3 periods")
        by = by or ("bloc" if bloc and not country else "country")
        spec, con, bset, snaps, admin = self._cube_setup(
            by=by, period=period, measures=ms[0], breakdown=breakdown, country=country, bloc=bloc, start=start,
            end=end, source=source, as_of=as_of, precision=precision, membership=membership, complete=True,
            h3_resolution=5, category=category, actor=actor)
        try:
            frame, info = cube.run_cube(con, spec, registry=self.blocs if spec.blocs else None, boundaries=bset,
                                        with_coverage=True, admin=admin,
                                        rollup=self._cube_rollup(spec, con, snaps, as_of, bset))
        finally:
            con.close()
        meta = self._cube_meta(spec, info, as_of, snaps, frame)
        cov = info["coverage"]
        used = cov.filter(cov["source"].is_in(info.get("sources") or cov["source"].to_list()))
        releases = [(s.source, s.release, s.coverage_end) for s in snaps
                    if (as_of is None or s.id <= as_of) and s.source in set(used["source"])]
        data_start, data_end = trend.data_bounds(
            {r["source"]: (r["first_date"], r["last_date"]) for r in used.iter_rows(named=True)}, releases)
        gaps = trend.coverage_gaps(releases, data_end)
        unit_cols = list(cube.S.UNIT_KEYS[spec.unit])
        unit_cols[1:1] = ["country_name"] if "country_name" in frame.columns else []
        keys = [k for k in unit_cols if k in frame.columns] + list(spec.breakdown)
        if spec.unit == "bloc" and "members" in frame.columns:
            # a bloc-period without member states is not a zero: the bloc was not there
            frame = frame.filter(frame["members"] > 0)
        summary, series = trend.trend_frames(
            frame, keys, spec.measures[0], spec.period, data_start=data_start, data_end=data_end, start=spec.start,
            end=spec.end, include_incomplete=include_incomplete, window=window, min_periods=int(min_periods),
            sources=tuple(info.get("sources") or ()), gaps=gaps)
        meta |= {"measure": spec.measures[0], "method": trend.METHOD, "data_start": data_start,
                 "data_end": data_end, "include_incomplete": include_incomplete, "window": window,
                 "min_periods": int(min_periods)}
        summary, meta = records.honest(summary, series, meta, keys=keys, measure=spec.measures[0],
                                       period=spec.period, **_sample_claims(snaps, as_of, used, meta))
        return TrendResult(summary, meta, series=series)

    # -- shared -----------------------------------------------------------------------------------

    def _cube_setup(self, *, as_of, **kw):
        from .analytics import cube
        from .store import query

        snaps = self.snapshots()
        query.check_as_of(snaps, as_of)
        known = tuple(sorted({s.source for s in snaps if as_of is None or s.id <= as_of}))
        registry = self.blocs if split_list(kw.get("bloc")) or kw.get("by") == "bloc" else None
        spec = cube.make_spec(registry=registry, known_sources=known, **kw)
        con = self._cube_connection(snaps, as_of)
        bset = admin = None
        if spec.needs_admin:
            from .places import BoundarySet

            bset = BoundarySet.load(self.home)
            self._cube_admin(con, snaps, as_of, bset)
            admin = True  # the view sw_admin is on the connection
        return spec, con, bset, snaps, admin

    def _cube_connection(self, snaps, as_of):
        """A cursor on a DuckDB connection kept for the store's state (latest snapshot and
        ``as_of``): the ``events`` view is bound and the Parquet footers are read once, not on
        every call. Helper tables go on the cursor (connection-local) and vanish with it."""
        if not snaps:
            # an empty store's view reads a registered (connection-local) table: no cursor
            self._cube_con = None
            return self.analytics_connection(as_of=as_of)
        key = (as_of, max(s.id for s in snaps), len(snaps))
        cached = getattr(self, "_cube_con", None)
        if cached is None or cached["key"] != key:
            if cached is not None:
                cached["con"].close()
            base = self.analytics_connection(as_of=as_of)
            base.execute("SET GLOBAL parquet_metadata_cache = true")
            self._cube_con = cached = {"key": key, "con": base, "views": set()}
        return cached["con"].cursor()

    def _cube_rollup(self, spec, con, snaps, as_of, bset) -> bool:
        """Make the rollup view ``spec`` can read (``events_rollup``: per source, country, day,
        category and exactness; ``events_rollup_admin``: the same with admin units) available on
        the kept connection. Built once per snapshot (and boundary set) and cached in HOME/cache:
        a snapshot never changes, and deleting the cache only costs time."""
        if not spec.rollup_eligible or getattr(self, "_cube_no_rollup", False) or not snaps:
            return False
        from .analytics import cube

        cached = self._cube_con
        view = spec.rollup_view
        if view in cached["views"]:
            return True
        snap = as_of if as_of is not None else max(s.id for s in snaps)
        admin, cell = view == cube.S.ROLLUP_ADMIN, view == cube.S.ROLLUP_CELL
        # v2: sorted by country and day in small row groups, so a country's or a year's rows are
        # read without the rest (v1 files, unsorted, are left alone and not read)
        name = (f"cube-rollup-admin-v2-{snap:06d}-{bset.id}" if admin
                else f"cube-rollup-cell-v2-{snap:06d}" if cell else f"cube-rollup-v2-{snap:06d}")
        path = self.home / "cache" / f"{name}.parquet"
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            tmp = path.with_name(path.name + f".tmp-{id(con)}")
            # the admin rollup joins sw_admin, a view of this cursor
            (con.sql(cube.S.rollup_sql(admin=admin, cell=cell)).pl()
             .sort("country_iso3", "date_start", nulls_last=True)
             .write_parquet(tmp, row_group_size=16_384, statistics=True))
            tmp.replace(path)
        quoted = str(path).replace("'", "''")
        cached["con"].execute(f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM read_parquet('{quoted}')")
        cached["views"].add(view)
        return True

    def _cube_admin(self, con, snaps, as_of, bset):
        """Admin units per distinct place, cached per snapshot and boundary set in HOME/cache
        (places known from an earlier snapshot's lookup are not computed again), made
        available on ``con`` as the view ``sw_admin``. Returns the cache file's path."""
        import polars as pl

        from .analytics import cube

        snap = as_of if as_of is not None else max((s.id for s in snaps), default=0)
        folder = self.home / "cache"
        path = folder / f"cube-places-v1-{snap:06d}-{bset.id}.parquet"
        if not path.exists():
            earlier = sorted(folder.glob(f"cube-places-v1-*-{bset.id}.parquet")) if folder.exists() else []
            known = pl.read_parquet(earlier[-1]) if earlier else None
            out = cube.admin_lookup(con, bset, known)
            folder.mkdir(exist_ok=True)
            tmp = path.with_name(path.name + f".tmp-{id(out)}")
            out.write_parquet(tmp)
            tmp.replace(path)
        # DuckDB reads the cache itself: no copy through Python.
        quoted = str(path).replace("'", "''")
        con.execute(f"CREATE OR REPLACE TEMP VIEW {cube.S.ADMIN} AS SELECT * FROM read_parquet('{quoted}')")
        return path

    def _cube_meta(self, spec, info: dict, as_of: int | None, snaps, frame) -> dict:
        from .analytics import cube, trend

        snaps = [s for s in snaps if as_of is None or s.id <= as_of]
        used = set(info.get("sources") or [])
        meta = cube.describe(spec)
        cov = info.get("coverage")
        meta |= {
            "as_of": as_of if as_of is not None else (snaps[-1].id if snaps else None),
            "sources": sorted(used),
            "snapshots": [{"id": s.id, "source": s.source, "release": s.release, "file": s.file, "time": s.time}
                          for s in snaps if s.source in used],
            "coverage": [] if cov is None else [
                {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
                for r in cov.sort("source").iter_rows(named=True) if r["source"] in used],
            "citations": [cube.CITATIONS.get(f, f"Source: {f} (user data, aggregated by sahelwatch)")
                          for f in info.get("families") or []],
            "warnings": list(info.get("warnings") or []),
        }
        if "ucdp_candidate" in used:
            meta["warnings"].append("UCDP Candidate events are preliminary; a GED release replaces them")
            gaps = trend.coverage_gaps([(s.source, s.release, s.coverage_end) for s in snaps
                                        if s.source in ("ucdp_ged", "ucdp_candidate")])
            if frame.height and gaps:
                lo, hi = frame["period_start"].min(), frame["period_end"].max()
                gaps = [g for g in gaps if g[0] <= hi and lo <= g[1]]
            if gaps:
                meta["warnings"].append(
                    "no ingested UCDP release covers " + ", ".join(f"{g0:%Y-%m}" for g0, _ in gaps[:12])
                    + (" ..." if len(gaps) > 12 else "") + ": those months hold no data, not zero events")
        return meta
