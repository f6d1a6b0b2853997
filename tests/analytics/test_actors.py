"""Actor names across sources through the alias table (built-in data, user files)."""

from __future__ import annotations

import collections
import json

import pytest
from analytics import warning_fixtures as wf
from sw_rows import acled_row, write_csv

from sahelwatch.analytics.actors import load_aliases
from sahelwatch.domain.errors import RegistryError, UsageError

ACLED_NAMES = [
    ("JNIM: Group for Support of Islam and Muslims", "Rebel group", "2024-01-15"),
    ("JNIM: Group for Support of Islam and Muslims", "Rebel group", "2024-02-03"),
    ("Islamic State (Sahel)", "Rebel group", "2024-03-01"),
    ("Wagner Group", "External/Other forces", "2023-05-02"),
    ("Africa Corps", "External/Other forces", "2024-09-10"),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    d = tmp_path_factory.mktemp("actors")
    rows = [acled_row(i, event_date=day, year=day[:4], actor2=name, inter2=inter, assoc_actor_1="",
                      timestamp=1_710_000_000 + i) for i, (name, inter, day) in enumerate(ACLED_NAMES, 1)]
    f = write_csv(d / "acled.csv", rows)
    return wf.open_store(d / "home", ("ucdp-candidate", wf.CANDIDATE, {}), ("ucdp", wf.GED_SAMPLE, {"partial": True}),
                         ("acled", f, {}))


def _side_counts(path, name: str):
    """Events naming ``name`` on either side (UCDP joins several actors of a side with ', ')."""
    n, days = 0, []
    for r in wf.read_rows(path):
        if name in r["side_a"].split(", ") + r["side_b"].split(", "):
            n += 1
            days.append(wf.day(r["date_start"]))
    return n, min(days), max(days)


def test_search_jnim_finds_every_source_name_with_counts(store):
    df = store.actors(search="JNIM").to_polars()
    got = {(r["name"], r["source"]): r for r in df.iter_rows(named=True)}
    assert set(df["canonical"].to_list()) == {"JNIM"}
    for source, path in (("ucdp_candidate", wf.CANDIDATE), ("ucdp_ged", wf.GED_SAMPLE)):
        n, first, last = _side_counts(path, "JNIM")
        r = got[("JNIM", source)]
        assert (r["events"], r["first_date"], r["last_date"]) == (n, first, last)
    acled = got[("JNIM: Group for Support of Islam and Muslims", "acled")]
    assert (acled["events"], str(acled["first_date"])) == (2, "2024-01-15")
    assert acled["type"] == "non_state_armed_group" and acled["matched_by"] == "table"


@pytest.mark.parametrize("query", ["GSIM", "jama'at nusrat al-islam", "Jamāʿat Nuṣrat al-Islām wal-Muslimīn", "jnim"])
def test_search_ignores_case_accents_and_uses_aliases(store, query):
    assert set(store.actors(search=query).to_polars()["canonical"].to_list()) == {"JNIM"}


def test_ucdp_is_is_split_by_country(store):
    df = store.actors(search="Islamic State").to_polars()
    by = collections.defaultdict(set)
    for r in df.iter_rows(named=True):
        by[r["canonical"]].update(r["countries"].split(","))
    expected = collections.defaultdict(set)
    for path in (wf.CANDIDATE, wf.GED_SAMPLE):
        for r in wf.read_rows(path):
            if "IS" in r["side_a"].split(", ") + r["side_b"].split(", ") and r["country"] in wf.SAHEL:
                iso = wf.SAHEL[r["country"]]
                diffa = iso == "NER" and r["adm_1"].startswith("Diffa")
                expected["ISWAP" if iso in ("NGA", "TCD") or diffa else "IS Sahel"].add(iso)
    assert expected["IS Sahel"] <= by["IS Sahel"] and expected["ISWAP"] <= by["ISWAP"]
    assert "MLI" in by["IS Sahel"] and "NGA" in by["ISWAP"]


def test_wagner_and_africa_corps_are_one_actor(store):
    df = store.actors(search="wagner").to_polars()
    assert set(df["name"].to_list()) == {"Wagner Group", "Africa Corps"}
    assert set(df["canonical"].to_list()) == {"Wagner Group / Africa Corps"} and set(df["type"].to_list()) == {"foreign_force"}


def test_state_forces_and_unclear_sides():
    t = load_aliases()
    assert t.canonical("Military Forces of Mali (2021-)") == t.canonical("Government of Mali") == "State forces of Mali"
    assert t.resolve("XXX475", "NGA")[0].type == "unidentified"
    assert t.resolve("Government of Sudan")[0].type == "state"
    assert t.canonical("Dozos (Mali)", "MLI") == t.canonical("Dozo Communal Militia (Mali)") == "Dozo militia (Mali)"
    assert t.canonical("FLA: Azawad Liberation Front") == t.canonical("Front de Libération de l'Azawad") == "FLA"
    assert t.canonical("IS", "NER", "Diffa region") == "ISWAP" and t.canonical("IS", "NER", "Tillabéri") == "IS Sahel"
    assert t.canonical("IS", "LBY") == "IS (branch unspecified)"
    assert t.canonical("Civilians (Burkina Faso)") == "Civilians"


def test_user_alias_file_extends_the_table(store, tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text("actors:\n"
                 "  - canonical: JNIM\n    aliases: [Katiba Serma]\n"
                 "  - canonical: Jama'atu Ansarul (test)\n    type: militia\n    aliases: [Ifon community]\n",
                 encoding="utf-8")
    t = store.actor_aliases([f]).to_polars()
    assert "Katiba Serma" in t.filter(t["canonical"] == "JNIM")["aliases"].to_list()[0]
    df = store.actors(search="ifon", aliases=[f]).to_polars()
    assert set(df["canonical"].to_list()) == {"Jama'atu Ansarul (test)"} and set(df["type"].to_list()) == {"militia"}
    assert store.actors(search="ifon").to_polars()["matched_by"].to_list() == ["none"]


@pytest.mark.parametrize("text, where", [
    ("actors:\n  - canonical: X\n    type: warlord\n", "actors[X]: type: unknown type 'warlord'"),
    ("actors:\n  - canonical: X\n    type: militia\n    colour: red\n", "actors[X]: colour: unknown field"),
    ("actors:\n  - type: militia\n", "actors[0]: canonical: missing"),
    ("actors:\n  - canonical: X\n    type: militia\n    countries: [ZZZ]\n", "actors[X]: countries: unknown country code 'ZZZ'"),
    ("actors:\n  - canonical: X\n    type: militia\n    aliases: [{name: IS, admin1: [Diffa]}]\n",
     "actors[X].aliases[0]: admin1: an admin1 scope needs `countries` too"),
    ("actors:\n  - canonical: X\n    type: militia\n    aliases: [GSIM]\n  - canonical: Y\n    type: militia\n"
     "    aliases: [GSIM]\n", "actors[Y]: aliases: alias 'gsim' also names 'X' in the same scope"),
    ("actors:\n  - canonical: X\n    type: [militia\n", "-: yaml: line"),
    ("actors:\n  - canonical: Brand new\n    aliases: [Z]\n", "actors[Brand new]: type: missing"),
])
def test_invalid_alias_files_name_file_entry_and_field(store, tmp_path, text, where):
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as e:
        store.actors(aliases=[f])
    assert str(e.value).startswith(f"{f}: ") and where in str(e.value)


def test_bad_input(store, tmp_path):
    with pytest.raises(UsageError, match="empty --search"):
        store.actors(search="  ")
    with pytest.raises(UsageError, match="no such file"):
        store.actors(aliases=[tmp_path / "missing.yaml"])
    with pytest.raises(UsageError, match=r"unknown source 'gdelt' \(not in the store\) \(valid: acled, ucdp"):
        store.actors(source="gdelt")


def test_cli_actors(store, tmp_path):
    from click.testing import CliRunner

    from sahelwatch.cli.main import cli

    home = str(store.home)
    r = CliRunner().invoke(cli, ["actors", "--search", "JNIM", "--home", home, "--format", "json"])
    assert r.exit_code == 0, r.output
    assert {row["canonical"] for row in json.loads(r.output)["rows"]} == {"JNIM"}
    r = CliRunner().invoke(cli, ["actors", "--search", "GSIM", "--home", home])
    assert r.exit_code == 0 and "JNIM" in r.output
    r = CliRunner().invoke(cli, ["actors", "--table", "--search", "azawad", "--home", home])
    assert r.exit_code == 0 and "FLA" in r.output and "CMA" in r.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("actors:\n  - canonical: X\n    type: warlord\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["actors", "--aliases", str(bad), "--home", home])
    assert r.exit_code == 1 and r.output.count("\n") == 1 and "type: unknown type 'warlord'" in r.output
