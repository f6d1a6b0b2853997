"""``obs.series``: unit-period series as a source (VIEWS country-month, wide and tidy tables).

The facade's door to :mod:`sahelwatch.store.series_store` (versioned series
snapshots) and :mod:`sahelwatch.analytics.series_cube` (aggregates and trends
of a series). ``obs.aggregate``/``obs.trend``/``obs.blocs.compare`` come here
when ``source="series:<name>"``.
"""

from __future__ import annotations

from .domain.args import date_range, iso3_list, split_list
from .domain.errors import UsageError

PREFIX = "series:"


def is_series_source(source) -> bool:
    items = split_list(source)
    return any(str(s).lower().startswith(PREFIX) for s in items)


def series_name(source) -> str:
    items = split_list(source)
    if len(items) != 1:
        raise UsageError("a series is its own source: name one series, never with other sources "
                         f"(got {', '.join(map(str, items))})")
    s = str(items[0]).strip()
    return s[len(PREFIX):] if s.lower().startswith(PREFIX) else s


class SeriesNamespace:
    """What the store holds as series, and their values. ``obs.series.list()``, ``obs.series.table(...)``."""

    def __init__(self, obs):
        self._obs = obs
        self._members: dict = {}
        self._states: dict = {}

    def __repr__(self) -> str:
        return f"<series of {self._obs.home}: {', '.join(d['series'] for d in self.list()) or 'none'}>"

    def list(self, as_of: int | None = None) -> list[dict]:
        """One dict per series: source, measures, units, coverage (first/last period), vintage, file,
        sha256, snapshots, sample flag. What ``sahelwatch series`` shows."""
        from .store import query, series_store

        snaps = self._obs.snapshots()
        query.check_as_of(snaps, as_of)
        return series_store.describe(self._obs.layout, snaps, as_of)

    def _snapshot(self, source_or_name, as_of):
        from .store import query, series_store

        snaps = self._obs.snapshots()
        query.check_as_of(snaps, as_of)
        name = series_name(source_or_name)
        snap = series_store.latest(snaps, name, as_of)
        if snap is None:
            known = [d["series"] for d in series_store.describe(self._obs.layout, snaps, as_of)]
            raise UsageError(f"no series {name!r} in the store" + (f" as of snapshot {as_of}" if as_of else ""),
                             choices=[f"series:{k}" for k in known] or None)
        return snaps, snap

    def _cells(self, source_or_name, as_of):
        from .store import series_store

        snaps, snap = self._snapshot(source_or_name, as_of)
        # a committed snapshot never changes: its cells are read once per Observatory
        key = (snap.id, snap.sha256)
        if key not in self._states:
            self._states = {key: series_store.state(self._obs.layout, snap)} | dict(list(self._states.items())[:7])
        return snaps, snap, self._states[key]

    def table(self, source_or_name, measure=None, *, country=None, start=None, end=None, as_of=None):
        """The series' values (Polars): ``series, country_iso3, gwno, period`` (pl.Date, first day of the
        month or year), ``period_kind, measure, value``; as of snapshot ``as_of`` (default latest)."""
        import polars as pl

        _, snap, df = self._cells(source_or_name, as_of)
        ms = split_list(measure)
        if ms:
            have = set(df["measure"].unique().to_list())
            for m in ms:
                if m not in have:
                    raise UsageError(f"measure {m!r} is not in series {snap.series['name']!r}", choices=sorted(have))
            df = df.filter(pl.col("measure").is_in(ms))
        cs = iso3_list(country)
        if cs:
            df = df.filter(pl.col("country_iso3").is_in(list(cs)))
        s, e = date_range(start, end)
        if s:
            df = df.filter(pl.col("period") >= s.replace(day=1) if snap.series["period_kind"] == "month"
                           else pl.col("period") >= s.replace(month=1, day=1))
        if e:
            df = df.filter(pl.col("period") <= e)
        return df.select(pl.lit(snap.series["name"]).alias("series"), "country_iso3", "gwno", "period",
                         "period_kind", "measure", "value").sort("measure", "country_iso3", "period")

    def changes(self, source_or_name, snapshot: int | None = None):
        """Cells a snapshot of the series added, changed or removed (old and new value); default latest."""
        from .store import series_store

        _, snap = self._snapshot(source_or_name, snapshot)
        return series_store.changes(self._obs.layout, snap)

    def as_events(self, source_or_name, measure=None, *, as_of=None):
        """A monthly series in the columns bloc comparisons read from events (``country_iso3, date_start,
        fatalities_best/_low/_high, source``): one row per country-month, ``source`` = ``series:<name>``.
        ``measure`` defaults to ``fatalities_all`` (else the series' only measure)."""
        import polars as pl

        _, snap = self._snapshot(source_or_name, as_of)
        if snap.series["period_kind"] != "month":
            raise UsageError(f"series {snap.series['name']!r} holds yearly values; bloc comparisons run by month")
        have = snap.series["measures"]
        m = measure or ("fatalities_all" if "fatalities_all" in have else have[0] if len(have) == 1 else None)
        if m is None:
            raise UsageError("name the series measure", choices=have)
        df = self.table(snap.series["name"], _measure(m, snap), as_of=as_of)
        v = pl.col("value")
        return df.select("country_iso3", pl.col("period").alias("date_start"), v.alias("fatalities_best"),
                         v.alias("fatalities_low"), v.alias("fatalities_high"),
                         pl.lit(snap.source).alias("source"))

    # -- the analytics surface, called by obs.aggregate / obs.trend -------------------------------------------

    def _membership(self, registry, blocs, first, last, membership, period_kind):
        from .analytics import series_cube

        key = (tuple(blocs), first, last, membership, period_kind)
        if key not in self._members:
            self._members[key] = series_cube._member_table(registry, blocs, first, last, membership, period_kind)
        return self._members[key]

    def _prepare(self, *, source, by, period, measures, country, bloc, start, end, as_of):
        from .analytics import periods as P

        snaps, snap, cells = self._cells(source, as_of)
        by = by or ("bloc" if split_list(bloc) and not split_list(country) else "country")
        per = P.check_period(period or "year")
        blocs = ()
        registry = None
        if split_list(bloc):
            registry = self._obs.blocs
            blocs = tuple(dict.fromkeys(registry.organisation(b).id for b in split_list(bloc)))
        if by == "bloc" and not blocs:
            raise UsageError("--by bloc needs --bloc NAME")
        s, e = date_range(start, end)
        return snaps, snap, cells, by, per, blocs, registry, s, e

    def _aggregate(self, *, source, by=None, period="month", measures=None, country=None, bloc=None, start=None,
                   end=None, as_of=None, membership="dynamic", **ignored):
        from ._facade_cube import CubeResult
        self._refuse(ignored)
        snaps, snap, cells, by, per, blocs, registry, s, e = self._prepare(
            source=source, by=by, period=period, measures=measures, country=country, bloc=bloc, start=start,
            end=end, as_of=as_of)
        ms = list(split_list(measures))
        if not ms or ms == ["events", "fatalities_best"]:  # the events' default: take the series' own measures
            ms = snap.series["measures"]
        ms = [_measure(m, snap) for m in ms]
        frame, info = self._run(cells, snap, by=by, per=per, ms=ms, country=country, blocs=blocs, s=s, e=e,
                                membership=membership, registry=registry)
        return CubeResult(frame, self._meta(snaps, snap, by, per, ms, blocs, membership, info, as_of))

    def _run(self, cells, snap, *, by, per, ms, country, blocs, s, e, membership, registry):
        from .analytics import series_cube

        kind = snap.series["period_kind"]

        def members(first, last):
            # membership months are the slow part (a registry walk per state-month): kept per request shape
            return self._membership(registry, blocs, first, last, membership, kind)

        return series_cube.aggregate(cells, by=by, period=per, measures=list(ms), countries=iso3_list(country),
                                     blocs=blocs, start=s, end=e, membership=membership, registry=registry,
                                     period_kind=kind, members=members)

    def _trend(self, *, source, measure="fatalities_all", period="year", by=None, country=None, bloc=None,
               start=None, end=None, as_of=None, membership="dynamic", include_incomplete=False, window=None,
               min_periods=6, **ignored):
        from ._facade_cube import TrendResult
        from .analytics import records, series_cube
        from .analytics import trend as T
        from .store import samples

        self._refuse(ignored)
        ms = split_list(measure)
        if len(ms) != 1:
            raise UsageError("trend takes one measure")
        ms = [_measure(ms[0], self._snapshot(source, as_of)[1])]
        if window is not None and int(window) < 3:
            raise UsageError(f"--window {window}: a slope needs at least 3 periods")
        snaps, snap, cells, by, per, blocs, registry, s, e = self._prepare(
            source=source, by=by, period=period, measures=ms, country=country, bloc=bloc, start=start, end=end,
            as_of=as_of)
        frame, info = self._run(cells, snap, by=by, per=per, ms=ms, country=country, blocs=blocs, s=s, e=e,
                                membership=membership, registry=registry)
        summary, series, keys = series_cube.trend(frame, info, by=by, period=per, measure=ms[0], start=s, end=e,
                                                  include_incomplete=include_incomplete, window=window,
                                                  min_periods=int(min_periods))
        meta = self._meta(snaps, snap, by, per, ms, blocs, membership, info, as_of)
        meta |= {"measure": ms[0], "method": T.METHOD, "data_start": info.get("data_start"),
                 "data_end": info.get("data_end"), "include_incomplete": include_incomplete, "window": window,
                 "min_periods": int(min_periods)}
        sample = samples.sample_files(snaps, {snap.source}, as_of)
        summary, meta = records.honest(summary, series, meta, keys=keys, measure=ms[0], period=per,
                                       sample_files=sample, coverage_text=coverage_text(snap, meta, sample),
                                       notes=(snap.series or {}).get("notes") or ())
        return TrendResult(_bloc_hint(summary), meta, series=series)

    @staticmethod
    def _refuse(ignored: dict) -> None:
        used = {k: v for k, v in ignored.items() if v not in (None, (), [], "", False)
                and not (k == "precision" and v == "as-coded") and not (k == "complete" and v is True)
                and not (k == "h3_resolution" and v == 5)}
        if used.get("breakdown"):
            raise UsageError("a series has no breakdowns (category, actor...): they exist for events only")
        if "precision" in used:
            raise UsageError("--precision applies to events; a series has one value per unit-period")
        if used:  # any other event-only filter (category, actor...) would be silently meaningless
            raise UsageError(f"{', '.join(sorted(used))}: filters for events; a series has one value per "
                             "unit-period and measure")

    def _meta(self, snaps, snap, by, per, ms, blocs, membership, info, as_of) -> dict:
        from .analytics import periods as P
        from .blocs.membership import describe_rule

        info_s = snap.series or {}
        notes = list(info_s.get("notes") or [])
        meta = {
            "unit": by, "period": per, "period_convention": P.CONVENTIONS[per],
            "measures": {m: MEASURE_TEXT.get(m, f"{m}: as declared by the file") for m in ms},
            "breakdown": [], "precision": "n/a (series)",
            "precision_rule": "a series holds one value per unit-period: no precision policy applies",
            "as_of": as_of if as_of is not None else max(s.id for s in snaps),
            "sources": [snap.source],
            "snapshots": [{"id": snap.id, "source": snap.source, "release": snap.release, "file": snap.file,
                           "time": snap.time, "sha256": snap.sha256, "sample": bool(snap.sample)}],
            "coverage": [{"source": snap.source, "first_period": info_s.get("first"), "last_period": info_s.get("last"),
                          "period_kind": info_s.get("period_kind"), "units": info_s.get("units")}],
            "series": info_s.get("name"),
            "citations": [CITATIONS.get(info_s.get("format"), "Source: the series file named above")] + notes,
            "warnings": ["a series is never added to events or to another series: it is its own source"],
            "filters": {"bloc": list(blocs)},
        }
        if blocs:
            meta["membership_rule"] = describe_rule(membership) + (
                "; a yearly series counts a state for a year when it was a member on 15 July"
                if info_s.get("period_kind") == "year" else "")
        return meta


