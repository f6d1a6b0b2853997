"""``sahelwatch serve``: the dashboard and the JSON API on http://127.0.0.1:8000."""

from __future__ import annotations

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
@friendly
def serve_cmd(home, host, port, private, write_token_file, max_upload_mb):
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
    click.echo("Press Ctrl+C to stop.")
    server.serve(app, host, port)


COMMANDS = [serve_cmd]
