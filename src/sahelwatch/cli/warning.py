"""`sahelwatch indicators | alerts | reconcile | actors`: conflict indicators, alerts, matching
ACLED and UCDP, actor names. Each command parses, calls one Observatory method, renders."""

from __future__ import annotations

import sys

import click

from ._common import console, friendly, home_option, table

FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
                      show_default=True, help="table (on screen), csv, or json (rows with the meta).")
OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default stdout).")
AS_OF = click.option("--as-of", type=int, help="Snapshot id: what the store held right after it.")
SOURCE = click.option("--source", help="acled, ucdp (GED + Candidate), ucdp_ged, ucdp_candidate or a csv source "
                                       "(default: acled if the store has it, else ucdp).")
COUNTRY = click.option("--country", help="ISO3 code(s), comma-separated: MLI,BFA,NER.")


def _obs(home):
    import sahelwatch

    return sahelwatch.open(home, create=False)


def _write(res, fmt: str, output: str | None) -> bool:
    """Write csv/json to a file or stdout; ``False`` when the caller renders a table."""
    if fmt == "table" and not output:
        return False
    res.write(output, "csv" if fmt == "table" else fmt, stream=sys.stdout)
    if output:
        click.echo(f"{len(res):,} rows written to {output}", err=True)
    return True


def _footer(out, meta: dict) -> None:
    for c in meta.get("caveats", []):
        out.print(f"Note: {c}", style="dim", markup=False, highlight=False)
    out.print(meta.get("citation", ""), markup=False, highlight=False)


def _pct(x) -> str:
    return "" if x is None else f"{100 * x:.1f}%"


# -- indicators ------------------------------------------------------------------------------


@click.command("indicators")
@click.option("--unit", default="country", show_default=True, help="country or admin1.")
@click.option("--on", help="Last day of the 12-month window (YYYY-MM-DD; default: the last event date).")
@SOURCE
@COUNTRY
@AS_OF
@click.option("--sort", default="rank", show_default=True,
              help="rank, deadliness, danger, diffusion, fragmentation or unit.")
@click.option("--window-months", type=int, default=12, show_default=True)
@click.option("--high-violence-events", type=int, default=10, show_default=True,
              help="Diffusion: events a 10 km cell needs in the window to count as high-violence.")
@click.option("--min-group-events", type=int, default=1, show_default=True,
              help="Fragmentation: events a non-state armed group needs in the window to count.")
@click.option("--aliases", multiple=True, type=click.Path(dir_okay=False),
              help="Extra actor alias file(s) (YAML), merged over the built-in table.")
@FORMAT
@OUTPUT
@home_option
@friendly
def indicators_cmd(unit, on, source, country, as_of, sort, window_months, high_violence_events, min_group_events,
                   aliases, fmt, output, home):
    """ACLED-method conflict indicators per country or admin1 (a replication, not ACLED's index):
    deadliness, danger, diffusion, fragmentation, ranked."""
    res = _obs(home).indicators(unit, on, source=source, as_of=as_of, country=country, window_months=window_months,
                                high_violence_events=high_violence_events, min_group_events=min_group_events,
                                aliases=list(aliases), sort=sort)
    if _write(res, fmt, output):
        return
    m = res.meta
    df = res.to_polars()
    rows = [[r["rank"], r["unit"], r["unit_name"], r["country_iso3"], r["level"], f"{r['index_score']:.3f}",
             r["deadliness"], r["danger"], _pct(r["diffusion"]), r["fragmentation"], r["events"]]
            for r in df.iter_rows(named=True)]
    out = console()
    out.print(table(f"{m['label']} — {unit}, {m['window'][0]} to {m['window'][1]} ({', '.join(m['sources'])})",
                    ["rank", "unit", "name", "country", "level", "score", "deadliness", "danger", "diffusion",
                     "fragmentation", "events"], rows,
                    right={"rank", "score", "deadliness", "danger", "diffusion", "fragmentation", "events"}))
    s = m["settings"]
    out.print(f"deadliness = fatalities; danger = events targeting civilians; diffusion = share of populated "
              f"{s['cell_km']:g} km cells with >= {s['high_violence_events']} events; fragmentation = non-state "
              f"armed groups with >= {s['min_group_events']} event(s). Method: docs/analytics-warning.md", highlight=False)
    _footer(out, m)


