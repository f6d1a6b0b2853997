"""``sahelwatch``: each command parses, calls one Observatory method, renders."""

from __future__ import annotations

import json
import sys

import click

from ._common import ProgressBar, console, friendly, home_option, table

INGEST_KINDS = ["acled", "acled-deletions", "ucdp", "ucdp-candidate", "csv", "series"]


def _obs(home, create: bool = False):
    import sahelwatch

    return sahelwatch.open(home, create=create)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sahelwatch")
def cli():
    """sahelwatch: a local-first observatory of political violence in the Sahel.

    Events from ACLED and UCDP in a versioned store on your machine; every
    past state reproducible with --as-of.
    """


@cli.command()
@home_option
@friendly
def init(home):
    """Create an empty store (at --home or $SAHELWATCH_HOME)."""
    obs = _obs(home, create=True)
    click.echo(f"Store ready at {obs.home}")


@cli.command()
@click.argument("kind", type=click.Choice(INGEST_KINDS))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--release", help="Release (GED 25.1, Candidate 25.0.9) when the file name does not say.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False), help="Column mapping YAML (kind csv).")
@click.option("--partial", is_flag=True, help="UCDP GED: the file is an extract; do not delete absent events.")
@click.option("--wait", type=float, default=0.0, show_default=True, help="Seconds to wait for another ingest.")
@click.option("--sample", is_flag=True, help="The file is a sample: record and slope claims say 'in this sample'.")
@click.option("--format", "series_format", help="series: views-cm | wide | tidy (docs/series.md).")
@click.option("--name", help="series: the series name (default: the file stem); addressed as series:NAME.")
@click.option("--value", help="series --format wide: the measure the cells hold (e.g. fatalities_all).")
@click.option("--country-names", help="series --format wide: column names are ucdp (GED spellings), iso3 or gw.")
@click.option("--period", help="series --format wide: month or year.")
@click.option("--note", help="series: a caveat stored with the snapshot and repeated under every trend of it.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@home_option
@friendly
def ingest(kind, file, release, mapping, partial, wait, sample, series_format, name, value, country_names, period,
           note, as_json, home):
    """Ingest FILE as a new snapshot. KIND: acled, acled-deletions, ucdp, ucdp-candidate, csv, series."""
    from ..domain.errors import UsageError

    if kind == "csv" and not mapping:
        raise UsageError("ingest csv needs --mapping FILE.yaml (see docs/csv-mapping.md)")
    series_opts = {"format": series_format, "name": name, "value": value, "country_names": country_names,
                   "period": period, "note": note}
    if kind == "series" and not series_format:
        raise UsageError("ingest series needs --format", choices=["views-cm", "wide", "tidy"])
    if kind != "series" and any(series_opts.values()):
        raise UsageError("--format, --name, --value, --country-names, --period and --note are for ingest series")
    obs = _obs(home, create=True)
    opts = {"mapping": mapping} if mapping else {}
    if kind == "series":
        opts |= {k: v for k, v in series_opts.items() if v is not None}
    if sample:
        opts["sample"] = True
    with ProgressBar() as bar:
        rep = obs.ingest(kind, file, release=release, progress=bar, wait=wait, partial=partial, **opts)
    if as_json:
        click.echo(json.dumps({"snapshot": rep.snapshot, "kind": rep.kind, "source": rep.source,
                               "file": rep.file, "sha256": rep.sha256, "release": rep.release,
                               "counts": rep.counts, "duplicate_of": rep.duplicate_of,
                               "warnings": rep.warnings}, indent=2))
        return
    out = console()
    if rep.snapshot is None:
        out.print(f"[yellow]{rep.warnings[0]}[/]")
        return
    c = rep.counts
    out.print(f"Snapshot [bold]{rep.snapshot}[/]: {rep.file} ({rep.source}"
              + (f" {rep.release}" if rep.release else "") + ")")
    out.print(f"  rows read {c['read']:,} = accepted {c['accepted']:,} + quarantined {c['quarantined']:,}")
    detail = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in c.items()
                       if k not in ("read", "accepted", "quarantined") and v)
    if detail:
        out.print(f"  {detail}")
    if c["quarantined"]:
        out.print(f"  see the rejected rows: sahelwatch quarantine --snapshot {rep.snapshot}")
    for w in rep.warnings:
        out.print(f"  [yellow]warning:[/] {w}")


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@home_option
@friendly
def snapshots(as_json, home):
    """List snapshots with their provenance and counts."""
    snaps = _obs(home).snapshots()
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in snaps], indent=2, ensure_ascii=False))
        return
    cols = ["id", "time", "source", "release", "file", "sha256", "read", "accepted", "quarantined",
            "new", "changed", "deleted"]
    rows = [[s.id, s.time, s.source, s.release or "", s.file, s.sha256[:12],
             *(s.counts.get(k, 0) for k in ("read", "accepted", "quarantined", "new", "changed", "deleted"))]
            for s in snaps]
    console().print(table("Snapshots", cols, rows, right={"id", "read", "accepted", "quarantined", "new", "changed", "deleted"}))


@cli.command()
@click.option("--country", help="ISO3 code(s), comma-separated: MLI,BFA,NER.")
@click.option("--from", "start", help="First date (YYYY-MM-DD), on date_start.")
@click.option("--to", "end", help="Last date (YYYY-MM-DD), on date_start.")
@click.option("--source", help="acled, ucdp_ged, ucdp_candidate or a csv source name (comma-separated).")
@click.option("--as-of", type=int, help="Snapshot id: what the store held right after it.")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "geojson", "json", "source"]),
              default="csv", show_default=True, help="'source' writes the source's own columns and values.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default stdout).")
