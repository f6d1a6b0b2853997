"""`sahelwatch blocs ...`: regional organisations over time (a thin shell over sahelwatch.blocs).

Every command parses, calls one library function and renders: a rich table
(with sources and confidence) or JSON (``--format json``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from sahelwatch.blocs.rules import FORCES_RULE, INSTITUTION_RULE, MEMBER_RULE

from ._common import friendly

FORMATS = click.Choice(["table", "json"])
MEASURES = click.Choice(["events", "fatalities_best", "fatalities_low", "fatalities_high"])


def _console():
    from rich.console import Console

    return Console(soft_wrap=False, width=160)


def _table(title: str, columns: list[str], rows: list[list], caption: str | None = None):
    from rich.table import Table
    from rich.text import Text

    # Text, not markup: "[high]" in a cell is data, not a rich style
    t = Table(title=Text(title), caption=Text(caption) if caption else None, show_lines=False, caption_justify="left")
    for c in columns:
        t.add_column(Text(c), overflow="fold")
    for r in rows:
        t.add_row(*(Text("" if v is None else str(v)) for v in r))
    return t


def _emit_json(obj) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


def _dump(x):
    if isinstance(x, list):
        return [_dump(i) for i in x]
    return x.model_dump(mode="json") if hasattr(x, "model_dump") else x


class _Ctx:
    def __init__(self, files: tuple[str, ...]):
        self.files = files
        self._reg = None

    @property
    def registry(self):
        if self._reg is None:
            from sahelwatch.blocs import load_registry

            self._reg = load_registry(list(self.files))
        return self._reg


def _today() -> str:
    return dt.date.today().isoformat()


def _src(fact) -> str:
    if fact is None:
        return ""
    return f"{fact.source} [{fact.confidence}]"


@click.group(name="blocs", help="Regional organisations over time: membership, milestones, institutions.")
@click.option(
    "--registry", "registry_files", multiple=True, type=click.Path(dir_okay=False),
    envvar="SAHELWATCH_BLOCS_REGISTRY",
    help="Extra registry YAML adding or overriding entries (repeatable; env SAHELWATCH_BLOCS_REGISTRY, os.pathsep-separated).",
)
@click.pass_context
def blocs_group(ctx: click.Context, registry_files: tuple[str, ...]) -> None:
    ctx.obj = _Ctx(registry_files)


@blocs_group.command("list")
@click.option("--on", default=None, help="Count members on this day (default today).")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
@friendly
def list_cmd(obj: _Ctx, on: str | None, fmt: str) -> None:
    """The organisations in the registry."""
    reg = obj.registry
    day = on or _today()
    rows = []
    for o in reg.organisations():
        f, d = reg.founding(o.id), reg.dissolution(o.id)
        n = len(reg.members(o.id, on=day)) if o.members else None
        rows.append({
            "id": o.id, "name": o.name, "kind": o.kind,
            "founding": str(f.date) if f else None, "founding_source": f.source if f else None,
            "founding_confidence": f.confidence if f else None,
            "dissolved": str(d.date) if d else None, "members_on": day, "n_members": n,
            "membership_complete": o.membership_complete,
        })
    if fmt == "json":
        _emit_json({"organisations": rows, "registry_files": reg.files})
        return
    _console().print(_table(
        "Organisations", ["id", "name", "founding", "dissolved", f"members on {day}", "founding source [confidence]"],
        [[r["id"], r["name"], r["founding"], r["dissolved"],
          ("" if r["n_members"] is None else str(r["n_members"]) + ("" if r["membership_complete"] else " (partial list)")),
          f"{r['founding_source']} [{r['founding_confidence']}]" if r["founding_source"] else ""] for r in rows],
        caption="Registry: " + ", ".join(reg.files),
    ))


@blocs_group.command("members")
@click.argument("bloc")
@click.option("--on", default=None, help="Day (YYYY-MM-DD; default today).")
@click.option("--exclude-suspended", is_flag=True, help="Leave out suspended members.")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
@friendly
def members_cmd(obj: _Ctx, bloc: str, on: str | None, exclude_suspended: bool, fmt: str) -> None:
    """Member states of BLOC on a day, with sources and suspensions."""
    reg = obj.registry
    org = reg.organisation(bloc)
    day = on or _today()
    ms = reg.members(org.id, on=day, include_suspended=not exclude_suspended)
    former = [s for s in (reg.status(org.id, c, day) for c in reg.ever_members(org.id)) if s and not s.member]
    notes = [MEMBER_RULE]
    if not org.membership_complete:
        notes.append(f"{org.id}: partial member list (only states with recorded facts). {org.note or ''}".strip())
    if org.kind == "mission":
        notes.append(f"{org.id} is a mission, not a bloc: it has no member states.")
    f = reg.founding(org.id)
    if not ms and f is not None and f.date.opens > dt.date.fromisoformat(str(day)):
        notes.append(f"{org.id} did not exist yet: founded {f.date} ({f.id}; {f.source} [{f.confidence}]).")
    if fmt == "json":
        _emit_json({"bloc": org.id, "on": day, "rule": MEMBER_RULE, "include_suspended": not exclude_suspended,
                    "members": _dump(ms), "not_members": _dump(former), "notes": notes})
        return
    rows = []
    for s in ms:
        susp = f"since {s.suspension.start} ({_src(s.suspension.fact)})" if s.suspension else ""
        rows.append([s.iso3, s.name, f"{s.joined} ({s.joined_precision})", s.left or "",
                     susp, _src(s.joined_fact), "yes" if s.boundary_uncertain else ""])
    c = _console()
    c.print(_table(f"{org.id} members on {day}: {len(ms)}",
                   ["iso3", "name", "joined (precision)", "leaves", "suspended", "joined: source [confidence]", "uncertain"],
                   rows, caption="\n".join(notes)))
    if former:
        c.print(_table(f"Not members of {org.id} on {day} (former or future)",
                       ["iso3", "joined", "left", "left: source [confidence]", "note"],
                       [[s.iso3, s.joined, s.left, _src(s.left_fact), s.note] for s in former]))


LANG = click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True,
                    help="Language of the registry's texts in the table (JSON carries both: what, what_fr).")


def _rule(text: str, lang: str) -> str:
    """A table's rule sentence in ``lang`` (the French is with the analytics' notes)."""
    from sahelwatch.analytics.notes_fr import translate

    return translate(text, lang)


@blocs_group.command("timeline")
@click.argument("bloc")
@click.option("--format", "fmt", type=FORMATS, default="table")
@LANG
@click.pass_obj
@friendly
def timeline_cmd(obj: _Ctx, bloc: str, fmt: str, lang: str) -> None:
    """Memberships, suspensions, milestones, sanctions and coups in member states, with sources."""
    reg = obj.registry
    org = reg.organisation(bloc)
    items = reg.timeline(org.id)
    if fmt == "json":
        _emit_json({"bloc": org.id, "rule": MEMBER_RULE, "timeline": _dump(items), "not_found": org.not_found,
                    "not_found_fr": org.not_found_fr})
        return
    fr = lang == "fr"
    rows = [[t.date, t.precision, t.category, t.kind, t.what_fr if fr else t.what, ",".join(t.countries), _src(t.fact)]
            for t in items]
    not_found = org.not_found_fr if fr and len(org.not_found_fr) == len(org.not_found) else org.not_found
    caption = "\n".join([_rule(MEMBER_RULE, lang), *(("Non trouvé : " if fr else "Not found: ") + n for n in not_found)])
    _console().print(_table(f"{org.id} timeline", ["date", "precision", "category", "kind", "what", "countries",
                                                   "source [confidence]"], rows, caption=caption))


@blocs_group.command("institutions")
@click.argument("bloc")
@click.option("--on", default=None, help="Day (YYYY-MM-DD; default today).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "vega-lite"]), default="table",
              help="vega-lite: the timeline chart spec (JSON, data inline).")
@LANG
@click.pass_obj
@friendly
def institutions_cmd(obj: _Ctx, bloc: str, on: str | None, fmt: str, lang: str) -> None:
    """State of BLOC's standard institutions on a day (announced / signed / established / operational)."""
    reg = obj.registry
    org = reg.organisation(bloc)
    day = on or _today()
    if fmt == "vega-lite":
        from sahelwatch.blocs.charts import institutions_timeline_spec

        _emit_json(institutions_timeline_spec(reg, org.id, on=day, lang=lang))
        return
    rows = reg.institutions(org.id, on=day)
    if fmt == "json":
        _emit_json({"bloc": org.id, "on": day, "rule": INSTITUTION_RULE, "institutions": _dump(rows)})
        return
    _console().print(_table(
        f"{org.id} institutions on {day}",
        ["institution", "state", "since", "milestone", "troops", "source [confidence]", "note"],
        [[r.category, r.state + (" (uncertain)" if r.uncertain else ""), r.since,
          r.what_fr if lang == "fr" else r.what, r.size_troops, _src(r.fact),
          r.note_fr if lang == "fr" else r.note] for r in rows],
        caption=_rule(INSTITUTION_RULE, lang),
    ))


