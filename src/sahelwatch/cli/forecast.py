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
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A model parameter (repeatable), e.g. --param train_months=120 for gbm.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Draws in the VIEWS layout (.parquet/.csv); the summary goes beside it as NAME.summary.parquet.")
@click.option("--save", is_flag=True, help="Keep the forecast in the store (HOME/forecasts/<id>/, with its manifest).")
@home_option
@click.pass_context
@friendly
def forecast_group(ctx, level, target, horizon, model, draws, seed, origin, as_of, country, source, panel_file,
                   params, output, save, home):
    """Forecast the next months with a predictive distribution (draws); `forecast list` the stored
    ones, `forecast show` a fan chart."""
    if ctx.invoked_subcommand is not None:
        return
    from ..domain.errors import UsageError

    if not output and not save:
        raise UsageError("forecast needs -o FILE.parquet or --save (or use `sahelwatch forecast show`)")
    if output:
        from ..forecast._files import check_frame_path

        check_frame_path(output)  # refuse a bad path before the fit, not after
    kw = _params(params)
    obs = _obs(home)
    p = _panel(obs, level, target, as_of, country, source, panel_file)
    if save and not output:
        have = obs.forecast.find(obs.forecast.spec(p, model, horizons=horizon, draws=draws, seed=seed, origin=origin,
                                                   params=kw))
        if have is not None:  # same inputs, same id: no second fit, no second copy
            click.echo(f"Already stored: forecast {have.id} (origin {have.manifest['origin_month']}, made "
                       f"{have.manifest['created']}); nothing written")
            return
    res = obs.forecast.run(p, model, horizons=horizon, draws=draws, seed=seed, origin=origin, params=kw)
    n, nh, d = res.draws.shape
    what = (f"{res.model}: {n:,} units x {nh} months ({_label(res.origin + res.horizons[0])}.."
            f"{_label(res.origin + res.horizons[-1])}) x {d:,} draws from origin {_label(res.origin)}")
    if output:
        files = res.write(output)
        click.echo(f"{what} written to {files[0]} (summary: {files[1]})")
    if save:
        f = obs.forecast.save(res)
        click.echo(f"{what} stored as forecast {f.id}" if f.new else
                   f"Already stored: forecast {f.id} (same inputs); nothing written")
        for c in f.manifest.get("caveats", []):
            click.echo(f"Caveat: {c}")


def _params(items) -> dict:
    """``KEY=VALUE`` pairs; values read as JSON where they parse (120, 0.05, true), else text."""
    import json

    from ..domain.errors import UsageError

    out = {}
    for it in items:
        k, sep, v = it.partition("=")
        if not sep or not k.strip():
            raise UsageError(f"--param {it!r}: expected KEY=VALUE, e.g. train_months=120")
        try:
            out[k.strip()] = json.loads(v)
        except ValueError:
            out[k.strip()] = v
    return out


@forecast_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="The manifests as JSON.")
@home_option
@friendly
def list_cmd(as_json, home):
    """The forecasts kept in the store: id, origin, model, source, snapshot, months, units."""
    obs = _obs(home)
    ms = obs.forecast.list()
    if as_json:
        import json

        click.echo(json.dumps(ms, indent=1, ensure_ascii=False))
        return
    if not ms:
        click.echo("The store keeps no forecast yet (sahelwatch forecast ... --save).")
        return
    rows = [[m["id"], m["origin_month"], f"{m['months'][0]}..{m['months'][-1]}", m["model"], m["target"], m["source"],
             str(m["snapshot"]), f"{len(m['units']):,}", f"{m['draws']:,}", m["created"][:16]] for m in ms]
    console().print(table(f"{len(ms)} stored forecast(s) in {obs.home}",
                          ["id", "origin", "months", "model", "target", "source", "snapshot", "units", "draws",
                           "created"], rows, right={"snapshot", "units", "draws"}))


@forecast_group.command("show")
@click.option("--country", "unit", required=True, help="The unit to chart: ISO3 for cm, the code for admin1/pgm.")
@click.option("--forecast", "forecast_ref",
              help="A stored forecast's id (see `forecast list`) or a file from `sahelwatch forecast -o` "
                   "(default: the latest stored forecast of the unit, else forecast now).")
@click.option("--now", is_flag=True, help="Forecast now from the store (ignore the stored forecasts).")
@LEVEL
@TARGET
@click.option("--horizon", default="1-12", show_default=True, help="Months ahead when forecasting now.")
@click.option("--model", default="gbm", show_default=True)
@DRAWS
@SEED
@click.option("--as-of", type=int, help="Snapshot id: the store as it was then (for a stored forecast: the "
              "data its 'observed since' values are read from).")