@click.option("--with-places", is_flag=True,
              help="Add admin1/admin2 codes and names (point-in-polygon), match kind and boundary set.")
@click.option("--bloc", help="Events of the states that counted for the bloc in the event's month (AES, ECOWAS...).")
@click.option("--membership", help="With --bloc: dynamic (default) or on:YYYY-MM-DD (a fixed member list).")
@click.option("--admin1", help="Events the boundaries place in this admin1 unit (code from `places admin COUNTRY --level 1`).")
@home_option
@friendly
def events(country, start, end, source, as_of, fmt, output, with_places, bloc, membership, admin1, home):
    """Export events, as of any snapshot."""
    res = _obs(home).events(country=country, start=start, end=end, source=source, as_of=as_of,
                            with_places=with_places, bloc=bloc, membership=membership, admin1=admin1)
    if fmt == "source" and "acled" in set(res.to_polars()["source"].to_list()):
        click.echo("Note: ACLED's terms forbid republishing its raw events; this file is for your own use.",
                   err=True)
    res.write(output, fmt, stream=sys.stdout)
    if output:
        click.echo(f"{len(res):,} events written to {output}", err=True)


@cli.command()
@click.option("--snapshot", type=int, help="Only this snapshot's rejected rows.")
@click.option("--json", "as_json", is_flag=True)
@home_option
@friendly
def quarantine(snapshot, as_json, home):
    """Rejected rows: file, row, line, field, value, reason."""
    df = _obs(home).quarantine(snapshot)
    if as_json:
        click.echo(df.write_json())
        return
    rows = [[r["snapshot"], r["file"], r["row"], r["line"], r["field"], (r["value"] or "")[:40], r["reason"]]
            for r in df.iter_rows(named=True)]
    console().print(table(f"Quarantined rows ({df['row'].n_unique() if df.height else 0:,} rows, {df.height:,} problems)",
                          ["snapshot", "file", "row", "line", "field", "value", "reason"], rows,
                          right={"snapshot", "row", "line"}))


@cli.command()
@home_option
@friendly
def demo(home):
    """Build a store from the bundled real data (UCDP GED 23.1 sample, Candidate 23.0.10, VIEWS country-month,
    a GED 25.1 country-month table) and answer: is it worse than ever in the AES states?"""
    from .. import demo as demo_mod

    obs = _obs(home, create=True)
    with ProgressBar() as bar:
        reports = demo_mod.build(obs, progress=bar, forecasts=False)
        stored = demo_mod.save_forecasts(obs, progress=bar)
    for r in reports:
        state = f"snapshot {r.snapshot}" if r.snapshot else f"already in snapshot {r.duplicate_of}"
        click.echo(f"{r.file}: {state}; read {r.counts['read']:,}, accepted {r.counts['accepted']:,}, "
                   f"quarantined {r.counts['quarantined']:,}")
    for f, secs in stored:
        m = f.manifest
        click.echo(f"forecast {f.id}: {m['model']} {m['target']} from {m['source']}, origin {m['origin_month']}, "
                   f"{m['months'][0]}..{m['months'][-1]}, {len(m['units'])} units x {m['draws']:,} draws "
                   + (f"({secs:.1f} s)" if f.new else "(already stored)"))
    from .series import print_answer

    print_answer(*demo_mod.answer(obs))
    click.echo(f"Demo store at {obs.home}. Data: UCDP (CC BY 4.0), VIEWS — see `sahelwatch credits`.")


@cli.command()
@click.option("--as-of", type=int)
@click.option("--json", "as_json", is_flag=True)
@home_option
@friendly
def summary(as_of, as_json, home):
    """Events and fatalities (low/best/high) per country and source."""
    from .. import demo as demo_mod

    obs = _obs(home)
    df = demo_mod.summary(obs, as_of=as_of)
    if as_json:
        click.echo(df.write_json())
        return
    snaps = [s for s in obs.snapshots() if as_of is None or s.id <= as_of]
    out = console()
    out.print(table("Events and fatalities per country and source (UCDP: best, low, high)", df.columns,
                    [list(r) for r in df.iter_rows()],
                    right={"events", "fatalities_best", "fatalities_low", "fatalities_high"}))
    out.print(f"As of snapshot {as_of or (snaps[-1].id if snaps else 0)}. Files: "
              + "; ".join(f"{s.file} ({s.source} {s.release or ''})".replace(" )", ")") for s in snaps))
    from ..store import samples

    sampled = samples.sample_files(snaps)
    out.print("Counts cover only the files ingested. In this sample: " + ", ".join(sampled)
              + " is a sample (column sample), so its rows are the sample's totals, not the countries'; "
                "Candidate data are preliminary." if sampled else "Counts cover only the files ingested.",
              highlight=False, markup=False)


@cli.command()
def credits():
    """Where the bundled data comes from and its licences."""
    from .. import demo as demo_mod

    click.echo(demo_mod.credits())


def _register():
    from . import blocs, generate, places

    cli.add_command(generate.generate_cmd)
    cli.add_command(places.places_group)
    cli.add_command(blocs.blocs_group)
    for mod in ("cube", "warning", "series", "sync", "brief", "serve", "forecast"):  # command modules, each lists its COMMANDS
        try:
            m = __import__(f"sahelwatch.cli.{mod}", fromlist=["COMMANDS"])
        except ModuleNotFoundError as e:
            if e.name != f"sahelwatch.cli.{mod}":
                raise
            continue
        for c in m.COMMANDS:
            cli.add_command(c)


_register()


def main():
    cli(prog_name="sahelwatch")


if __name__ == "__main__":
    main()
