import json

from sahelwatch.blocs.charts import institutions_timeline_spec
from sahelwatch.blocs.models import INSTITUTIONS


def _keys(obj):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield k, v
            yield from _keys(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _keys(v)


def test_institutions_spec_is_self_contained_vega_lite(registry):
    spec = institutions_timeline_spec(registry, "AES", on="2025-12-31")
    json.dumps(spec)  # plain JSON
    pairs = list(_keys(spec))
    # no remote data, no schema URL: everything needed is inline
    assert not [k for k, _ in pairs if k in ("url", "$schema", "href")]
    for key, value in pairs:
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            assert key == "source", (key, value)  # sources are text shown in tooltips, never fetched
    assert spec["usermeta"]["vega_lite_version"] == "5"
    assert {layer["data"]["name"] for layer in spec["layer"]} <= set(spec["datasets"])
    assert spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == list(INSTITUTIONS)


def test_institutions_spec_data_carry_source_confidence_and_precision(registry):
    spec = institutions_timeline_spec(registry, "AES", on="2025-12-31")
    points = spec["datasets"]["milestones"]
    passport = next(p for p in points if p["milestone"] == "AES-passport-announced-2024")
    assert passport["date_recorded"] == "2024-09" and passport["precision"] == "month"
    assert passport["source"].startswith("https://") and passport["confidence"] == "medium"
    bars = [s for s in spec["datasets"]["segments"] if s["category"] == "joint_force"]
    assert bars[-1]["stage"] == "operational" and bars[-1]["end"] == "2025-12-31"


def test_dissolved_bloc_shows_defunct_institutions(registry):
    spec = institutions_timeline_spec(registry, "G5_SAHEL", on="2025-01-01")
    defunct = [s for s in spec["datasets"]["segments"] if s["stage"] == "defunct"]
    assert {s["category"] for s in defunct} == {"secretariat", "joint_force"}
    assert all(s["start"] == "2023-12-06" for s in defunct)
