"""Everything a brief says, computed through the Observatory's own methods.

Each number lands in :class:`~.figures.Figures` with the ``sahelwatch`` command that
reproduces it. This module knows the Observatory only by the methods it calls
(``aggregate``, ``trend``, ``events``, ``alerts``, ``score_alerts``, ``blocs``,
``snapshots``): it sits below the facade and never imports it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.errors import UsageError
from .figures import Figures, Period, command

MEASURES = ("events", "fatalities_best", "fatalities_low", "fatalities_high")
TOP_N = 5
INCIDENTS_N = 3
TREND_MONTHS = 24
TREND_YEARS = 10
#: Unorganised groups that UCDP and ACLED list as a side: victims, not actors.
NOT_ACTORS = ("civilians", "protesters", "rioters")


def is_sample(snapshot) -> bool:
    """Whether a snapshot holds a sample of a release rather than the release: the store's
    own rule (the manifest's sample flag, ``--partial``, or a file known by its sha256)."""
    from ..store import samples

    return samples.is_sample(snapshot)


@dataclass
class Unit:
    kind: str  # bloc | country
    id: str
    name: dict  # lang -> name
    countries: tuple[str, ...]  # member states (bloc) or the country
    membership: str | None = None  # cube membership rule for a bloc
    members: list = field(default_factory=list)  # MemberStatus rows (bloc)


@dataclass
class Coverage:
    """Whether the store holds the data for a period: ``full``, ``partial``, ``sample`` or ``none``."""

    status: str
    reason: dict = field(default_factory=dict)  # lang -> why, when not full

    @property
    def usable(self) -> bool:
        return self.status in ("full", "partial")


@dataclass
class BriefData:
    unit: Unit
    period: Period
    lang: str
    figures: Figures
    source: str | None  # the --source value used (ucdp, acled, ...)
    family: str | None  # ucdp | acled | other
    as_of: int | None
    snapshots: list  # snapshots read (id <= as_of) of the sources used
    all_snapshots: list
    coverage: dict  # period label -> Coverage
    compare: Period | None = None
    year_before: Period | None = None
    countries_rows: list = field(default_factory=list)
    areas: list = field(default_factory=list)  # all admin1 rows of the period (map), sorted
    cells: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    incidents: list = field(default_factory=list)
    incidents_note: dict | None = None
    trend_rows: list = field(default_factory=list)  # for the chart: None where no release covers
    window: dict = field(default_factory=dict)  # period label -> the trend query's row, as computed
    record: dict | None = None  # lang -> sentence, or None when not assessed
    record_note: dict | None = None
    alerts: list = field(default_factory=list)
    alerts_on: dt.date | None = None
    alert_caveats: list = field(default_factory=list)  # from the alerts' meta (English)
    alert_scores: list = field(default_factory=list)
    alert_score_note: dict | None = None
    bloc_info: dict = field(default_factory=dict)
    forecast: object = None
    meta: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    home: Path | None = None  # the store's home (its own boundaries, if loaded)
    regenerate: str = ""  # the sahelwatch brief command that rebuilds this brief

    def comparisons(self) -> list[tuple[str, Period]]:
        """("prev", the period compared) and ("yb", a year before) unless they are the same
        period (a year brief compared with the year before)."""
        out = [("prev", self.compare)] if self.compare else []
        if self.year_before and self.year_before != self.compare:
            out.append(("yb", self.year_before))
        return out

    @property
    def has_data(self) -> bool:
        cov = self.coverage.get(self.period.label)
        return bool(cov and cov.usable)


# -- inputs ---------------------------------------------------------------------------------------


def resolve_unit(obs, bloc, country, period: Period) -> Unit:
    from ..domain import countries as C
    from ..domain.args import iso3_list

    if bool(bloc) == bool(country):
        raise UsageError("a brief is about one bloc (--bloc AES) or one country (--country BFA)")
    if country:
        codes = iso3_list(country)
        if len(codes) != 1:
            raise UsageError("--country takes one ISO3 code for a brief (use --bloc for several)")
        c = codes[0]
        return Unit("country", c, {lg: C.name(c, lg) for lg in ("en", "fr")}, (c,))
    reg = obs.blocs
    org = reg.organisation(bloc)  # UsageError naming the valid blocs
    on = min(period.end, dt.date.today()).replace(day=15) if period.kind == "year" else period.start.replace(day=15)
    members = reg.members(org.id, on=on)
    names = {"en": f"{org.id} ({org.name})" if org.name and org.name != org.id else org.id,
             "fr": f"{org.id} ({org.name_fr})" if org.name_fr and org.name_fr != org.id else
             (f"{org.id} ({org.name})" if org.name and org.name != org.id else org.id)}
    return Unit("bloc", org.id, names, tuple(m.iso3 for m in members), membership=f"on:{on.isoformat()}",
                members=members)


def resolve_source(snaps, source: str | None) -> tuple[str | None, str | None, tuple[str, ...]]:
    """(--source value, family, store sources) for the brief; ACLED and UCDP are never added."""
    from ..analytics.cube import FAMILIES, expand_sources

    present = tuple(sorted({s.source for s in snaps}))
    if source:
        expanded = expand_sources(source, present)
        fams = {FAMILIES.get(s, s) for s in expanded}
        if len(fams) > 1:
            raise UsageError("a brief reads one source family: ACLED and UCDP describe the same violence",
                             choices=["ucdp", "acled"])
        return source, fams.pop(), expanded
    if not present:
        return None, None, ()
    if any(s.startswith("ucdp") for s in present):
        return "ucdp", "ucdp", tuple(s for s in present if s.startswith("ucdp"))
    if "acled" in present:
        return "acled", "acled", ("acled",)
    return present[0], present[0], (present[0],)


# -- coverage ---------------------------------------------------------------------------------------


def coverage_of(period: Period, snaps, cov_rows, family: str | None) -> Coverage:
    """Does the store hold this period? UCDP: a GED release's coverage end, then one monthly
    Candidate release per month; months in between hold no data (not zero). Others: from the
    first to the last event date."""
    from ..analytics import trend

    if not cov_rows:
        return Coverage("none", {"en": "the store holds no events from this source",
                                 "fr": "la base ne contient aucun événement de cette source"})
    releases = [(s.source, s.release, s.coverage_end) for s in snaps]
    first, last = trend.data_bounds({r["source"]: (_d(r["first_date"]), _d(r["last_date"])) for r in cov_rows},
                                    releases)
    if period.start > last:
        return Coverage("none", {"en": f"the data end on {last.isoformat()}",
                                 "fr": f"les données s'arrêtent au {last.isoformat()}"})
    if period.end < first:
        return Coverage("none", {"en": f"the data start on {first.isoformat()}",
                                 "fr": f"les données commencent au {first.isoformat()}"})
    if family == "ucdp":
        gaps = trend.coverage_gaps(releases, last)
        missing = [g for g in gaps if g[0] <= period.end and g[1] >= period.start]
        if missing and len(missing) == len(period.months()):
            return Coverage("none", {"en": "no ingested UCDP release covers it",
                                     "fr": "aucune version UCDP intégrée ne la couvre"})
        ged = [s for s in snaps if s.source == "ucdp_ged" and s.coverage_end]
        if ged:
            top = max(ged, key=lambda s: str(s.coverage_end))
            if is_sample(top) and period.start <= _d(top.coverage_end):
                return Coverage("sample", {
                    "en": f"only a sample of UCDP GED {top.release} covers it ({Path(top.file).name})",
                    "fr": f"seul un échantillon de UCDP GED {top.release} la couvre ({Path(top.file).name})"})
        if missing:
            return Coverage("partial", {"en": "some of its months are covered by no ingested release",
                                        "fr": "certains de ses mois ne sont couverts par aucune version intégrée"})
    if period.end > last:
        return Coverage("partial", {"en": f"the data end on {last.isoformat()}",
                                    "fr": f"les données s'arrêtent au {last.isoformat()}"})
    return Coverage("full")


def _d(x) -> dt.date:
    return x if isinstance(x, dt.date) else dt.date.fromisoformat(str(x)[:10])


# -- the queries --------------------------------------------------------------------------------------


class Queries:
    """Runs the Observatory calls of one brief and names each with its CLI command."""

    def __init__(self, obs, unit: Unit, source: str | None, as_of: int | None):
        self.obs, self.unit, self.source, self.as_of = obs, unit, source, as_of

    def _scope(self) -> dict:
        if self.unit.kind == "bloc":
            return {"bloc": self.unit.id, "membership": self.unit.membership}
        return {"country": self.unit.id}

    def _by(self, by: str) -> str:
        return by if by != "unit" else ("bloc" if self.unit.kind == "bloc" else "country")

    def command(self, by: str, start: dt.date, end: dt.date, period: str, *, measures=MEASURES,
                breakdown=None, complete=False, scope=None) -> str:
        """The ``sahelwatch aggregate`` command that :meth:`aggregate` runs with the same arguments."""
        scope = scope or self._scope()
        return command("aggregate", by=self._by(by), **scope, period=period, from_=start.isoformat(),
                       to=end.isoformat(), source=self.source, measure=",".join(measures), breakdown=breakdown,
                       complete=complete, as_of=self.as_of)

    def aggregate(self, by: str, start: dt.date, end: dt.date, period: str, *, measures=MEASURES,
                  breakdown=None, complete=False, scope=None):
        scope = scope or self._scope()
        res = self.obs.aggregate(by=self._by(by), period=period, measures=",".join(measures), breakdown=breakdown,
                                 start=start.isoformat(), end=end.isoformat(), source=self.source, as_of=self.as_of,
                                 complete=complete, **scope)
        return res, self.command(by, start, end, period, measures=measures, breakdown=breakdown,
                                 complete=complete, scope=scope)


def compute(obs, *, bloc=None, country=None, period="2023-10", compare_to=None, lang="en", source=None,
            as_of=None, today: dt.date | None = None) -> BriefData:
    from . import sections

    per = Period.parse(period)
    today = today or dt.date.today()
    if per.start > today:
        raise UsageError(f"period {per.label} is in the future (today is {today.isoformat()})")
    cmp_ = Period.parse(compare_to) if compare_to else per.shift(-1)
    if cmp_.kind != per.kind:
        raise UsageError(f"--compare-to {cmp_.label}: compare a {per.kind} with a {per.kind}")
    all_snaps = obs.snapshots()
    if as_of is not None and as_of not in {s.id for s in all_snaps}:
        from ..domain.errors import SnapshotNotFound

        raise SnapshotNotFound(as_of, [s.id for s in all_snaps])
    snaps = [s for s in all_snaps if as_of is None or s.id <= as_of]
    unit = resolve_unit(obs, bloc, country, per)
    src, family, used = resolve_source(snaps, source)
    as_of_id = as_of if as_of is not None else (snaps[-1].id if snaps else None)
    data = BriefData(unit=unit, period=per, lang=lang, figures=Figures(), source=src, family=family, as_of=as_of_id,
                     snapshots=[s for s in snaps if s.source in used], all_snapshots=snaps, coverage={},
                     compare=cmp_, year_before=per.shift(-12 if per.kind == "month" else -1),
                     home=getattr(obs, "home", None))
    data.regenerate = command("brief", bloc=unit.id if unit.kind == "bloc" else None,
                              country=unit.id if unit.kind == "country" else None, period=per.label,
                              compare_to=compare_to, lang=lang, source=src, as_of=as_of_id, format="pdf",
                              o=f"{unit.id.lower()}-{per.label}-{lang}.pdf")
    if src is None or not unit.countries:
        why = ({"en": "the store holds no events", "fr": "la base ne contient aucun événement"} if src is None else
               {"en": f"{unit.id} had no member state in the period", "fr": f"{unit.id} n'avait aucun État membre "
                                                                            "sur la période"})
        data.coverage[per.label] = Coverage("none", why)
        sections.bloc_info(obs, data)
        sections.forecast(obs, data)
        return data
    q = Queries(obs, unit, src, as_of_id)
    sections.trend(q, data)  # first: its one query also holds the headline periods it spans
    sections.headline(q, data)
    if data.has_data:
        sections.countries(q, data)
        sections.areas_and_cells(q, data)
        sections.actors(q, data)
        sections.incidents(obs, data)
        sections.alerts(obs, data)
    sections.bloc_info(obs, data)
    sections.forecast(obs, data)
    return data
