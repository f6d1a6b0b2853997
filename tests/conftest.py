"""Shared fixtures: real UCDP samples (checksummed) and hand-written ACLED-format rows.

No ACLED rows are shipped (ACLED's terms); ACLED-format rows here are written by
the tests themselves and labelled synthetic.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def _verify_checksums() -> None:
    for line in (DATA / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        actual = hashlib.sha256((DATA / name).read_bytes()).hexdigest()
        assert actual == digest, f"tests/data/{name} changed (sha256 {actual})"


_verify_checksums()


@pytest.fixture
def obs(tmp_path):
    import sahelwatch

    return sahelwatch.open(tmp_path / "home")


@pytest.fixture
def ged_sample() -> Path:
    return DATA / "ged231_sample1000_global.csv"


@pytest.fixture
def candidate() -> Path:
    return DATA / "GEDEvent_v23_0_10.csv"


@pytest.fixture
def ged191() -> Path:
    return DATA / "ged191_hdx_fixture_myanmar_bangladesh.csv"
