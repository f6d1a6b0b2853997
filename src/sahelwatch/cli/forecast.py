"""`sahelwatch panel | forecast | forecast show | backtest`: probabilistic forecasts scored the
VIEWS way. Each command parses, calls ``obs.forecast``, renders."""

from __future__ import annotations

import click

from ._common import console, friendly, home_option, table

LEVEL = click.option("--level", default="cm", show_default=True, help="cm (country-month), admin1 or pgm (PRIO-GRID).")
TARGET = click.option("--target", default="fatalities_sb", show_default=True,
                      help="fatalities_sb|fatalities_ns|fatalities_os|fatalities_all (UCDP) or events:<category> (ACLED).")
AS_OF = click.option("--as-of", type=int, help="Snapshot id: what the store held right after it.")
COUNTRY = click.option("--country", help="ISO3 code(s), comma-separated: MLI,BFA,NER.")
SOURCE = click.option("--source", default="store", show_default=True,
                      help="store (the event store) or series:NAME (an ingested unit-month series).")
PANEL = click.option("--panel", "panel_file", type=click.Path(dir_okay=False),
                     help="A panel file written by `sahelwatch panel` (instead of --source).")
HORIZON = click.option("--horizon", default="1-36", show_default=True, help="Months ahead: 1-36, 3-14 or 3,6,12.")
DRAWS = click.option("--draws", type=int, default=1000, show_default=True, help="Draws per unit and month.")
SEED = click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same draws).")


def _obs(home):
    import sahelwatch

    return sahelwatch.open(home, create=False)


def _panel(obs, level, target, as_of, country, source, panel_file):
    if panel_file:
        return obs.forecast.read_panel(panel_file)
    return obs.forecast.panel(level, target, as_of=as_of, country=country, source=source)


def _label(mid: int) -> str:
    from ..forecast.panel import month_label

    return month_label(mid)


@click.command("panel")
@LEVEL
@TARGET
@AS_OF
@COUNTRY
@SOURCE
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Panel file (.parquet or .csv).")
@home_option
@friendly
def panel_cmd(level, target, as_of, country, source, output, home):
    """Build a unit-month panel (the input of forecasts and backtests) from the store or a series."""
    p = _panel(_obs(home), level, target, as_of, country, source, None)
    p.write(output)
    total = p.frame["value"].sum()
    click.echo(f"{p.units.height:,} units x {_label(p.first_month)}..{_label(p.last_month)} "
               f"({len(p):,} unit-months, total {total:,.0f}) written to {output}")
    if p.meta.get("citation"):
        click.echo(f"Source: {p.meta['citation']}")


@click.group("forecast", invoke_without_command=True)
@LEVEL
@TARGET
@HORIZON
@click.option("--model", default="gbm", show_default=True, help="zero, last, bootstrap, conflictology or gbm.")
@DRAWS
@SEED
@click.option("--origin", help="Last month of data used (YYYY-MM; default: the panel's last month).")
@AS_OF
@COUNTRY
@SOURCE
@PANEL
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Draws in the VIEWS layout (.parquet/.csv); the summary goes beside it as NAME.summary.parquet.")
@home_option
@click.pass_context
@friendly
def forecast_group(ctx, level, target, horizon, model, draws, seed, origin, as_of, country, source, panel_file,
                   output, home):
    """Forecast the next months with a predictive distribution (draws), or `forecast show` a fan chart."""
    if ctx.invoked_subcommand is not None:
        return
    from ..domain.errors import UsageError

    if not output:
        raise UsageError("forecast needs -o FILE.parquet (or use `sahelwatch forecast show`)")
    from ..forecast._files import check_frame_path

    check_frame_path(output)  # refuse a bad path before the fit, not after
    obs = _obs(home)
    p = _panel(obs, level, target, as_of, country, source, panel_file)
    res = obs.forecast.run(p, model, horizons=horizon, draws=draws, seed=seed, origin=origin)
    files = res.write(output)
    n, nh, d = res.draws.shape
    click.echo(f"{res.model}: {n:,} units x {nh} months ({_label(res.origin + res.horizons[0])}.."
               f"{_label(res.origin + res.horizons[-1])}) x {d:,} draws from origin {_label(res.origin)} "
               f"written to {files[0]} (summary: {files[1]})")


@forecast_group.command("show")
@click.option("--country", "unit", required=True, help="The unit to chart: ISO3 for cm, the code for admin1/pgm.")
@click.option("--forecast", "forecast_file", type=click.Path(dir_okay=False, exists=True),
              help="A file from `sahelwatch forecast -o` (default: forecast now, from the store).")