def _bloc_hint(summary):
    """A bloc that has members for only part of the series (AES from 2023-10 under the dynamic rule)
    says so in its sentences, and how to see its states' combined history."""
    import polars as pl

    if "bloc" not in summary.columns or not summary.height:
        return summary
    rows = []
    for r in summary.iter_rows(named=True):
        hit = next((c for c in r.get("caveats") or [] if " has member states only from " in c), None)
        if hit:
            since = hit.split(" has member states only from ")[1][:7]
            r["answer_en"] += (f" {r['bloc']} has member states only from {since} under this membership rule; "
                               "a fixed member list (membership on:YYYY-MM-DD) gives its states' combined history.")
            r["answer_fr"] += (f" {r['bloc']} n'a d'États membres qu'à partir de {since} selon cette règle ; une "
                               "liste fixe (membership on:AAAA-MM-JJ) donne l'histoire cumulée de ses États.")
        rows.append(r)
    return pl.DataFrame(rows, infer_schema_length=None)


def _measure(m: str, snap) -> str:
    """The events' ``fatalities_best`` asked of a series without it means its ``fatalities_all`` (UCDP best
    estimates summed over the three violence types)."""
    have = (snap.series or {}).get("measures") or []
    if m == "fatalities_best" and m not in have and "fatalities_all" in have:
        return "fatalities_all"
    if m not in have:
        raise UsageError(f"measure {m!r} is not in series {(snap.series or {}).get('name')!r}", choices=sorted(have))
    return m


