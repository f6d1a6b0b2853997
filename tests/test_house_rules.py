"""House rules: a small public surface, a light import, one exception root, docs in step."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sahelwatch

ROOT = Path(__file__).parent.parent


def test_public_surface_matches_the_checked_in_list():
    listed = (Path(__file__).parent / "public_api.txt").read_text().split()
    assert sorted(sahelwatch.__all__) == sorted(listed)


def test_import_sahelwatch_stays_light():
    code = ("import sys, sahelwatch; heavy = [m for m in ('polars', 'duckdb', 'pyarrow', 'pandas', 'shapely', 'numpy')"
            " if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_every_error_has_one_root_and_a_builtin():
    errors = [getattr(sahelwatch, n) for n in sahelwatch.__all__ if (n.endswith("Error") and n != "SahelwatchError") or n == "SnapshotNotFound"]
    for e in errors:
        assert issubclass(e, sahelwatch.SahelwatchError)
        assert any(issubclass(e, b) for b in (ValueError, LookupError, RuntimeError)), e


def test_data_dictionary_is_generated_from_the_schema():
    from sahelwatch.domain import schema

    assert (ROOT / "docs" / "data-dictionary.md").read_text() == schema.markdown()


def test_cli_reference_is_generated_from_help():
    # a fresh interpreter: click caches each command's help option on first use
    out = subprocess.run([sys.executable, "-m", "sahelwatch.cli.reference"], capture_output=True,
                         text=True, check=True).stdout
    assert (ROOT / "docs" / "cli.md").read_text() == out


def test_readme_documents_every_command():
    from sahelwatch.cli.main import cli

    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    for name in cli.commands:
        assert f"sahelwatch {name}" in readme, f"README does not mention `sahelwatch {name}`"
