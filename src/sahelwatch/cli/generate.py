"""``sahelwatch generate``: write a seeded synthetic ACLED or UCDP file (a shell over the fixtures library)."""

from __future__ import annotations

import click


@click.command("generate")
@click.argument("kind", type=click.Choice(["acled", "ucdp", "ucdp-candidate"]))
@click.option("--rows", "-n", type=click.IntRange(min=0), required=True, help="Number of events to write.")
@click.option("--seed", "-s", type=click.IntRange(min=0), default=0, show_default=True,
              help="Random seed; the same seed and options give a byte-identical file.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), required=True,
              help="CSV file to write.")
@click.option("--layout", default=None,
              help="ACLED: current | old | population (default current). UCDP: 49 | 42 (default 49).")
@click.option("--date-style", type=click.Choice(["iso", "export"]), default="iso", show_default=True,
              help="ACLED event_date as 2024-01-15 (iso) or 15 January 2024 (export tool).")
@click.option("--inter-style", type=click.Choice(["text", "numeric"]), default="text", show_default=True,
              help="ACLED inter1/inter2/interaction as labels or numeric codes.")
@click.option("--start", default=None, help="First event date (YYYY-MM-DD).")
@click.option("--end", default=None, help="Last event date (YYYY-MM-DD).")
@click.option("--release", default="25.1", show_default=True, help="UCDP release recorded in the summary.")
def generate_cmd(kind, rows, seed, output, layout, date_style, inter_style, start, end, release):
    """Write a synthetic ACLED-format or UCDP-format CSV file (every row marked synthetic).

    KIND is acled, ucdp (GED) or ucdp-candidate.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..domain.errors import SahelwatchError
    from ..fixtures.generator import generate_acled, generate_ucdp

    dates = {k: v for k, v in (("start", start), ("end", end)) if v is not None}
    console = Console(stderr=True)
    with Progress(TextColumn("[bold]generating {task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(kind, total=rows)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            if kind == "acled":
                summary = generate_acled(output, rows, seed, layout=layout or "current", date_style=date_style,
                                         inter_style=inter_style, progress=progress, **dates)
            else:
                summary = generate_ucdp(output, rows, seed, kind="ged" if kind == "ucdp" else "candidate",
                                        layout=layout or "49", release=release, progress=progress, **dates)
        except SahelwatchError as err:
            raise click.ClickException(str(err)) from err
    click.echo(f"wrote {summary['rows']:,} synthetic {kind} rows ({summary['bytes'] / 1e6:,.1f} MB, "
               f"{summary['columns']} columns, seed {summary['seed']}) to {summary['path']}")