@LEVEL
@TARGET
@click.option("--horizon", default="1-12", show_default=True, help="Months ahead when forecasting now.")
@click.option("--model", default="gbm", show_default=True)
@DRAWS
@SEED
@AS_OF
@SOURCE
@PANEL
@click.option("--history", type=int, default=48, show_default=True, help="Months of history to draw.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Chart file: .svg, .png or .json (Vega-Lite).")
@home_option
@friendly
def show_cmd(unit, forecast_file, level, target, horizon, model, draws, seed, as_of, source, panel_file, history,
             output, home):
    """Fan chart for one unit: median, 50% and 90% intervals after its history; a text summary."""
    from pathlib import Path

    import polars as pl

    from ..domain.errors import UsageError
    from ..forecast import report
    from ..forecast._files import read_meta, write_bytes, write_text

    obs = _obs(home)
    unit = unit.strip().upper() if level == "cm" else unit.strip()
    if output and Path(output).suffix.lower() not in (".svg", ".png", ".json"):
        raise UsageError(f"{output}: chart must end in .svg, .png or .json")
    if forecast_file:
        fp = Path(forecast_file)
        meta = read_meta(fp)
        summ_path = fp.with_name(fp.stem + ".summary" + fp.suffix)
        if not summ_path.exists():
            raise UsageError(f"{fp}: its summary {summ_path.name} is missing")
        summary = pl.read_parquet(summ_path)
        level, target = meta.get("level", level), meta.get("target", target)
        p = _panel(obs, level, target, meta.get("as_of", as_of), None, source, panel_file).until(meta["origin"])
        model = meta.get("model", model)
    else:
        p = _panel(obs, level, target, as_of, None, source, panel_file)
        summary = obs.forecast.run(p, model, horizons=horizon, draws=draws, seed=seed, units=[unit]).summary()
    spec = obs.forecast.fan_chart(p, summary, unit, history_months=history)
    s = summary.filter(pl.col("unit") == unit)
    if s.height == 0:
        raise UsageError(f"{unit} is not in the forecast", choices=sorted(set(summary["unit"].to_list()))[:20])
    out = console()
    name = s["name"][0] or unit
    rows = [[str(r["month"])[:7], r["horizon"], f"{r['q05']:,.0f}", f"{r['q25']:,.0f}", f"{r['q50']:,.0f}",
             f"{r['q75']:,.0f}", f"{r['q95']:,.0f}", f"{100 * r['p_ge25']:.0f}%"] for r in s.iter_rows(named=True)]
    out.print(table(f"{name} ({unit}): {target}, model {model}, from {_label(p.last_month)}",
                    ["month", "h", "5%", "25%", "median", "75%", "95%", "P(>=25)"], rows,
                    right={"h", "5%", "25%", "median", "75%", "95%", "P(>=25)"}))
    last12 = p.frame.filter(pl.col("unit") == unit).tail(12)["value"].sum()
    out.print(f"Last 12 months observed: {last12:,.0f}; next 12 months, sum of medians: "
              f"{s.head(12)['q50'].sum():,.0f}.", markup=False, highlight=False)
    if p.meta.get("citation"):
        out.print(f"Source: {p.meta['citation']}", markup=False, highlight=False)
    if output:
        suf = Path(output).suffix.lower()
        if suf == ".json":
            import json

            write_text(output, json.dumps(spec, indent=1, default=str))
        elif suf == ".png":
            write_bytes(output, report.png(spec))
        else:
            write_text(output, report.svg(spec))
        click.echo(f"Fan chart written to {output}", err=True)


@click.command("backtest")
@LEVEL
@TARGET
@click.option("--origins", type=int, default=12, show_default=True, help="Number of forecast origins (the latest).")
@click.option("--step", type=int, default=1, show_default=True, help="Months between origins.")
@HORIZON
@click.option("--models", default="zero,last,bootstrap,conflictology,gbm", show_default=True)
@DRAWS
@SEED
@click.option("--no-vintage", is_flag=True, help="Use today's data cut at each origin even when snapshots allow more.")
@AS_OF
@COUNTRY
@SOURCE
@PANEL
@click.option("--report", type=click.Path(dir_okay=False), help="Self-contained HTML report (charts inline).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Every score (.parquet or .csv).")
@home_option
@friendly
def backtest_cmd(level, target, origins, step, horizon, models, draws, seed, no_vintage, as_of, country, source,
                 panel_file, report, output, home):
    """Rolling-origin backtest: score every model (CRPS, IGN, MIS, coverage, Brier) per horizon."""
    from ..forecast.models import model_list

    names = model_list(models)
    if output:
        from ..forecast._files import check_frame_path

        check_frame_path(output)
    obs = _obs(home)
    p = _panel(obs, level, target, as_of, country, source, panel_file)
    res = obs.forecast.backtest(p, names, horizons=horizon, origins=origins, step=step, draws=draws, seed=seed,
                                vintage=not no_vintage)
    ov = res.overall()
    cols = ["model", "n", "crps", "ign", "mis90", "cover50", "cover90", "brier25", "mse_log_median",
            "crps_vs_best_baseline"]
    rows = [[r.get(c) if c in ("model", "n") else f"{r.get(c):.3f}" for c in cols] for r in ov.iter_rows(named=True)]
    out = console()
    m = res.meta
    out.print(table(f"Backtest {m['level']} {m['target']}: {len(m['origins'])} origins "
                    f"{_label(m['origins'][0])}..{_label(m['origins'][-1])}, horizons "
                    f"{m['horizons'][0]}-{m['horizons'][-1]}, {m['draws']} draws", cols, rows,
                    right=set(cols) - {"model"}))
    out.print(f"Note: {m['vintage_note']}.", markup=False, highlight=False)
    if output:
        res.write(output)
        click.echo(f"{res.scores.height:,} scores written to {output}", err=True)
    if report:
        res.report(report)
        click.echo(f"Report written to {report}", err=True)


COMMANDS = [panel_cmd, forecast_group, backtest_cmd]
