"""Hand-written ACLED-format rows for tests (labelled synthetic; no ACLED rows are shipped)."""

from __future__ import annotations

import csv
from pathlib import Path

ACLED_HEADER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]


def acled_row(i: int = 1, **kw) -> dict:
    """One synthetic ACLED-format row (Mali), overridable field by field."""
    row = {
        "event_id_cnty": f"MLI{i}", "event_date": "2024-01-15", "year": "2024", "time_precision": "1",
        "disorder_type": "Political violence", "event_type": "Battles", "sub_event_type": "Armed clash",
        "actor1": "Military Forces of Mali (2021-)", "assoc_actor_1": "Wagner Group",
        "inter1": "State forces", "actor2": "JNIM: Group for Support of Islam and Muslims",
        "assoc_actor_2": "", "inter2": "Rebel group", "interaction": "State forces-Rebel group",
        "civilian_targeting": "", "iso": "466", "region": "Western Africa", "country": "Mali",
        "admin1": "Mopti", "admin2": "Djenne", "admin3": "Djenne", "location": "Djenne",
        "latitude": "13.9061", "longitude": "-4.5533", "geo_precision": "1",
        "source": "sahelwatch synthetic", "source_scale": "National",
        "notes": f"[SYNTHETIC] On 15 January 2024, clash {i} near Djenne.", "fatalities": "3",
        "tags": "", "timestamp": "1705500000",
    }
    row.update({k: str(v) for k, v in kw.items()})
    return row


def write_csv(path: Path, rows: list[dict], header: list[str] | None = None, encoding: str = "utf-8") -> Path:
    header = header or (list(rows[0]) if rows else ACLED_HEADER)
    with open(path, "w", newline="", encoding=encoding) as fh:
        w = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def revise_export(first: Path, second: Path, every: int, fatalities) -> int:
    """Write ``second``: the ACLED-format export ``first`` with every ``every``-th row revised as
    ACLED revises (``fatalities(old) -> new``, a later timestamp). The number of rows revised."""
    with open(first, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows[::every]:
        r["fatalities"], r["timestamp"] = str(fatalities(int(r["fatalities"]))), str(int(r["timestamp"]) + 1000)
    write_csv(second, rows)
    return len(rows[::every])
