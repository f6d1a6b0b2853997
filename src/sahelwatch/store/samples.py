"""Which snapshots hold a sample, not a complete record.

A snapshot is a sample when its manifest says so (``sample: true``: set by
``--sample`` and by every ``--partial`` ingest), or when its file is one the
project knows to be a sample, recognised by sha256 whatever its name or
however it was ingested (stores built before the flag existed included).
Record and slope claims standing on a sample say "in this sample".
"""

from __future__ import annotations

#: sha256 -> what the file is
KNOWN_SAMPLES = {
    "8aa8f5da9bf6af7e64b81883f3f87451a2d0773886e8776ea3bd38a0681162ec":
        "ged231_sample1000_global.csv: a random global sample of 1,000 UCDP GED 23.1 events",
    "4a3fa4794463f48838cee2fad1aeda9386f076b3516099376563d374b07936a4":
        "ged231_sample_sahel_subset.csv: the Sahel rows of the 1,000-event GED 23.1 sample",
}
PARTIAL_WARNING = "partial file:"


def is_sample(snap) -> bool:
    return bool(getattr(snap, "sample", False)) or snap.sha256 in KNOWN_SAMPLES or any(
        w.startswith(PARTIAL_WARNING) for w in (snap.warnings or []))


def _replaces(snap) -> bool:
    """A complete file that replaces its source's earlier state (a full GED release, a full series file)."""
    return (snap.source == "ucdp_ged" or snap.kind == "series") and not is_sample(snap)


def sample_files(snaps, sources=None, as_of: int | None = None) -> list[str]:
    """File names of the sample snapshots whose data are still current (of ``sources`` when given),
    oldest first. A sample of GED or of a series stops counting once a complete file replaced it."""
    live = [s for s in snaps if (as_of is None or s.id <= as_of) and (sources is None or s.source in sources)]
    out = []
    for i, s in enumerate(live):
        if not is_sample(s) or s.file in out:
            continue
        if any(_replaces(t) and t.source == s.source for t in live[i + 1:]):
            continue
        out.append(s.file)
    return out


__all__ = ["KNOWN_SAMPLES", "is_sample", "sample_files"]