# -- alerts ----------------------------------------------------------------------------------


def _thresholds(surge_increase, surge_min_events, threat_increase, threat_min_events, convergence_min_types,
                convergence_min_events) -> dict:
    given = {"surge_increase": surge_increase, "surge_min_events": surge_min_events,
             "threat_increase": threat_increase, "threat_min_events": threat_min_events,
             "convergence_min_types": convergence_min_types, "convergence_min_events": convergence_min_events}
    return {k: v for k, v in given.items() if v is not None}


def _alert_options(f):
    for opt in reversed([
        click.option("--unit", default="admin1", show_default=True, help="country, admin1 or admin2."),
        click.option("--kind", help="surge, threat, convergence (comma-separated; default all)."),
        click.option("--measure", default="events", show_default=True,
                     help="What the rules count: events (violent events) or fatalities."),
        SOURCE, COUNTRY, AS_OF,
        click.option("--surge-increase", type=float, help="Surge: rise over the 4-week mean (default 1.0 = +100%)."),
        click.option("--surge-min-events", type=int, help="Surge: events the week needs (default 5)."),
        click.option("--threat-increase", type=float, help="Threat: rise over the 12-month mean (default 0.5 = +50%)."),
        click.option("--threat-min-events", type=int, help="Threat: events the month needs (default 10)."),
        click.option("--convergence-min-types", type=int, help="Convergence: types rising together (default 2)."),
        click.option("--convergence-min-events", type=int, help="Convergence: events per rising type (default 2)."),
        FORMAT, OUTPUT, home_option,
    ]):
        f = opt(f)
    return f


@click.group("alerts", invoke_without_command=True)
@click.option("--on", help="Issue date (YYYY-MM-DD; default: the last event date).")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help="Language of the questions in the table.")
@_alert_options
@click.pass_context
@friendly
def alerts_group(ctx, on, lang, unit, kind, measure, source, country, as_of, surge_increase, surge_min_events,
                 threat_increase, threat_min_events, convergence_min_types, convergence_min_events, fmt, output, home):
    """Alerts issued on a date, each a question that resolves (surge, threat, convergence);
    `alerts score` backtests them."""
    if ctx.invoked_subcommand is not None:
        return
    th = _thresholds(surge_increase, surge_min_events, threat_increase, threat_min_events, convergence_min_types,
                     convergence_min_events)
    res = _obs(home).alerts(unit, on, kind=kind, source=source, as_of=as_of, country=country, thresholds=th,
                            measure=measure)
    if _write(res, fmt, output):
        return
    m = res.meta
    df = res.to_polars()
    q = "question" if lang == "en" else "question_fr"
    rows = [[r["kind"], r["unit"], r["unit_name"], r["signal_events"], f"{r['baseline_mean']:.1f}", r[q],
             f"{r['probability']:.2f}", r["resolution_date"], "" if r["outcome"] is None else
             ("yes" if r["outcome"] else "no")] for r in df.iter_rows(named=True)]
    out = console()
    out.print(table(f"Alerts issued {m['on']} ({m['unit']}; {', '.join(m['sources'])}): {len(df)}",
                    ["kind", "unit", "name", "signal", "baseline", "question", "p", "resolves", "outcome"], rows,
                    right={"signal", "baseline", "p"}))
    if not len(df):
        out.print("No alert: no unit met the rules on that date.", highlight=False)
    _footer(out, m)


