"""``sahelwatch sync ...`` and ``sahelwatch credentials ...``: shells over ``obs.sync``."""

from __future__ import annotations

import json
import time

import click

from ._common import ProgressBar, console, friendly, home_option, table

URL_HELP = "API root (default: the real service; tests point it at a local server)."


def _obs(home):
    import sahelwatch

    return sahelwatch.open(home, create=True)


@click.group("credentials")
def credentials_group():
    """Store API credentials (OS keyring if available, else a 0600 file); never printed."""


@credentials_group.command("set")
@click.argument("service", type=click.Choice(["acled", "ucdp"]))
@click.option("--email", help="ACLED: your myACLED e-mail (prompted if not given).")
@friendly
def credentials_set(service, email):
    """Ask for and store the credentials of SERVICE (acled: e-mail + password; ucdp: token)."""
    from ..sync import credentials

    if service == "acled":
        email = email or click.prompt("ACLED e-mail")
        password = click.prompt("ACLED password", hide_input=True)
        where = credentials.set_credentials("acled", email=email, password=password)
    else:
        token = click.prompt("UCDP API token", hide_input=True)
        where = credentials.set_credentials("ucdp", token=token)
    click.echo(f"Stored {service} credentials in the {where}.")


@credentials_group.command("show")
@friendly
def credentials_show():
    """Which credentials are set and where (never their values)."""
    from ..sync import credentials

    for s in ("acled", "ucdp"):
        click.echo(credentials.describe(s))


@click.group("sync")
def sync_group():
    """Keep the store current from ACLED's and UCDP's APIs (see docs/sync.md)."""


def _loop(every, once):
    """Run ``once()`` now, then every interval until interrupted; errors wait for the next turn."""
    from ..domain.errors import SyncError
    from ..sync.state import parse_every

    if not every:
        once()
        return
    gap = parse_every(every).total_seconds()
    while True:
        try:
            once()
        except SyncError as e:
            click.echo(f"Error: {e}", err=True)
        nxt = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(time.time() + gap))
        click.echo(f"next sync at {nxt} (--every {every}); Ctrl-C stops", err=True)
        time.sleep(gap)


def _render(rep, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(rep.to_dict(), indent=2))
        return
    out = console()
    c = rep.counts
    head = (f"Snapshot [bold]{rep.snapshot}[/]" if rep.snapshot else "No new snapshot") + \
        f": {rep.source.upper()} sync of {rep.scope} ({rep.mode}{', resumed' if rep.resumed else ''})"
    out.print(head)
    out.print(f"  fetched {rep.rows_fetched:,} rows" + (f" and {rep.deletions_fetched:,} deletions" if rep.source == "acled" else "")
              + f" in {rep.pages:,} pages; {rep.requests:,} requests ({rep.retries:,} retried); {rep.seconds:.1f} s")
    if rep.snapshot or c:
        out.print("  " + ", ".join(f"{k} {int(c.get(k, 0)):,}" for k in ("new", "changed", "deleted", "unchanged")))
    elif not rep.rows_fetched:
        out.print("  nothing changed since the last sync")
    for w in rep.warnings:
        out.print(f"  [yellow]warning:[/] {w}")


def _countries(value):
    from ..domain.args import iso3_list

    return list(iso3_list(value))


@sync_group.command("acled")
@click.option("--country", required=True, help="ISO3 codes, comma-separated: MLI,BFA,NER.")
@click.option("--since", help="First event date of a full pull (YYYY-MM-DD); earlier than before: pulls again.")
@click.option("--full", is_flag=True, help="Pull everything again instead of what changed.")
@click.option("--every", help="Keep running: sync again every interval (30m, 6h, 1d, 1w).")
@click.option("--retries", type=click.IntRange(min=1), help="Tries per request on 429/5xx/dropped connections (default 6).")
@click.option("--page-size", type=click.IntRange(min=1, max=5000), default=5000, show_default=True,
              help="Rows per request (ACLED's default and maximum is 5000).")
@click.option("--base-url", help=URL_HELP)
@click.option("--json", "as_json", is_flag=True)
@home_option
@friendly
def sync_acled(country, since, full, every, retries, page_size, base_url, as_json, home):
    """ACLED: first run a full pull, later runs only what changed, deletions included; one snapshot per run."""
    from ..domain.args import day

    since = day(since, "--since").isoformat() if since else None
    obs = _obs(home)

    def once():
        with ProgressBar() as bar:
            rep = obs.sync.acled(countries=_countries(country), since=since, full=full, progress=bar,
                                 every=every, retries=retries, base_url=base_url, limit=page_size)
        _render(rep, as_json)

    _loop(every, once)


@sync_group.command("ucdp")
@click.option("--release", required=True, help="GED release, e.g. 25.1.")
@click.option("--candidate", is_flag=True, help="Also the Candidate months after it (25.0.1, 25.0.2 ...).")
@click.option("--no-ged", is_flag=True, help="Only the Candidate months, not the GED release itself.")
@click.option("--country", help="ISO3 codes (the GED release is then kept as a partial extract).")
@click.option("--quota", type=click.IntRange(min=1), default=5000, show_default=True, help="Requests per day per token.")
@click.option("--every", help="Keep running: sync again every interval (1d, 1w).")
@click.option("--retries", type=click.IntRange(min=1), help="Tries per request on 5xx/dropped connections (default 6).")
@click.option("--base-url", help=URL_HELP)
@click.option("--json", "as_json", is_flag=True)
@home_option
@friendly
def sync_ucdp(release, candidate, no_ged, country, quota, every, retries, base_url, as_json, home):
    """UCDP: a GED release and/or the Candidate releases after it, each one snapshot."""
    obs = _obs(home)

    def once():
        with ProgressBar() as bar:
            rep = obs.sync.ucdp(release=release, candidate=candidate, ged=not no_ged,
                                countries=_countries(country) if country else None, quota=quota,
                                progress=bar, every=every, retries=retries, base_url=base_url)
        _render(rep, as_json)
        q = [r for r in obs.sync.status() if r["source"] == "ucdp"]
        if q and "quota_used_today" in q[0] and not as_json:
            click.echo(f"  quota: {q[0]['quota_used_today']:,} of {q[0]['quota']:,} requests used today (UTC)")

    _loop(every, once)


@sync_group.command("status")
@click.option("--json", "as_json", is_flag=True)
@home_option
@friendly
def sync_status(as_json, home):
    """Last sync per source, rows new/changed/deleted, next due, and whether the data is stale."""
    rows = _obs(home).sync.status()
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No syncs yet: run `sahelwatch sync acled --country ...` or `sahelwatch sync ucdp --release ...`.")
        return
    body = [[r["source"], r["last_sync"] or "never", r["snapshot"], r["scope"], r["new"], r["changed"], r["deleted"],
             r["next_due"] or "now",
             "interrupted: rerun to resume" if r["interrupted_run"] else ("STALE" if r["stale"] else "current")]
            for r in rows]
    out = console()
    out.print(table("Syncs", ["source", "last sync", "snapshot", "scope", "new", "changed", "deleted", "next due",
                              "state"], body, right={"snapshot", "new", "changed", "deleted"}))
    for r in rows:
        if "quota_used_today" in r:
            out.print(f"{r['source']}: {r['quota_used_today']:,} of {r['quota']:,} API requests used today (UTC)")


COMMANDS = [sync_group, credentials_group]