def _load_events(home: str | None, events_file: str | None, source: str | None = None, *, monthly: bool = False):
    """Canonical events: from a Parquet/CSV file, or from the store through the api facade
    (``source="series:NAME"``: a monthly series, one row per country-month). ``monthly``:
    the store's country-month totals will do (the cube's rollup, not every event row)."""
    import polars as pl

    if source and source.lower().startswith("series:") and not events_file:
        from sahelwatch.api import Observatory

        return Observatory(home, create=False).series.as_events(source)

    if events_file:
        p = Path(events_file)
        if not p.exists():
            raise click.ClickException(f"{p}: no such file")
        return pl.read_parquet(p) if p.suffix.lower() in (".parquet", ".pq") else pl.read_csv(p, try_parse_dates=True)
    from sahelwatch.api import Observatory  # lazily: the facade is the only way into the store

    obs = Observatory(home, create=False)
    return obs.country_months() if monthly else obs.events().to_polars()


_EVENT_OPTS = [
    click.option("--home", envvar="SAHELWATCH_HOME", type=click.Path(file_okay=False), default=None,
                 help="Store location (env SAHELWATCH_HOME)."),
    click.option("--events-file", type=click.Path(dir_okay=False), default=None,
                 help="Read canonical events from this Parquet/CSV file instead of the store."),
    click.option("--source", default=None, help="Event source to use when the store holds several (acled, ucdp_ged...); "
                                            "compare also takes series:NAME."),
    click.option("--measure", type=MEASURES, default="fatalities_best"),
    click.option("--format", "fmt", type=FORMATS, default="table"),
]