def coverage_text(snap, meta: dict, sample_files) -> str:
    s = snap.series or {}
    ds, de = meta.get("data_start"), meta.get("data_end")
    span = f"{ds:%Y-%m}..{de:%Y-%m}" if ds and de else "no data"
    vint = f", vintage {snap.release}" if snap.release else ""
    state = "sampled (" + ", ".join(sample_files) + ")" if sample_files else "complete file"
    return f"series {s.get('name')} ({snap.file}{vint}, snapshot {snap.id}): {span}, {s.get('units')} units; {state}"


MEASURE_TEXT = {
    "fatalities_sb": "state-based violence deaths (UCDP GED best, via VIEWS ged_sb)",
    "fatalities_ns": "non-state violence deaths (UCDP GED best, via VIEWS ged_ns)",
    "fatalities_os": "one-sided violence deaths (UCDP GED best, via VIEWS ged_os)",
    "fatalities_all": "deaths in all three UCDP violence types (sum of sb, ns, os; or as the file declares)",
}
CITATIONS = {
    "views-cm": "Source: VIEWS country-month data (Hegre et al., VIEWS Prediction Challenge 2023/24); fatalities "
                "are UCDP GED best estimates (UCDP, CC BY 4.0; Sundberg & Melander 2013)",
    "wide": "Source: the wide table named above (user data, aggregated as the file declares)",
    "tidy": "Source: the tidy table named above (user data)",
}

__all__ = ["SeriesNamespace", "is_series_source", "series_name"]
