"""Observatory methods for indicators, alerts, reconciliation and actors.
Mixed into ``api.Observatory``: each builds the analytics connection, calls
``sahelwatch.analytics`` and wraps the frame with what produced it (``meta``)."""

from __future__ import annotations

from pathlib import Path

from .domain.errors import UsageError
from .results import TableResult

ACLED_TERMS = ("ACLED's terms forbid republishing its raw events: event-level rows with ACLED data are "
               "for your own use; publish only attributed aggregates.")


class Reconciliation:
    """Matched pairs, each side's unmatched events and the union view, as TableResults.

    ``to_polars()`` / ``to_pandas()`` give the matched pairs; ``.left_unmatched``,
    ``.right_unmatched`` and ``.union`` are results of their own; ``.summary`` counts them.
    """

    def __init__(self, frames: dict, meta: dict):
        self.meta = meta
        self.pairs = TableResult(frames["pairs"], {**meta, "table": "pairs"})
        self.left_unmatched = TableResult(frames["left_unmatched"], {**meta, "table": "left_unmatched"})
        self.right_unmatched = TableResult(frames["right_unmatched"], {**meta, "table": "right_unmatched"})
        self.union = TableResult(frames["union"], {**meta, "table": "union"})
        n_l = len(self.pairs) + len(self.left_unmatched)
        n_r = len(self.pairs) + len(self.right_unmatched)
        self.summary = {"left_events": n_l, "right_events": n_r, "candidate_pairs": frames["candidates"],
                        "matched_pairs": len(self.pairs), "left_unmatched": len(self.left_unmatched),
                        "right_unmatched": len(self.right_unmatched), "union_events": len(self.union),
                        "left_matched_share": round(len(self.pairs) / n_l, 4) if n_l else None,
                        "right_matched_share": round(len(self.pairs) / n_r, 4) if n_r else None}
        self.meta["summary"] = self.summary

    def __len__(self) -> int:
        return len(self.pairs)

    def __repr__(self) -> str:
        s = self.summary
        return (f"<Reconciliation {s['matched_pairs']} pairs, {s['left_unmatched']} left / "
                f"{s['right_unmatched']} right unmatched, union {s['union_events']}>")

    def to_polars(self):
        return self.pairs.to_polars()

    def to_pandas(self):
        return self.pairs.to_pandas()

    def to_arrow(self):
        return self.pairs.to_arrow()


def _countries(country) -> tuple[str, ...]:
    from .domain.args import iso3_list

    return iso3_list(country)

def _coverage_caveats(months: dict, day) -> list[str]:
    empty = [m for m, n in months.items() if not n]
    if not empty:
        return []
    return [f"the store holds no event from these sources in {len(empty)} of the 13 months up to {day} "
            f"({', '.join(empty[:4])}{'...' if len(empty) > 4 else ''}): baselines may miss data "
            "(a sample or a single monthly release?) and alerts may be spurious"]


