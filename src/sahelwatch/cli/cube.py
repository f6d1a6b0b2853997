"""``sahelwatch aggregate`` and ``sahelwatch trend``: parse, call one Observatory method, render."""

from __future__ import annotations

import json
import sys

import click

from ._common import console, friendly, home_option, table

TABLE_LIMIT = 200


def _obs(home):
    import sahelwatch

    return sahelwatch.open(home, create=False)


def _selection(fn):
    """Options shared by aggregate and trend (validated by the library, which lists valid choices)."""
    opts = [
        click.option("--country", help="ISO3 code(s), comma-separated: MLI,BFA,NER."),
        click.option("--bloc", help="Bloc(s) (AES, ECOWAS, G5_SAHEL...): only member states, month by month."),
        click.option("--membership", default="dynamic", show_default=True,
                     help="Membership rule: dynamic (member on the 15th of the month) or on:YYYY-MM-DD."),
        click.option("--from", "start", help="First date (YYYY-MM-DD), on date_start."),
        click.option("--to", "end", help="Last date (YYYY-MM-DD), on date_start."),
        click.option("--source", help="acled, ucdp (= ucdp_ged + ucdp_candidate), ucdp_ged, ucdp_candidate..., "
                                      "or series:NAME (sahelwatch series)."),
        click.option("--as-of", type=int, help="Snapshot id: what the store held right after it."),
        click.option("--precision", default="as-coded", show_default=True,
                     help="exact | as-coded | spread (imprecise events shared over cells)."),
        click.option("--breakdown", help="category | sub_event_type | type_of_violence | actor | interaction | source "
                                         "(comma-separated for several)."),
        home_option,
    ]
    for o in reversed(opts):
        fn = o(fn)
    return fn


def _emit(text: str, output: str | None) -> None:
    if output:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


@click.command("aggregate")
@click.option("--by", default="country", show_default=True,
              help="Unit: country | admin1 | admin2 | priogrid | h3 | bloc.")
@click.option("--period", default="month", show_default=True,
              help="day | week (ISO, Monday) | acled-week (Saturday) | month | quarter | year.")
@click.option("--measure", "measures", default="events,fatalities_best", show_default=True,
              help="events, fatalities_best, fatalities_low, fatalities_high, civilian_fatalities, actors.")
@_selection
@click.option("--complete", is_flag=True, help="Add zero rows for unit-periods without events.")
@click.option("--h3-resolution", type=int, default=5, show_default=True, help="H3 resolution for --by h3.")
@click.option("--format", "fmt", default="table", show_default=True,
              help="table | csv | parquet | json | geojson (priogrid, h3, admin and country polygons).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default stdout).")
@click.option("--limit", type=int, default=TABLE_LIMIT, show_default=True, help="Rows shown by --format table.")
@friendly
def aggregate_cmd(by, period, measures, country, bloc, membership, start, end, source, as_of, precision,
                  breakdown, home, complete, h3_resolution, fmt, output, limit):
    """Aggregate events by unit x period (x breakdown): counts, fatalities, actors.

    ACLED and UCDP record the same violence: when the selection holds both,
    pick one with --source or break down by source. Numbers derived from ACLED
    may be published only as attributed aggregates.
    """
    from ..domain.errors import UsageError

    fmts = ["table", "csv", "parquet", "json", "geojson"]
    if fmt not in fmts:
        raise UsageError(f"unknown format {fmt!r}", choices=fmts)
    if fmt == "parquet" and not output:
        raise UsageError("--format parquet needs -o FILE")
    res = _obs(home).aggregate(by=by, period=period, measures=measures, breakdown=breakdown, country=country,
                               bloc=bloc, start=start, end=end, source=source, as_of=as_of, precision=precision,
                               membership=membership, complete=complete, h3_resolution=h3_resolution)
    if fmt != "table":
        res.write(output, fmt, stream=sys.stdout)
        if output:
            click.echo(f"{len(res):,} rows written to {output}", err=True)
        return
    df = res.to_polars()
    shown = df.head(limit) if limit and limit > 0 else df
    num = {c for c, t in df.schema.items() if t.is_numeric()}
    rows = [[(round(v, 3) if isinstance(v, float) else v) for v in r] for r in shown.iter_rows()]
    title = f"{res.meta['unit']} x {res.meta['period']}" + (
        f" x {', '.join(res.meta['breakdown'])}" if res.meta["breakdown"] else "")
    out = console()
    out.print(table(title, df.columns, rows, right=num))
    if shown.height < df.height:
        out.print(f"... {df.height - shown.height:,} more rows (--limit, or --format csv)")
    out.print(res.caption(), highlight=False, markup=False)