@alerts_group.command("score")
@click.option("--from", "start", required=True, help="First month (YYYY-MM).")
@click.option("--to", "end", required=True, help="Last month (YYYY-MM).")
@_alert_options
@friendly
def alerts_score(start, end, unit, kind, measure, source, country, as_of, surge_increase, surge_min_events, threat_increase,
                 threat_min_events, convergence_min_types, convergence_min_events, fmt, output, home):
    """Backtest: replay the alert rules every week from --from to --to; hit rate, false alarms,
    recall and Brier score, against a naive baseline (each unit's base rate)."""
    th = _thresholds(surge_increase, surge_min_events, threat_increase, threat_min_events, convergence_min_types,
                     convergence_min_events)
    res = _obs(home).score_alerts(unit, start, end, kind=kind, source=source, as_of=as_of, country=country,
                                  thresholds=th, measure=measure)
    if _write(res, fmt, output):
        return
    m = res.meta
    cols = ["kind", "method", "scored", "predicted_yes", "hits", "false_alarms", "base_rate", "hit_rate",
            "false_alarm_ratio", "false_alarm_rate", "recall", "brier", "brier_skill"]
    heads = ["kind", "method", "scored", "yes", "hits", "false alarms", "base rate", "hit rate", "FA ratio",
             "FA rate", "recall", "Brier", "skill"]
    rows = [[("rule" if r[c] == "alert rule" else "baseline") if c == "method" else
             (f"{r[c]:.3f}" if isinstance(r[c], float) else r[c]) for c in cols]
            for r in res.to_polars().iter_rows(named=True)]
    out = console()
    out.print(table(f"Alert backtest {m['range'][0]} to {m['range'][1]} ({m['unit']}; {', '.join(m['sources'])})",
                    heads, rows, right=set(heads[2:])))
    out.print("rule = the alert rule with its stated probabilities; baseline = each unit's past base rate. "
              "FA ratio = false alarms / alerts; FA rate = false alarms / no-event unit-weeks; "
              "skill = 1 - Brier(rule) / Brier(baseline).", highlight=False)
    for k, c in m["counts"].items():
        out.print(f"{k}: {c['issue_days']} issue days x {c['units']} units; scored {c['scored']:,}, left out "
                  f"{c['left_out_unresolved']:,} unresolved and {c['left_out_no_history']:,} without history",
                  highlight=False)
    out.print(f"Baseline: {m['baseline']}.", highlight=False)
    _footer(out, m)


# -- reconcile -------------------------------------------------------------------------------

SHOW = ["pairs", "left", "right", "union"]


@click.command("reconcile")
@click.option("--left", default="acled", show_default=True, help="Source on the left (acled, ucdp, ucdp_ged...).")
@click.option("--right", default="ucdp_ged", show_default=True, help="Source on the right.")
@click.option("--days", type=int, default=1, show_default=True, help="Date window (days between the events' dates).")
@click.option("--km", type=float, default=25.0, show_default=True, help="Distance (km, great circle).")
@click.option("--min-score", type=float, default=0.5, show_default=True, help="Score a pair needs to match (0..1).")
@click.option("--prefer", type=click.Choice(["left", "right"]), default="left", show_default=True,
              help="Whose values a matched incident keeps in the union view.")
@click.option("--from", "start", help="First date (YYYY-MM-DD).")
@click.option("--to", "end", help="Last date (YYYY-MM-DD).")
@COUNTRY
@AS_OF
@click.option("--show", type=click.Choice(SHOW), default="pairs", show_default=True,
              help="Table to write: matched pairs, left or right unmatched events, or the union view.")