class WarningMixin:
    """indicators(), alerts(), score_alerts(), reconcile(), actors() — see sahelwatch.analytics."""

    # -- helpers -----------------------------------------------------------------------
    def _warning_con(self, as_of, places: bool):
        return self.analytics_connection(as_of=as_of, places=places)

    def _warning_meta(self, as_of, family: str, sources, **extra) -> dict:
        from .analytics._warning_base import citation

        snaps = [s for s in self.snapshots() if as_of is None or s.id <= as_of]
        used = [{"snapshot": s.id, "source": s.source, "release": s.release, "file": s.file}
                for s in snaps if s.source in sources]
        meta = {"as_of": as_of if as_of is not None else (snaps[-1].id if snaps else None),
                "source_family": family, "sources": list(sources), "releases": used,
                "citation": citation(family)}
        meta.update(extra)
        meta.setdefault("caveats", [])
        if family == "ucdp" and "ucdp_candidate" in sources:
            meta["caveats"].append("UCDP Candidate events are preliminary (code_status flags) and are revised "
                                   "when a GED release replaces them.")
        return meta

    def _alias_table(self, aliases):
        from .analytics.actors import load_aliases

        files = [aliases] if isinstance(aliases, (str, Path)) else list(aliases or [])
        texts = []
        for f in files:
            p = Path(f).expanduser()
            try:
                texts.append((str(f), p.read_text(encoding="utf-8")))
            except FileNotFoundError:
                raise UsageError(f"--aliases {f}: no such file") from None
            except (IsADirectoryError, UnicodeDecodeError) as e:
                raise UsageError(f"--aliases {f}: not a UTF-8 YAML file ({e.__class__.__name__})") from None
        return load_aliases(texts), [str(f) for f in files]

    def _on(self, con, on, sources, name: str = "on"):
        from .analytics._warning_base import as_date, data_end

        day = as_date(on, name)
        return day if day is not None else data_end(con, sources)

    # -- indicators --------------------------------------------------------------------
    def indicators(self, unit: str = "country", on=None, *, source: str | None = None, as_of: int | None = None,
                   country=None, window_months: int = 12, high_violence_events: int = 10,
                   min_group_events: int = 1, cell_km: float = 10.0, aliases=None,
                   sort: str = "rank") -> TableResult:
        """ACLED-method conflict indicators (a replication, not ACLED's index) per country or
        admin1 over the 12 months ending ``on`` (default: the last event date of the source)."""
        from .analytics import indicators as ind
        from .analytics._warning_base import check_unit, resolve_sources
        from .places import BoundarySet

        unit = check_unit(unit, ("country", "admin1"))
        settings = ind.IndicatorSettings(window_months, cell_km, high_violence_events, min_group_events)
        if sort not in ind.SORTS:
            raise UsageError(f"unknown sort {sort!r}", choices=list(ind.SORTS))
        cs = _countries(country)
        table, alias_files = self._alias_table(aliases)
        con = self._warning_con(as_of, places=unit != "country")
        try:
            family, sources = resolve_sources(con, source)
            day = self._on(con, on, sources)
            places = ind.populated_places(BoundarySet.load(self.home) if unit != "country" else None,
                                          admin=unit != "country")
            df = ind.indicators(con, sources, unit=unit, on=day, settings=settings, table=table, places=places,
                                countries=cs, sort=sort)
        finally:
            con.close()
        first, last = ind.window(day, settings.window_months)
        meta = self._warning_meta(
            as_of, family, sources, label=ind.LABEL, unit=unit, on=str(day), window=[str(first), str(last)],
            settings=settings.to_dict(), alias_files=alias_files,
            method="docs/analytics-warning.md#conflict-indicators",
            caveats=["A replication of the method ACLED publishes for its Conflict Index, run on the data in this "
                     "store; it is not ACLED's index and its ranks are relative to the units here, not the world.",
                     "Diffusion: populated cells are cells holding a GeoNames populated place (bundled gazetteer: MLI, "
                     "BFA, NER, MRT, SEN, GIN, CIV), not ACLED's WorldPop >= 100 people; elsewhere cells with any "
                     "recorded event stand in (column diffusion_basis)."])
        return TableResult(df, meta)

    # -- alerts ------------------------------------------------------------------------
    def _alert_setup(self, unit, kind, thresholds, country, measure):
        from .analytics import alerts as al
        from .analytics._warning_base import check_unit

        unit = check_unit(unit)
        al.check_measure(measure)
        kinds = al.check_kinds(kind)
        if isinstance(thresholds, al.AlertThresholds):
            th = thresholds
        else:
            th_args = dict(thresholds or {})
            unknown = set(th_args) - set(al.AlertThresholds.__dataclass_fields__)
            if unknown:
                raise UsageError(f"unknown alert threshold {sorted(unknown)[0]!r}",
                                 choices=list(al.AlertThresholds.__dataclass_fields__))
            th = al.AlertThresholds(**th_args)
        return unit, kinds, th, _countries(country)

    def alerts(self, unit: str = "admin1", on=None, *, kind=None, source: str | None = None,
               as_of: int | None = None, country=None, thresholds=None, measure: str = "events") -> TableResult:
        """Alerts issued on ``on`` (default: the last event date): one row per unit and kind, each
        with its question (English and French), stated probability, resolution date and outcome
        (null until the store holds data to the resolution date)."""
        from .analytics import alerts as al
        from .analytics._warning_base import data_start, resolve_sources

        unit, kinds, th, cs = self._alert_setup(unit, kind, thresholds, country, measure)
        con = self._warning_con(as_of, places=unit != "country" or "convergence" in kinds)
        try:
            family, sources = resolve_sources(con, source)
            day = self._on(con, on, sources)
            first, last = data_start(con, sources), self._on(con, None, sources)
            df = al.alerts(con, sources, unit=unit, on=day, kinds=kinds, th=th, data_start=first, data_end=last,
                           countries=cs, measure=measure.strip().lower())
            con_months = al.months_with_events(con, sources, day)
        finally:
            con.close()
        caveats = _coverage_caveats(con_months, day)
        if day > last:
            caveats.append(f"issued on {day}, after the last event in the store ({last}): the signal windows are "
                           "partly empty")
        return TableResult(df, self._warning_meta(
            as_of, family, sources, unit=unit, on=str(day), kinds=list(kinds), thresholds=th.to_dict(),
            measure=measure,
            data=[str(first), str(last)], week="ACLED week, Saturday to Friday",
            method="docs/analytics-warning.md#alerts", caveats=caveats + [
                "Probabilities are the smoothed hit rates of the same rule over the previous "
                f"{th.calibration_weeks} weeks in this store (all units pooled); 0.5 without history.",
                "Convergence is evaluated on admin2 units whatever --unit says."]))

    def score_alerts(self, unit: str = "admin1", start=None, end=None, *, kind=None, source: str | None = None,
                     as_of: int | None = None, country=None, thresholds=None,
                     measure: str = "events") -> TableResult:
        """Backtest: the alert rules replayed every Friday from ``start`` to ``end`` (``YYYY-MM``),
        scored against their outcomes and against a naive baseline (each unit's base rate).
        The result's ``.detail`` holds every replayed alert."""
        from .analytics import scoring
        from .analytics._warning_base import as_month, data_start, resolve_sources

        unit, kinds, th, cs = self._alert_setup(unit, kind, thresholds, country, measure)
        if start is None or end is None:
            raise UsageError("alerts score needs --from YYYY-MM and --to YYYY-MM")
        s, e = as_month(start, "from"), as_month(end, "to", end=True)
        if s > e:
            raise UsageError(f"empty date range: from {start} is after to {end}")
        con = self._warning_con(as_of, places=unit != "country" or "convergence" in kinds)
        try:
            family, sources = resolve_sources(con, source)
            first, last = data_start(con, sources), self._on(con, None, sources)
            summary, detail, counts = scoring.score(con, sources, unit=unit, start=s, end=e, kinds=kinds, th=th,
                                                    data_start=first, data_end=last, countries=cs,
                                                    measure=measure.strip().lower())
        finally:
            con.close()
        meta = self._warning_meta(
            as_of, family, sources, unit=unit, range=[str(s), str(e)], kinds=list(kinds), thresholds=th.to_dict(),
            measure=measure,
            data=[str(first), str(last)], counts=counts, issue_days="every Friday (end of an ACLED week) in the range",
            baseline="each unit's own base rate of a yes over the same past window (naive climatology); "
                     "predicts yes when it is >= 0.5",
            method="docs/analytics-warning.md#scoring",
            caveats=["Replayed on the store's current versions, using events dated up to each issue day "
                     "(as-of by date, not by snapshot): later revisions of old events are used. Pass as_of "
                     "to replay an older snapshot.",
                     "Unit-days without the rule's history or whose resolution date is past the last event "
                     "are left out (counts)."])
        res = TableResult(summary, meta)
        res.detail = TableResult(detail, {**meta, "table": "alerts replayed"})
        return res

    # -- reconciliation ----------------------------------------------------------------
    def reconcile(self, left: str = "acled", right: str = "ucdp_ged", *, days: int = 1, km: float = 25.0,
                  min_score: float = 0.5, prefer: str = "left", start=None, end=None, country=None,
                  as_of: int | None = None) -> Reconciliation:
        """Match events of two sources describing the same incident (see docs/analytics-warning.md)."""
        from .analytics import reconcile as rc
        from .analytics._warning_base import as_date, family_of, sources_present

        s = rc.MatchSettings(days, km, min_score, prefer)
        d0, d1 = as_date(start, "from"), as_date(end, "to")
        if d0 and d1 and d0 > d1:
            raise UsageError(f"empty date range: from {d0} is after to {d1}")
        cs = _countries(country)
        con = self._warning_con(as_of, places=False)
        try:
            present = sources_present(con)
            if not present:
                raise UsageError("the store holds no events: ingest some first (sahelwatch ingest ...)")
            lsrc = rc.side_sources(left, present, "--left")
            rsrc = rc.side_sources(right, present, "--right")
            frames = rc.reconcile(con, lsrc, rsrc, s, start=d0, end=d1, countries=cs)
        finally:
            con.close()
        fams = list(dict.fromkeys([family_of(x) for x in (*lsrc, *rsrc)]))
        meta = self._warning_meta(as_of, "+".join(fams), (*lsrc, *rsrc), left=list(lsrc), right=list(rsrc),
                                  settings=s.to_dict(), compatibility=rc.COMPATIBILITY,
                                  method="docs/analytics-warning.md#reconciliation",
                                  range=[str(d0) if d0 else None, str(d1) if d1 else None])
        from .analytics._warning_base import citation

        meta["citation"] = "; ".join(citation(f) for f in fams)
        if "acled" in fams:
            meta["caveats"].append(ACLED_TERMS)
        return Reconciliation(frames, meta)

    # -- actors ------------------------------------------------------------------------
    def actors(self, search: str | None = None, *, aliases=None, source: str | None = None,
               as_of: int | None = None) -> TableResult:
        """Actor names seen in the store with their canonical name (alias table), type, events
        per source and first/last dates; ``search`` matches canonical names and aliases."""
        from .analytics import actors as act
        from .analytics._warning_base import family_of, sources_present

        if search is not None and not str(search).strip():
            raise UsageError("empty --search")
        table, alias_files = self._alias_table(aliases)
        con = self._warning_con(as_of, places=False)
        try:
            present = sources_present(con)
            df = act.actors(con, table=table, search=search, source=source)
        finally:
            con.close()
        used = sorted(set(df["source"].to_list())) if df.height else present
        fams = list(dict.fromkeys(family_of(x) for x in used)) or ["none"]
        meta = self._warning_meta(as_of, "+".join(fams), used, search=search, alias_files=alias_files,
                                  method="docs/analytics-warning.md#actor-alias-table",
                                  alias_table_entries=len(table.actors))
        from .analytics._warning_base import citation

        meta["citation"] = "; ".join(citation(f) for f in fams)
        return TableResult(df, meta)

    def actor_aliases(self, aliases=None, *, search: str | None = None) -> TableResult:
        """The alias table itself (built-in plus ``aliases`` files); ``search`` keeps the entries
        whose canonical name, full name or an alias contains it (accents and case ignored)."""
        import polars as pl

        table, files = self._alias_table(aliases)
        df = table.frame()
        if search is not None:
            if not str(search).strip():
                raise UsageError("empty --search")
            df = df.filter(pl.col("canonical").is_in(sorted(table.search(search))))
        return TableResult(df, {"alias_files": files, "search": search,
                                "method": "docs/analytics-warning.md#actor-alias-table"})