@click.command("trend")
@click.option("--measure", default="fatalities_best", show_default=True,
              help="events, fatalities_best, fatalities_low, fatalities_high, civilian_fatalities, actors.")
@click.option("--period", default="year", show_default=True,
              help="day | week | acled-week | month | quarter | year.")
@click.option("--by", help="Unit: country | admin1 | admin2 | priogrid | h3 | bloc (default: bloc when only "
                           "--bloc is given, else country).")
@_selection
@click.option("--include-incomplete", is_flag=True, help="Keep partial periods at either end of the data.")
@click.option("--window", type=int, help="Fit the slope on the last N periods only.")
@click.option("--min-periods", type=int, default=6, show_default=True, help="Fewest periods for a slope.")
@click.option("--format", "fmt", default="table", show_default=True, help="table | csv | json.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default stdout).")
@friendly
def trend_cmd(measure, period, by, country, bloc, membership, start, end, source, as_of, precision, breakdown,
              home, include_incomplete, window, min_periods, fmt, output):
    """Is the latest period a record? Change vs the previous period and last year; trend slope with a 95% interval.

    One line per series (unit and breakdown value). The slope is a
    quasi-Poisson log-linear trend on the period index; see docs/analytics-cube.md.
    """
    from ..domain.errors import UsageError

    fmts = ["table", "csv", "json"]
    if fmt not in fmts:
        raise UsageError(f"unknown format {fmt!r}", choices=fmts)
    res = _obs(home).trend(measure=measure, period=period, by=by, country=country, bloc=bloc, breakdown=breakdown,
                           start=start, end=end, source=source, as_of=as_of, precision=precision,
                           membership=membership, include_incomplete=include_incomplete, window=window,
                           min_periods=min_periods)
    if fmt == "json":
        series = res.series.to_polars()
        doc = {"meta": res.meta, "rows": res.to_polars().to_dicts(), "series": series.to_dicts()}
        _emit(json.dumps(doc, ensure_ascii=False, default=str, indent=1), output)
        return
    if fmt == "csv":
        res.write(output, "csv", stream=sys.stdout)
        return
    _render_trend(res)


def _pct(v) -> str:
    return "" if v is None else f"{v:+.1f}%"


def _num(v):
    return None if v is None else (int(v) if float(v).is_integer() else round(v, 2))


def _change(abs_, pct, base) -> str:
    if abs_ is None:
        return ""
    return _pct(pct) if pct is not None else f"{_num(abs_):+,} (from {_num(base)})"


def _render_trend(res) -> None:
    df = res.to_polars()
    m = res.meta
    out = console()
    unit_cols = [c for c in ("bloc", "country_iso3", "admin1_name", "admin2_name", "priogrid_gid", "h3_cell",
                             *m.get("breakdown", [])) if c in df.columns]
    cols = unit_cols + ["latest", "value", "record?", "vs previous", "vs last year", "slope/period (95% CI)"]
    rows = []
    for r in df.iter_rows(named=True):
        slope = "" if r["slope_pct"] is None else (
            f"{_pct(r['slope_pct'])} ({_pct(r['slope_low_pct'])} to {_pct(r['slope_high_pct'])})")
        rec = "" if r["is_record"] is None else ("record" if r["is_record"] else f"since {r['record_since']}")
        rec += " (in this sample)" if rec and r.get("sample") else ""
        slope += " in this sample" if slope and r.get("sample") else ""
        rows.append([*(r[c] for c in unit_cols), r["latest_period"], _num(r["latest_value"]), rec,
                     _change(r["change_previous"], r["change_previous_pct"], r["previous_value"]),
                     _change(r["change_last_year"], r["change_last_year_pct"], r["last_year_value"]), slope])
    out.print(table(f"Trend of {m['measure']} per {m['period']}", cols, rows, right={"value"}))
    for r in df.iter_rows(named=True):
        if r.get("record_text"):
            out.print(f"- {r['record_text']}", highlight=False, markup=False)
    caveats = list(dict.fromkeys(c for r in df.iter_rows(named=True) for c in (r["caveats"] or [])))
    for c in caveats:
        out.print(f"Caveat: {c}", highlight=False, markup=False)
    if m.get("coverage_text"):
        out.print(f"Coverage: {m['coverage_text']}", highlight=False, markup=False)
    out.print(f"As of snapshot {m.get('as_of')}; data {m.get('data_start')}..{m.get('data_end')}; "
              f"precision {m.get('precision')}" + (f"; {m['membership_rule']}" if m.get("membership_rule") else ""),
              highlight=False, markup=False)
    for c in m.get("citations", []):
        out.print(c, highlight=False, markup=False)


COMMANDS = [aggregate_cmd, trend_cmd]