@FORMAT
@OUTPUT
@home_option
@friendly
def reconcile_cmd(left, right, days, km, min_score, prefer, start, end, country, as_of, show, fmt, output, home):
    """Match events of two sources that describe the same incident: pairs with a score,
    unmatched events on each side, a union view that counts each incident once."""
    rec = _obs(home).reconcile(left, right, days=days, km=km, min_score=min_score, prefer=prefer, start=start,
                               end=end, country=country, as_of=as_of)
    part = {"pairs": rec.pairs, "left": rec.left_unmatched, "right": rec.right_unmatched, "union": rec.union}[show]
    if "acled" in rec.meta["sources"] and (fmt != "table" or output):
        click.echo("Note: ACLED's terms forbid republishing its raw events; this file is for your own use.", err=True)
    if _write(part, fmt, output):
        return
    s = rec.summary
    out = console()
    out.print(table(f"Reconciliation {', '.join(rec.meta['left'])} x {', '.join(rec.meta['right'])} "
                    f"(within {days} day(s) and {km:g} km, score >= {min_score:g})",
                    ["", "left", "right"],
                    [["events", s["left_events"], s["right_events"]],
                     ["matched", s["matched_pairs"], s["matched_pairs"]],
                     ["unmatched", s["left_unmatched"], s["right_unmatched"]],
                     ["matched share", _pct(s["left_matched_share"]), _pct(s["right_matched_share"])]],
                    right={"left", "right"}))
    out.print(f"Union view: {s['union_events']:,} incidents (matched ones counted once); "
              f"{s['candidate_pairs']:,} candidate pairs scored.", highlight=False)
    df = rec.pairs.to_polars().head(20)
    if df.height:
        out.print(table("Best pairs (first 20; --show/--format csv for all)",
                        ["score", "left", "right", "date (l/r)", "km", "type (l/r)", "deaths (l/r)"],
                        [[f"{r['score']:.3f}", r["left_key"], r["right_key"],
                          f"{r['left_date_start']} / {r['right_date_start']}", f"{r['km_apart']:.1f}",
                          f"{r['left_kind']} / {r['right_kind']}",
                          f"{r['left_fatalities_best']} / {r['right_fatalities_best']}"]
                         for r in df.iter_rows(named=True)], right={"score", "km"}))
    _footer(out, rec.meta)


# -- actors ----------------------------------------------------------------------------------


@click.command("actors")
@click.option("--search", help="Canonical name or alias (accents and case ignored), e.g. JNIM, GSIM, 'IS Sahel'.")
@click.option("--aliases", multiple=True, type=click.Path(dir_okay=False),
              help="Extra alias file(s) (YAML), merged over the built-in table.")
@SOURCE
@AS_OF
@click.option("--table", "show_table", is_flag=True, help="Show the alias table itself instead of the store's names.")
@FORMAT
@OUTPUT
@home_option
@friendly
def actors_cmd(search, aliases, source, as_of, show_table, fmt, output, home):
    """Actor names in the store with their canonical name across sources (alias table)."""
    obs = _obs(home)
    if show_table:
        res = obs.actor_aliases(list(aliases), search=search)
        if _write(res, fmt, output):
            return
        console().print(table("Actor alias table", ["canonical", "type", "countries", "aliases"],
                              [[r["canonical"], r["type"], ",".join(r["countries"]), "; ".join(r["aliases"])]
                               for r in res.to_polars().iter_rows(named=True)]))
        return
    res = obs.actors(search, aliases=list(aliases), source=source, as_of=as_of)
    if _write(res, fmt, output):
        return
    rows = [[r["canonical"], r["type"] or "", r["name"], r["source"], r["events"], r["first_date"], r["last_date"],
             r["countries"]] for r in res.to_polars().iter_rows(named=True)]
    out = console()
    out.print(table(f"Actors{' matching ' + repr(search) if search else ''}: {len(rows)} names",
                    ["canonical", "type", "name as written", "source", "events", "first", "last", "countries"], rows,
                    right={"events"}))
    if not rows:
        out.print("No actor name matches; `sahelwatch actors --table --search ...` searches the alias table.",
                  highlight=False)
    out.print(res.meta.get("citation", ""), highlight=False)


COMMANDS = [indicators_cmd, alerts_group, reconcile_cmd, actors_cmd]
