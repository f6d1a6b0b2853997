"""The one public entry point: ``sahelwatch.open(home)`` -> :class:`Observatory`.

The CLI and the HTTP API are thin shells over these methods.
"""

from __future__ import annotations

from pathlib import Path

from ._facade_cube import CubeMixin
from ._facade_scope import ScopeMixin
from ._facade_warning import WarningMixin
from .domain import args
from .results import EventResult
from .sources.base import Progress
from .store import catalog, manifest, query
from .store.ingest import IngestReport, ingest
from .store.layout import Layout, default_home


class Observatory(CubeMixin, WarningMixin, ScopeMixin):
    """A sahelwatch store on this machine."""

    def __init__(self, home: str | Path | None = None, *, create: bool = True, registry=None):
        self.home = Path(home).expanduser() if home else default_home()
        self.layout = Layout(self.home)
        if create:
            self.layout.create()
        self.layout.check()
        catalog.refresh(self.layout)  # cheap when up to date; rebuilds a deleted or stale catalog
        self._registry_files = [registry] if isinstance(registry, (str, Path)) else list(registry or [])
        self._blocs = None

    def __repr__(self) -> str:
        return f"<Observatory {self.home}>"

    # -- writing -----------------------------------------------------------
    def ingest(self, kind: str, path: str | Path, *, release: str | None = None,
               progress: Progress | None = None, wait: float = 0.0, partial: bool = False,
               **options) -> IngestReport:
        """Ingest one file as a new snapshot. ``kind``: acled, acled-deletions, ucdp, ucdp-candidate, csv,
        series (``format="views-cm"|"wide"|"tidy"``, ``name=``; see docs/series.md). ``sample=True``
        (implied by ``partial``) marks the file a sample: claims from it say "in this sample"."""
        if kind == "series":
            from .store.series_store import ingest_series

            return ingest_series(self.layout, path, release=release, progress=progress, wait=wait,
                                 partial=partial, **options)
        return ingest(self.layout, kind, path, release=release, progress=progress, wait=wait,
                      partial=partial, **options)

    # -- reading -----------------------------------------------------------
    def snapshots(self) -> list[manifest.Snapshot]:
        return manifest.read_all(self.layout)

    def events(self, *, country=None, start=None, end=None, source=None,
               as_of: int | None = None, with_places: bool = False,
               tolerance_km: float | None = None, category=None, actor=None,
               bloc=None, membership: str | None = None, admin1: str | None = None) -> EventResult:
        """Current events (as of snapshot ``as_of``, default latest) matching the filters.

        ``with_places=True`` adds admin1/admin2 codes and names by point-in-polygon
        (the store's own boundaries where loaded, else the bundled ones), the match
        kind, the boundary set used and whether the source's admin1 name disagrees.
        ``category``: harmonised categories; ``actor``: events where actor1 or actor2 is
        one of these names (one name as text, or a list). ``bloc``: events in the states
        that counted for the bloc in the event's month (``membership``: ``dynamic``, the
        default, or ``on:YYYY-MM-DD``), as the aggregates count them; ``admin1``: events the
        boundaries place in that admin1 unit (a code from ``places admin COUNTRY --level 1``).
        """
        snaps = self.snapshots()
        flt = self._scoped(self._event_filter(country, start, end, source, as_of, category, actor),
                           bloc=bloc, membership=membership, admin1=admin1, snaps=snaps)
        table = query.events_table(self.layout, flt, snaps)
        if with_places:
            import polars as pl

            from .places import DEFAULT_TOLERANCE_KM, BoundarySet
            from .places import with_places as add_places

            df = add_places(pl.from_arrow(table), BoundarySet.load(self.home),
                            tolerance_km if tolerance_km is not None else DEFAULT_TOLERANCE_KM)
            table = df.to_arrow()
        return EventResult(table, layout=self.layout, as_of=as_of, snaps=snaps)

    def events_page(self, *, sort: str = "date_start", limit: int = 100, after: tuple | None = None,
                    country=None, start=None, end=None, source=None, as_of: int | None = None,
                    category=None, actor=None, by_source: dict | None = None,
                    bloc=None, membership: str | None = None, admin1: str | None = None):
        """One page of events (keyset paging): ``.table`` (Arrow), ``.total``, ``.by_source``
        and ``.after`` (pass it back as ``after=`` for the next page; None on the last).
        ``sort``: date_start, fatalities_best or country_iso3, ``-`` in front for descending.
        ``by_source``: an earlier page's counts (same filters, pinned ``as_of``): not recounted.
        ``bloc``, ``membership``, ``admin1``: as in :meth:`events`."""
        from .store import paging

        snaps = self.snapshots()
        flt = self._scoped(self._event_filter(country, start, end, source, as_of, category, actor),
                           bloc=bloc, membership=membership, admin1=admin1, snaps=snaps)
        return paging.page(self.layout, flt, sort=sort, limit=limit, after=after, by_source=by_source, snaps=snaps)

    @staticmethod
    def _event_filter(country, start, end, source, as_of, category, actor) -> query.EventFilter:
        s, e = args.date_range(start, end)
        return query.EventFilter(args.iso3_list(country), s, e, args.split_list(source), as_of,
                                 args.category_list(category), args.actor_list(actor))

    def quarantine(self, snapshot: int | None = None):
        """Rejected rows (Polars): snapshot, file, row, line, field, value, reason, raw."""
        return query.quarantine_table(self.layout, snapshot)

    def analytics_connection(self, *, as_of: int | None = None, places: bool = False):
        """A DuckDB connection with a view ``events``: the current events as of ``as_of``.

        This is how the analytics layer reads the store without opening files itself.
        With ``places=True`` the view also has ``admin1_code``, ``admin1_name``,
        ``admin2_code``, ``admin2_name``, ``admin_match`` and ``admin_boundary_set``
        (point-in-polygon, computed once per snapshot and boundary set and cached in
        ``HOME/cache/``; deleting the cache only costs time).
        """
        import duckdb

        from .store import state

        snaps = self.snapshots()
        query.check_as_of(snaps, as_of)
        con = duckdb.connect()
        sql = state.versions_sql(self.layout, snaps, as_of)
        if sql is None:
            sql = "SELECT * FROM empty_events"
            con.register("empty_events", query.events_table(self.layout, query.EventFilter(), snaps))
        if places:
            # admin units per distinct place (stated country, lat, lon): the cache the cube
            # keeps too, so one point-in-polygon pass serves every analytics command
            from .analytics import sqlcore
            from .places import BoundarySet

            bset = BoundarySet.load(self.home)
            con.execute(f"CREATE TEMP VIEW sw_events_plain AS {sql}")
            con.execute("CREATE TEMP VIEW events AS SELECT * FROM sw_events_plain")  # what the lookup reads
            self._cube_admin(con, snaps, as_of, bset)
            con.execute("DROP VIEW events")
            sql = (f"SELECT e.*, a.admin1_code, a.admin1_name, a.admin2_code, a.admin2_name, a.admin_match, "
                   f"'{bset.id.replace(chr(39), chr(39) * 2)}' AS admin_boundary_set "
                   f"FROM sw_events_plain e LEFT JOIN {sqlcore.ADMIN} a ON {sqlcore.ADMIN_ON}")
        con.execute(f"CREATE {'TEMP ' if places else ''}VIEW events AS {sql}")
        return con

    @property
    def series(self):
        """Unit-period series (VIEWS country-month, wide and tidy tables): ``list()``, ``table(...)``."""
        if getattr(self, "_series", None) is None:
            from ._facade_series import SeriesNamespace

            self._series = SeriesNamespace(self)
        return self._series

    @property
    def blocs(self):
        """The regional-bloc registry (built-in, plus ``registry=`` files given to :func:`open`)."""
        if self._blocs is None:
            from .blocs import load_registry

            self._blocs = load_registry(self._registry_files)
        return self._blocs

    @property
    def sync(self):
        """Syncs with ACLED's and UCDP's APIs: ``obs.sync.acled(...)``, ``.ucdp(...)``, ``.status()``."""
        from .sync.facade import Sync

        return Sync(self.layout)

    @property
    def briefs(self):
        """Situation briefs (HTML, PDF) of a bloc or country for a month or year: ``obs.briefs.build(...)``."""
        from .report.briefs import Briefs

        return Briefs(self)

    def close(self) -> None:
        """Release the DuckDB connection kept for aggregates (the object stays usable:
        the next aggregate opens a new one). A server calls it on shutdown."""
        cached = getattr(self, "_cube_con", None)
        if cached is not None:
            self._cube_con = None
            cached["con"].close()

    @property
    def forecast(self):
        """Panels, forecasts, backtests and fan charts (:mod:`sahelwatch.forecast`)."""
        from .forecast.namespace import ForecastNamespace

        return ForecastNamespace(self)

    def refresh_catalog(self) -> bool:
        return catalog.refresh(self.layout, force=True)