@SOURCE
@PANEL
@click.option("--history", type=int, default=48, show_default=True, help="Months of history to draw.")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help="Language of a stored forecast's chart.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Chart file: .svg, .png or .json (Vega-Lite).")
@home_option
@friendly
def show_cmd(unit, forecast_ref, now, level, target, horizon, model, draws, seed, as_of, source, panel_file, history,
             lang, output, home):
    """Fan chart for one unit: median, 50% and 90% intervals after its history; a text summary."""
    from pathlib import Path

    import polars as pl

    from ..domain.errors import UsageError
    from ..forecast._files import read_meta

    obs = _obs(home)
    unit = unit.strip().upper() if level == "cm" else unit.strip()
    if output and Path(output).suffix.lower() not in (".svg", ".png", ".json"):
        raise UsageError(f"{output}: chart must end in .svg, .png or .json")
    out = console()
    stored = None
    if forecast_ref and not Path(forecast_ref).is_file():
        stored = obs.forecast.get(forecast_ref)
    elif not forecast_ref and not now:
        stored = obs.forecast.latest(unit)
        if stored is not None:
            out.print(f"Stored forecast {stored.id} (the latest covering {unit}: origin "
                      f"{stored.manifest['origin_month']}, {stored.manifest['source']}, snapshot "
                      f"{stored.manifest['snapshot']}); --now forecasts afresh.", markup=False, highlight=False)
    if stored is not None:
        _show_stored(obs, stored, unit, history, lang, output, out, as_of)
        return
    if forecast_ref:
        fp = Path(forecast_ref)
        meta = read_meta(fp)
        summ_path = fp.with_name(fp.stem + ".summary" + fp.suffix)
        if not summ_path.exists():
            raise UsageError(f"{fp}: its summary {summ_path.name} is missing")
        summary = pl.read_parquet(summ_path)
        level, target = meta.get("level", level), meta.get("target", target)
        src = meta.get("source", source) if str(meta.get("source", "")).startswith(("store", "series:")) else source
        p = _panel(obs, level, target, meta.get("as_of", as_of), None, src, panel_file).until(meta["origin"])
        model = meta.get("model", model)
    else:
        p = _panel(obs, level, target, as_of, None, source, panel_file)
        summary = obs.forecast.run(p, model, horizons=horizon, draws=draws, seed=seed, units=[unit]).summary()
    spec = obs.forecast.fan_chart(p, summary, unit, history_months=history)
    s = summary.filter(pl.col("unit") == unit)
    if s.height == 0:
        raise UsageError(f"{unit} is not in the forecast", choices=sorted(set(summary["unit"].to_list()))[:20])
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
    _write_chart(spec, output)


def _show_stored(obs, f, unit, history, lang, output, out, as_of=None):
    from ..forecast.stored import param_text

    c = obs.forecast.chart(unit, f.id, lang=lang, history_months=history, as_of=as_of)
    m = c["meta"]
    rows = [[r["month"][:7], r["horizon"], f"{r['q05']:,.0f}", f"{r['q25']:,.0f}", f"{r['q50']:,.0f}",
             f"{r['q75']:,.0f}", f"{r['q95']:,.0f}", f"{100 * r['p_ge25']:.0f}%",
             "" if r["observed"] is None else f"{r['observed']:,.0f}"] for r in c["rows"]]
    cols = ["month", "h", "5%", "25%", "median", "75%", "95%", "P(>=25)", "observed since"]
    out.print(table(f"{m['name']} ({unit}): {m['target']}, model {m['model']}, origin {m['origin']}, "
                    f"{m['source']} snapshot {m['snapshot']} (forecast {m['forecast']})", cols, rows,
                    right=set(cols) - {"month"}))
    if m["observed_months"]:
        out.print(f"Observed since: {m['observed_months']} of {len(rows)} months, as the data hold them now "
                  f"(snapshot {m['observed_snapshot']}).", markup=False, highlight=False)
    for cav in m["caveats"]:
        out.print(f"Caveat: {cav}", markup=False, highlight=False)
    rev = "revision not recorded" if m["model_revision"] is None else f"revision {m['model_revision']}"
    params = ", ".join(f"{k}={param_text(v)}" for k, v in m["model_params"].items())
    out.print(f"Model: {m['model']} ({rev}), parameters: {params or 'none'}", markup=False, highlight=False,
              soft_wrap=True)
    out.print(f"Made by: {m['command']}", markup=False, highlight=False, soft_wrap=True)
    if m.get("citation"):
        out.print(f"Source: {m['citation']}", markup=False, highlight=False)
    _write_chart(c["vega_lite"], output)


def _write_chart(spec, output):
    if not output:
        return
    from pathlib import Path

    from ..forecast import report
    from ..forecast._files import write_bytes, write_text

    suf = Path(output).suffix.lower()
    if suf == ".json":
        import json

        write_text(output, json.dumps(spec, indent=1, default=str))
    elif suf == ".png":
        write_bytes(output, report.png({"width": 640, **spec}))
    else:
        write_text(output, report.svg({"width": 640, **spec}))
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
