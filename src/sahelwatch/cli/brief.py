"""``sahelwatch brief``: a situation brief of a bloc or a country, as HTML, PDF or JSON figures."""

from __future__ import annotations

import sys

import click

from ._common import friendly, home_option


@click.command("brief")
@click.option("--bloc", help="Bloc (AES, ECOWAS, G5_SAHEL...): its member states in the period.")
@click.option("--country", help="One ISO3 code (BFA).")
@click.option("--period", required=True, help="YYYY-MM (a month) or YYYY (a year).")
@click.option("--compare-to", help="Period to compare with (default: the one before).")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help="Language of the brief (French typography with fr).")
@click.option("--source", help="ucdp (default when present), acled, ucdp_ged, ucdp_candidate...")
@click.option("--as-of", type=int, help="Snapshot id: what the store held right after it.")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "json"]),
              help="html, pdf or json (the figures with their commands); default: from -o's suffix, else html.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (html and json: default stdout).")
@home_option
@friendly
def brief_cmd(bloc, country, period, compare_to, lang, source, as_of, fmt, output, home):
    """A dated brief where every figure links to the command that reproduces it."""
    import sahelwatch

    from ..domain.errors import UsageError

    fmt = fmt or (output.rsplit(".", 1)[-1].lower() if output and "." in output else "html")
    if fmt not in ("html", "pdf", "json"):
        raise UsageError(f"cannot tell the format from {output!r}: pass --format", choices=["html", "pdf", "json"])
    if fmt == "pdf" and not output:
        raise UsageError("--format pdf needs -o FILE.pdf")
    obs = sahelwatch.open(home, create=False)
    b = obs.briefs.build(bloc=bloc, country=country, period=period, compare_to=compare_to, lang=lang,
                         source=source, as_of=as_of)
    if output:
        b.write(output, fmt)
        state = "" if b.has_data else "; no data for the period, a short brief says so"
        click.echo(f"Wrote {output}: {b.data.unit.id} {b.data.period.label} ({lang}), {len(b.figures)} figures "
                   f"from snapshot {b.data.as_of}{state}", err=True)
        return
    import json

    sys.stdout.write(b.html() if fmt == "html" else json.dumps(b.to_dict(), ensure_ascii=False, indent=1,
                                                               default=str))


COMMANDS = [brief_cmd]
