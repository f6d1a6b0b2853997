"""One smoke test per `sahelwatch blocs` command (behaviour is tested at the library)."""

import json

import pytest
from click.testing import CliRunner

from sahelwatch.cli.blocs import blocs_group


def run(*args, ok=True):
    res = CliRunner().invoke(blocs_group, list(args))
    if ok:
        assert res.exit_code == 0, res.output
    return res


def test_list():
    out = json.loads(run("list", "--on", "2025-06-01", "--format", "json").output)
    ids = {o["id"]: o for o in out["organisations"]}
    assert {"AES", "ECOWAS", "G5_SAHEL", "EAC", "UEMOA", "ALG", "AU", "MINUSMA"} <= set(ids)
    assert ids["AES"]["founding"] == "2023-09-16" and ids["AES"]["founding_confidence"] == "high"
    assert "ECOWAS" in run("list").output


def test_members_json_and_table():
    out = json.loads(run("members", "ECOWAS", "--on", "2025-06-01", "--format", "json").output)
    assert not {"MLI", "BFA", "NER"} & {m["iso3"] for m in out["members"]}
    assert {"MLI", "BFA", "NER"} <= {m["iso3"] for m in out["not_members"]}
    assert "exclusive" in out["rule"] and out["members"][0]["joined_fact"]["source"]
    table = run("members", "AES", "--on", "2023-09-15").output
    assert "did not exist yet" in table and "2023-09-16" in table


def test_timeline_json():
    out = json.loads(run("timeline", "AES", "--format", "json").output)
    assert out["timeline"][0]["date"] == "2023-09-16"
    assert all(t["fact"]["source"] and t["fact"]["confidence"] for t in out["timeline"])
    assert "Liptako-Gourma" in run("timeline", "AES").output


def test_institutions_table_json_and_chart():
    table = run("institutions", "AES", "--on", "2025-12-31").output
    assert "joint_force" in table and "operational" in table
    out = json.loads(run("institutions", "AES", "--on", "2025-12-31", "--format", "json").output)
    assert {i["category"]: i["state"] for i in out["institutions"]}["court"] == "announced"
    spec = json.loads(run("institutions", "AES", "--on", "2025-12-31", "--format", "vega-lite").output)
    assert "datasets" in spec and "layer" in spec


@pytest.fixture
def events_file(tmp_path, events):
    p = tmp_path / "events.parquet"
    events.write_parquet(p)
    return str(p)


def test_compare(events_file):
    out = json.loads(run("compare", "AES", "G5_SAHEL", "EAC", "--events-file", events_file,
                         "--months", "36", "--format", "json").output)
    assert "15th" in out["rule_text"] and len(out["rows"]) == 108
    table = run("compare", "ECOWAS", "--align", "ECOWAS-exit-2025", "--months-before", "20", "--months", "1",
                "--membership", "on:2025-06-01", "--events-file", events_file).output
    assert "on:2025-06-01" in table and "fixed" in table


def test_event_study(tmp_path):
    import polars as pl

    rows = [{"source": "acled", "country_iso3": "NER", "date_start": f"{y}-{m:02d}-10",
             "fatalities_best": 10 + (20 if (y, m) > (2023, 7) else 0) + m % 3}
            for y in (2022, 2023, 2024) for m in range(1, 13)]
    p = tmp_path / "ev.csv"
    pl.DataFrame(rows).write_csv(p)
    out = json.loads(run("event-study", "--event", "NER-coup-2023", "--window", "12",
                         "--events-file", str(p), "--format", "json").output)
    assert out["ci_low"] <= out["difference"] <= out["ci_high"] and "not causal" in out["caveat"]
    assert "not causal" in run("event-study", "--event", "NER-coup-2023", "--events-file", str(p)).output


def test_events_forces_coups():
    assert "NER-coup-2023" in run("events", "--country", "NER").output
    forces = json.loads(run("forces", "--country", "MLI", "--on", "2024-06-01", "--format", "json").output)
    assert [f["id"] for f in forces["forces"]] == ["RUS-wagner-MLI"]
    assert "Tiani" in run("coups", "--country", "NER").output


def test_errors_are_one_clean_message(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text('organisations:\n  - {id: X, name: X, members: [{iso3: QQQ, joined: "2020", source: s, confidence: high}]}\n')
    res = run("--registry", str(bad), "members", "X", ok=False)
    assert res.exit_code == 1 and "QQQ" in res.output and str(bad) in res.output
    # a bad argument exits 2, like every sahelwatch command
    res = run("members", "SADC", ok=False)
    assert res.exit_code == 2 and "unknown bloc" in res.output
    res = run("members", "AES", "--on", "2024-13-01", ok=False)
    assert res.exit_code == 2 and "YYYY-MM-DD" in res.output


def test_registry_option_and_env(tmp_path, monkeypatch):
    extra = tmp_path / "extra.yaml"
    extra.write_text('organisations:\n  - id: AES\n    members:\n      - {iso3: TCD, joined: "2026-01-01", source: mine, confidence: low}\n')
    out = json.loads(run("--registry", str(extra), "members", "AES", "--on", "2026-02-01", "--format", "json").output)
    assert "TCD" in {m["iso3"] for m in out["members"]}
    monkeypatch.setenv("SAHELWATCH_BLOCS_REGISTRY", str(extra))
    out = json.loads(run("members", "AES", "--on", "2026-02-01", "--format", "json").output)
    assert "TCD" in {m["iso3"] for m in out["members"]}


def test_every_command_is_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "blocs.md").read_text("utf-8")
    for name in blocs_group.commands:
        assert f"sahelwatch blocs {name}" in doc, name


def test_timeline_and_institutions_tables_in_french():
    fr = run("timeline", "AES", "--lang", "fr").output
    assert "Signature de la Charte du Liptako-Gourma," in fr and "MLI : adhésion (AES)" in fr
    assert "Liptako-Gourma Charter signed" not in fr
    assert "Non trouvé : Aucun fonds de stabilisation de l'AES" in fr
    en = run("timeline", "AES").output
    assert "Liptako-Gourma Charter signed," in en and "Signature de la Charte" not in en
    inst = run("institutions", "AES", "--on", "2025-12-31", "--lang", "fr").output
    assert "Inauguration de la BCID-AES à" in inst
    spec = json.loads(run("institutions", "AES", "--on", "2025-12-31", "--format", "vega-lite", "--lang", "fr").output)
    assert spec["title"]["text"] == "Alliance des États du Sahel / Confédération des États du Sahel : institutions"