def _event_opts(fn):
    for opt in reversed(_EVENT_OPTS):
        fn = opt(fn)
    return fn


@blocs_group.command("compare")
@click.argument("blocs", nargs=-1, required=True)
@click.option("--align", default="founding", show_default=True,
              help="Anchor: 'founding', a milestone id, kind or tag (e.g. exit, dissolution).")
@click.option("--months", type=int, default=36, show_default=True, help="Months from the anchor month.")
@click.option("--months-before", type=int, default=0, show_default=True)
@click.option("--membership", "rule", default="dynamic", show_default=True,
              help="'dynamic' (member on the 15th of each month) or 'on:YYYY-MM-DD' (fixed list).")
@_event_opts
@click.pass_obj
@friendly
def compare_cmd(obj: _Ctx, blocs, align, months, months_before, rule, home, events_file, source, measure, fmt) -> None:
    """Trajectories of BLOCS aligned on a milestone: events or fatalities per month in member states."""
    from sahelwatch.blocs.analysis import compare

    reg = obj.registry
    df = compare(reg, _load_events(home, events_file, source, monthly=True), list(blocs), align=align, measure=measure, months=months,
                 rule=rule, source=source, months_before=months_before)
    rule_text = df["rule_text"][0]
    pop = df["population_source"][0]
    anchors = {r["bloc"]: r for r in df.select("bloc", "align", "anchor_date", "anchor_confidence").unique().iter_rows(named=True)}
    if fmt == "json":
        _emit_json({"rule": rule, "rule_text": rule_text, "measure": measure, "population_source": pop,
                    "anchors": list(anchors.values()), "rows": df.drop("rule_text", "population_source").to_dicts()})
        return
    rows = []
    for r in df.iter_rows(named=True):
        rng = "" if r["value"] is None or r["value_low"] == r["value_high"] else f"{r['value_low']}-{r['value_high']}"
        per = "" if r["per_100k"] is None else f"{r['per_100k']:.3f}"
        rows.append([r["bloc"], r["k"], r["month"], r["n_members"], ",".join(r["members"]),
                     "no data" if not r["covered"] else r["value"], rng, per])
    caption = "\n".join([
        rule_text,
        *(f"{b}: anchor {a['align']} ({a['anchor_date']}, confidence {a['anchor_confidence']}); k = months since the anchor month"
          for b, a in anchors.items()),
        f"Population: {pop} (approximate; see docs/blocs.md). Source of events: {df['source'][0]}.",
    ])
    _console().print(_table(f"{measure} per month, aligned on {align}",
                            ["bloc", "k", "month", "members", "counted", measure, "low-high", "per 100k"],
                            rows, caption=caption))


