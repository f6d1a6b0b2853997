"""The CLI reference (docs/cli.md), generated from each command's --help."""

from __future__ import annotations

import click


def _walk(cmd: click.Command, path: list[str]):
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name in sorted(cmd.commands):
            yield from _walk(cmd.commands[name], path + [name])


def markdown() -> str:
    from .main import cli

    parts = ["# CLI reference", "",
             "Generated from `--help` by `python -m sahelwatch.cli.reference > docs/cli.md`.", ""]
    for path, cmd in _walk(cli, ["sahelwatch"]):
        # the group's context settings (-h/--help) apply to every command, as when run
        ctx = click.Context(cmd, info_name=" ".join(path), terminal_width=100, max_content_width=100,
                            **cli.context_settings)
        parts += [f"## `{' '.join(path)}`", "", "```", cmd.get_help(ctx), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(markdown())
