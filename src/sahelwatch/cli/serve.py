"""``sahelwatch serve``: the dashboard and the JSON API on http://127.0.0.1:8000."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import friendly, home_option


@click.command("serve")
@home_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Anything but loopback exposes the store to the network.")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--private", is_flag=True,
              help="Show ACLED event rows, notes and raw downloads (one user, loopback host only).")
@click.option("--write-token-file", type=click.Path(dir_okay=False),
              help="File holding the token that enables POST /api/v1/ingest (chmod 600).")
@click.option("--max-upload-mb", type=float, default=200, show_default=True, help="Largest upload accepted.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes (more serve more concurrent users on more cores; each holds its own caches).")
@friendly
def serve_cmd(home, host, port, private, write_token_file, max_upload_mb, workers):
    """Serve the dashboard and the JSON API (read-only unless a write token is given)."""
    from ..web import server

    app, address = server.prepare(home, host=host, port=port, private=private,
                                  write_token_file=write_token_file, max_upload_mb=max_upload_mb)
    ctx = app.state.sw
    click.echo(f"sahelwatch dashboard at {address}/  (API: {address}/api/v1/, store: {ctx.home})")
    if write_token_file:
        click.echo("Write endpoints enabled (POST /api/v1/ingest with the token).")
    if not server.is_loopback_host(host):
        click.echo(f"Warning: {host} is reachable from other machines; the API is read-only"
                   + ("" if not write_token_file else " except for token holders") + ".", err=True)
    if workers > 1:
        click.echo(f"{workers} worker processes.")
    click.echo("Press Ctrl+C to stop.")
    server.serve(app, host, port, workers=workers,
                 options={"home": str(ctx.home), "private": private,
                          "write_token_file": str(Path(write_token_file).resolve()) if write_token_file else None,
                          "max_upload_mb": max_upload_mb})


COMMANDS = [serve_cmd]
