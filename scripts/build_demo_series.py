"""Rebuild the demo's bundled series files from the shared real data (reproducible trimming).

    python scripts/build_demo_series.py [/path/to/shared/data]

- ``src/sahelwatch/data/views/cm_ged_2018_2024.parquet``: the VIEWS 2024 challenge
  country-month file (``challenge2024_kaylanhua/cm_features_2018_2024.parquet``) cut to the
  columns the ``views-cm`` reader uses (month_id, country_id, gleditsch_ward, ged_sb, ged_ns,
  ged_os), rows in the original order, values unchanged.
- ``src/sahelwatch/data/ged_country_month/schincariol_limits_conf_ged251_1989_2024.csv``: a
  byte copy of the wide GED 25.1 country-month table.

The script prints each output's sha256; docs/series.md and data/CREDITS.md describe both files.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ["month_id", "country_id", "gleditsch_ward", "ged_sb", "ged_ns", "ged_os"]


def main(shared: Path) -> None:
    import pyarrow.parquet as pq

    src = shared / "views" / "challenge2024_kaylanhua" / "cm_features_2018_2024.parquet"
    out = ROOT / "src" / "sahelwatch" / "data" / "views" / "cm_ged_2018_2024.parquet"
    out.parent.mkdir(parents=True, exist_ok=True)
    table = pq.read_table(src, columns=COLUMNS)
    # fixed writer settings so a rebuild gives the same bytes
    pq.write_table(table, out, compression="zstd", compression_level=9, use_dictionary=True,
                   write_statistics=True, store_schema=False)
    wide_src = shared / "ged_country_month_derived" / "schincariol_limits_conf_ged251_1989_2024.csv"
    wide = ROOT / "src" / "sahelwatch" / "data" / "ged_country_month" / wide_src.name
    wide.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(wide_src, wide)
    for p in (out, wide):
        print(hashlib.sha256(p.read_bytes()).hexdigest(), p.relative_to(ROOT), f"{p.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/data"))
