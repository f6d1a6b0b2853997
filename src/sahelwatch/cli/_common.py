"""What every command shares: the --home option, error handling, progress, tables."""

from __future__ import annotations

import functools
import sys

import click

from ..domain.errors import SahelwatchError, UsageError

home_option = click.option(
    "--home", envvar="SAHELWATCH_HOME", type=click.Path(file_okay=False),
    help="Store directory (default $SAHELWATCH_HOME, else ~/.sahelwatch).")


def friendly(fn):
    """Turn sahelwatch errors into one line on stderr and an exit code; never a traceback."""

    @functools.wraps(fn)
    def wrapper(*a, **k):
        try:
            return fn(*a, **k)
        except UsageError as e:
            click.echo(f"Error: {e}", err=True)
            sys.exit(2)
        except SahelwatchError as e:
            click.echo(f"Error: {e}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted; the store is unchanged unless a snapshot was reported.", err=True)
            sys.exit(130)

    return wrapper


def console(stderr: bool = False):
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # Piped output is not cut to 80 columns: tables stay readable in files and CI logs.
    return Console(stderr=stderr, highlight=False, width=None if stream.isatty() else 140)


class ProgressBar:
    """A rich progress bar on stderr fed by the core's ``progress(stage, done, total)`` callback."""

    LABELS = {"read": "Reading", "validate": "Validating", "version": "Versioning",
              "write": "Writing Parquet", "commit": "Committing", "forecast": "Forecasting", "generate": "Generating"}

    def __init__(self, enabled: bool = True):
        self.enabled = enabled and sys.stderr.isatty()
        self._p = None
        self._task = None

    def __enter__(self):
        if self.enabled:
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._p = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                               TimeElapsedColumn(), console=console(stderr=True), transient=True)
            self._p.__enter__()
            self._task = self._p.add_task("Starting", total=None)
        return self

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if self._p is None:
            return
        label = self.LABELS.get(stage, stage)
        if total:
            label += f" ({total:,} rows)"
        elif done:
            label += f" ({done:,} rows so far)"
        self._p.update(self._task, description=label, completed=done, total=total or None)

    def __exit__(self, *exc):
        if self._p is not None:
            self._p.__exit__(*exc)


def table(title: str, columns: list[str], rows: list[list], *, right: set[str] = frozenset()):
    from rich.table import Table

    t = Table(title=title, title_justify="left")
    for c in columns:
        t.add_column(c, justify="right" if c in right else "left")
    for r in rows:
        t.add_row(*["" if v is None else (f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else str(v)) for v in r])
    return t