@blocs_group.command("event-study")
@click.option("--event", "event_id", required=True, help="Event id (see `sahelwatch blocs events`), e.g. NER-coup-2023.")
@click.option("--window", type=int, default=12, show_default=True, help="Months before and after.")
@click.option("--countries", default=None, help="Comma-separated ISO3 codes (default: the event's countries).")
@click.option("--n-boot", type=int, default=2000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--include-event-month", is_flag=True)
@_event_opts
@click.pass_obj
@friendly
def event_study_cmd(obj: _Ctx, event_id, window, countries, n_boot, seed, include_event_month,
                    home, events_file, source, measure, fmt) -> None:
    """Mean monthly fatalities (or events) before vs after a dated event. Descriptive, not causal."""
    from rich.markup import escape

    from sahelwatch.blocs.event_study import event_study

    res = event_study(obj.registry, _load_events(home, events_file), event_id, window=window, measure=measure,
                      n_boot=n_boot, seed=seed, source=source, include_event_month=include_event_month,
                      countries=[c.strip() for c in countries.split(",")] if countries else None)
    if fmt == "json":
        _emit_json(res.model_dump(mode="json"))
        return
    e = res.event
    c = _console()
    c.print(f"[bold]{escape(e.id)}[/bold] {e.date} ({e.precision}): {escape(e.what)}")
    c.print(escape(f"  source: {e.fact.source} [{e.fact.confidence}]"))
    c.print(escape(f"  countries: {', '.join(res.countries)} ({res.countries_rule}); events source: {res.source}"))
    rows = [["before", res.n_before, f"{res.before_mean:.1f}", _rng(res.before_range)],
            ["after", res.n_after, f"{res.after_mean:.1f}", _rng(res.after_range)]]
    c.print(_table(f"mean monthly {measure}, {window} months each side"
                   + ("" if include_event_month else " (event month excluded)"),
                   ["", "months", "mean", "low-high"], rows))
    c.print(f"  difference (after - before): {res.difference:.1f}  "
            f"95% bootstrap interval [{res.ci_low:.1f}, {res.ci_high:.1f}] ({res.n_boot} resamples, seed {res.seed})")
    for w in res.warnings:
        c.print(f"  [yellow]warning:[/yellow] {escape(w)}")
    c.print(f"  [bold]{escape(res.caveat)}[/bold]")


def _rng(r) -> str:
    return "" if r is None else f"{r[0]:.1f}-{r[1]:.1f}"


@blocs_group.command("events")
@click.option("--bloc", default=None, help="Only milestones and sanctions of this bloc.")
@click.option("--country", default=None, help="Only events naming this ISO3 code.")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
@friendly
def events_cmd(obj: _Ctx, bloc, country, fmt) -> None:
    """Dated facts (coups, milestones, sanctions, foreign-force events) usable with event-study."""
    reg = obj.registry
    evs = reg.dated_events()
    if bloc:
        b = reg.organisation(bloc).id
        evs = [e for e in evs if e.bloc == b]
    if country:
        evs = [e for e in evs if country.upper() in e.countries]
    if fmt == "json":
        _emit_json(_dump(evs))
        return
    _console().print(_table("Dated events", ["id", "date", "category", "kind", "countries", "what", "source [confidence]"],
                            [[e.id, e.date, e.category, e.kind, ",".join(e.countries), e.what, _src(e.fact)] for e in evs]))


@blocs_group.command("forces")
@click.option("--country", default=None, help="Host country (ISO3).")
@click.option("--on", default=None, help="Only presences on this day.")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
@friendly
def forces_cmd(obj: _Ctx, country, on, fmt) -> None:
    """Foreign security presences (France, Wagner/Africa Corps, United States, the UN)."""
    rows = obj.registry.foreign_forces(country=country, on=on)
    if fmt == "json":
        _emit_json({"on": on, "rule": FORCES_RULE, "forces": _dump(rows)})
        return
    _console().print(_table(
        "Foreign security presences" + (f" on {on}" if on else ""),
        ["id", "partner", "operation", "country", "start", "end", "last event", "source [confidence]"],
        [[f.id, f.partner, f.operation, f.country, f.start or f"unknown (recorded from {f.known_from})",
          f.end or "", f.events[-1].what, _src(f.events[-1].fact)] for f in rows],
        caption=FORCES_RULE,
    ))


@blocs_group.command("coups")
@click.option("--country", default=None)
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
@friendly
def coups_cmd(obj: _Ctx, country, fmt) -> None:
    """Coups recorded in the registry."""
    rows = obj.registry.coups(country=country)
    if fmt == "json":
        _emit_json(_dump(rows))
        return
    _console().print(_table("Coups", ["id", "date", "country", "leader", "ousted", "source [confidence]", "note"],
                            [[c.id, str(c.date), c.iso3, c.leader, c.ousted, f"{c.source} [{c.confidence}]", c.note]
                             for c in rows]))


__all__ = ["blocs_group"]
