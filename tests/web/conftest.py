"""Fixtures of the API tests: the demo store, a store with generated ACLED-format rows,
and a real server on the demo store (see ``sw_web``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sw_web import FORMULA_LOCATION, FORMULA_NOTE, Server, cli


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("web") / "demo"
    cli("demo", "--home", home)
    return home


@pytest.fixture(scope="session")
def demo_obs(demo_home):
    import sahelwatch

    return sahelwatch.open(demo_home, create=False)


@pytest.fixture(scope="session")
def server(demo_home):
    s = Server(demo_home)
    yield s
    err = s.stop()
    assert "Traceback" not in err, err


@pytest.fixture(scope="session")
def acled_file(tmp_path_factory) -> Path:
    """3,000 generated ACLED-format rows (synthetic), one of them with a formula-looking note."""
    import csv

    folder = tmp_path_factory.mktemp("acled")
    raw, path = folder / "generated.csv", folder / "acled_synthetic.csv"
    cli("generate", "acled", "--rows", 3000, "--seed", 7, "-o", raw, "--start", "2023-01-01", "--end", "2023-12-31")
    with open(raw, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[0]["notes"] = FORMULA_NOTE
    rows[1]["location"] = FORMULA_LOCATION
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture(scope="session")
def acled_home(tmp_path_factory, acled_file) -> Path:
    """The demo store plus generated ACLED rows."""
    home = tmp_path_factory.mktemp("web") / "acled"
    cli("demo", "--home", home)
    cli("ingest", "acled", acled_file, "--home", home)
    return home
