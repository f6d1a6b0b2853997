"""``sahelwatch series``: what series the store holds; and the demo's "worse than ever?" table."""

from __future__ import annotations

import json

import click

from ._common import console, friendly, home_option, table


@click.command("series")
@click.option("--as-of", type=int, help="Snapshot id: the series as they stood right after it.")
@click.option("--changes", "changes_of", metavar="NAME",
              help="Cells the latest snapshot of series NAME (or --as-of N) added, changed or removed.")
@click.option("--limit", type=int, default=50, show_default=True, help="Rows shown by --changes.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@home_option
@friendly
def series_cmd(as_of, changes_of, limit, as_json, home):
    """List the series in the store: source, measures, units, coverage, vintage, file, sample flag.

    A series is addressed as --source series:NAME by trend, aggregate and blocs compare.
    """
    import sahelwatch

    obs = sahelwatch.open(home, create=False)
    if changes_of:
        _changes(obs, changes_of, as_of, limit, as_json)
        return
    items = obs.series.list(as_of=as_of)
    if as_json:
        click.echo(json.dumps(items, indent=2, ensure_ascii=False, default=str))
        return
    cols = ["source", "measures", "units", "first", "last", "vintage", "file", "snapshot", "cells", "sample"]
    rows = [[d["source"], ", ".join(d["measures"]), d["units"], d["first"], d["last"], d["vintage"] or "",
             d["file"], d["snapshot"], d["cells"], "yes" if d["sample"] else ""] for d in items]
    out = console()
    out.print(table("Series", cols, rows, right={"units", "snapshot", "cells"}))
    if not items:
        out.print("No series yet: sahelwatch ingest series FILE --format views-cm|wide|tidy (docs/series.md)")


def _changes(obs, name, as_of, limit, as_json) -> None:
    import polars as pl

    df = obs.series.changes(name, as_of)
    if as_json:
        click.echo(json.dumps(df.with_columns(pl.col(pl.Date).cast(pl.String)).to_dicts(), ensure_ascii=False))
        return
    counts = df.group_by("change").len().sort("change")
    out = console()
    shown = df.head(limit) if limit and limit > 0 else df
    out.print(table(f"Changes in series {name} ("
                    + (", ".join(f"{c} {n:,}" for c, n in counts.iter_rows()) or "none: a first ingest, or no change")
                    + ")", df.columns, [list(r) for r in shown.iter_rows()], right={"old_value", "new_value"}))
    if shown.height < df.height:
        out.print(f"... {df.height - shown.height:,} more rows (--limit, or --json)")


def print_answer(frame, notes) -> None:
    """The demo's answer: per AES state and the AES bloc, by year, is the latest complete year a record?"""
    out = console()
    if not frame.height:
        return
    cols = ["unit", "series", "years", "latest", "value", "record?", "slope/year (95% CI)"]
    rows = []
    for r in frame.iter_rows(named=True):
        rec = "RECORD" if r["record"] else (f"no: highest since {r['since']}" if r["since"] else "")
        if r["sample"]:
            rec += " (in this sample)"
        yrs = f"{r['first']}-{r['latest']} ({r['complete_years']})" if r["first"] else ""
        val = None if r["value"] is None else f"{r['value']:,.0f}"
        rows.append([r["unit"], r["series"], yrs, r["latest"], val, rec, r["slope_per_year_95ci"] or ""])
    out.print(table("Is it worse than ever? Deaths per year (UCDP GED best, all violence types)", cols, rows,
                    right={"value"}))
    main = frame["series"][0]
    for r in frame.filter(frame["series"] == main).iter_rows(named=True):
        out.print(f"- {r['answer_en']}", highlight=False, markup=False)
    for n in notes:
        out.print(f"Note: {n}", highlight=False, markup=False)


COMMANDS = [series_cmd]
