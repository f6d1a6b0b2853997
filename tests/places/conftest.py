"""Shared helpers for the places tests: real GED rows from the shared data (or tests/data)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
LOCAL = ROOT / "tests" / "data"


def ged_files() -> list[Path]:
    """Every GED-format CSV: the shared data folder when present, else the checked-in copies."""
    if (SHARED / "ucdp").is_dir():
        files = sorted((SHARED / "ucdp").glob("*.csv")) + sorted((SHARED / "ucdp_candidate").glob("*.csv"))
    else:
        files = sorted(LOCAL.glob("*.csv"))
    return files


def read_ged(path: Path):
    import polars as pl

    return pl.read_csv(path, infer_schema_length=0)


@pytest.fixture(scope="session")
def ged_rows():
    """All GED rows that carry priogrid_gid, with their file name (strings as in the files)."""
    import polars as pl

    frames = []
    for f in ged_files():
        df = read_ged(f)
        if "priogrid_gid" not in df.columns:
            continue
        frames.append(
            df.select("id", "latitude", "longitude", "priogrid_gid", "country_id", "where_prec", "adm_1", "best",
                      "country").with_columns(pl.lit(f.name).alias("file"))
        )
    return pl.concat(frames)
