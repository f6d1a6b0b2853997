"""The registry's texts in French: every English text of the bundled registry has its French
twin; a user's file may leave them out, and French texts then fall back to English."""

import textwrap

import pytest

from sahelwatch.blocs import load_registry
from sahelwatch.blocs.charts import institutions_timeline_spec
from sahelwatch.domain.errors import RegistryError

CHARTER_EN = ("Liptako-Gourma Charter signed, establishing the Alliance of Sahel States "
              "(mutual defence, art. 6)")
CHARTER_FR = ("Signature de la Charte du Liptako-Gourma, qui institue l'Alliance des États du Sahel "
              "(défense mutuelle, art. 6)")


def test_bundled_registry_has_a_french_text_for_every_english_one(registry):
    assert registry.missing_french() == []


def test_french_twins_of_the_bundled_registry_are_french_not_copies(registry):
    same = [t.id for o in registry.organisations() for t in registry.timeline(o.id)
            if t.category == "milestone" and t.what_fr == t.what]
    assert same == []
    forces = [e for f in registry.foreign_forces() for e in f.events]
    assert len(forces) == 20 and all(e.what_fr != e.what for e in forces)


def test_timeline_carries_both_texts_of_a_milestone(registry):
    charter = next(t for t in registry.timeline("AES") if t.id == "AES-charter-2023")
    assert (charter.what, charter.what_fr) == (CHARTER_EN, CHARTER_FR)
    joined = next(t for t in registry.timeline("AES") if t.kind == "joined" and t.countries == ["MLI"])
    assert (joined.what, joined.what_fr) == ("MLI joins AES", "MLI : adhésion (AES)")
    sanction = next(t for t in registry.timeline("ECOWAS") if t.id == "ECOWAS-sanctions-NER-2023" and t.kind == "imposed")
    assert sanction.what_fr.startswith("Sanctions contre NER : Fermeture des frontières terrestres et aériennes")


def test_milestone_with_an_end_date_says_until_in_both_languages(registry):
    t = next(t for t in registry.timeline("AES") if t.id == "AES-parliament-experts-2025")
    assert t.what.endswith("(until 2025-08-15)") and t.what_fr.endswith("(jusqu'au 2025-08-15)")


def test_institutions_forces_and_dated_events_carry_french(registry):
    inst = {i.category: i for i in registry.institutions("AES", on="2025-12-31")}
    assert inst["joint_force"].what_fr.startswith("Le quartier général de la Force unifiée (FU-AES)")
    assert inst["stabilisation_fund"].note_fr.startswith("Aucun fonds de stabilisation de l'AES")
    assert inst["stabilisation_fund"].note.startswith("No AES stabilisation fund")
    usa = next(f for f in registry.foreign_forces(country="NER") if f.id == "USA-NER")
    assert (usa.partner_fr, usa.operation_fr.split(" (")[0]) == ("États-Unis", "Forces américaines au Niger")
    ev = registry.dated_event("FRA-NER-departure-2023")
    assert ev.what_fr == ("France (Forces françaises au Niger (environ 1\u202f500)) : Les derniers militaires français "
                          "quittent le Niger (document conjoint de désengagement signé à Niamey)")
    assert registry.dated_event("NER-coup-2023").what_fr == "Coup d'État (NER) : général Abdourahamane Tiani/Tchiani (CNSP)"


def test_institutions_chart_speaks_the_language_asked(registry):
    en = institutions_timeline_spec(registry, "AES", on="2025-12-31")
    fr = institutions_timeline_spec(registry, "AES", on="2025-12-31", lang="fr")
    assert en["title"]["text"] == "Alliance of Sahel States / Confederation of Sahel States: institutions"
    assert fr["title"]["text"] == "Alliance des États du Sahel / Confédération des États du Sahel : institutions"
    pts = {p["milestone"]: p for p in fr["datasets"]["milestones"]}
    assert pts["AES-passport-in-force-2025"]["what"].startswith("Mise en circulation des passeports de l'AES")
    assert {p["milestone"]: p["what"] for p in en["datasets"]["milestones"]}["AES-passport-in-force-2025"] == (
        "AES passports introduced (old ECOWAS-logo passports valid until expiry)")
    assert fr["usermeta"]["lang"] == "fr" and fr["datasets"]["segments"] == en["datasets"]["segments"]


def test_institutions_chart_tooltips_name_the_ids_in_french(registry):
    fr = institutions_timeline_spec(registry, "AES", on="2025-12-31", lang="fr")
    en = institutions_timeline_spec(registry, "AES", on="2025-12-31")
    segs, pts = fr["layer"]
    assert {t["field"] for t in pts["encoding"]["tooltip"]} >= {"stage_label", "confidence_label", "precision_label"}
    assert not {"stage", "confidence", "precision", "kind"} & {t["field"] for t in pts["encoding"]["tooltip"]}
    assert "'announced': 'annoncé'" in next(t["calculate"] for t in segs["transform"] if t["as"] == "stage_label")
    assert "'investment_bank': 'banque d’investissement'" in segs["transform"][0]["calculate"]
    assert all(t.get("format") == "%-d %B %Y" for t in segs["encoding"]["tooltip"] if t["type"] == "temporal")
    # English keeps the registry's ids and no transform
    assert "transform" not in en["layer"][0] and {t["field"] for t in en["layer"][1]["encoding"]["tooltip"]} >= {
        "stage", "kind"}


USER_FILE = """
organisations:
  - id: TST
    name: Test bloc
    not_found: ["No court found."]
    members: []
    milestones:
      - id: TST-founded
        kind: established
        date: "2020-01-01"
        what: founded at the first summit
        source: https://example.org/founded
        confidence: high
  - id: AES
    name: Sahel States (renamed in my file)
"""


def test_user_file_without_french_falls_back_to_english_and_is_listed(tmp_path):
    p = tmp_path / "my.yaml"
    p.write_text(textwrap.dedent(USER_FILE))
    reg = load_registry([p])
    assert sorted(reg.missing_french()) == ["AES.name", "TST-founded.what", "TST.name", "TST.not_found"]
    t = next(t for t in reg.timeline("TST") if t.id == "TST-founded")
    assert t.what_fr == t.what == "founded at the first summit"
    assert {i.category: i for i in reg.institutions("TST", on="2021-01-01")}["court"].note_fr == "No court found."
    # the bundled French name described the old English one: it is dropped, not kept beside the new name
    aes = reg.organisation("AES")
    assert (aes.name, aes.name_fr) == ("Sahel States (renamed in my file)", None)
    assert institutions_timeline_spec(reg, "AES", on="2025-12-31", lang="fr")["title"]["text"] == (
        "Sahel States (renamed in my file) : institutions")


def test_french_not_found_notes_must_match_the_english_ones(tmp_path):
    p = tmp_path / "my.yaml"
    p.write_text(textwrap.dedent(USER_FILE).replace(
        '    not_found: ["No court found."]\n', '    not_found: ["No court found."]\n    not_found_fr: ["a", "b"]\n'))
    with pytest.raises(RegistryError) as info:
        load_registry([p])
    assert (info.value.entry, info.value.field) == ("organisations[TST]", "not_found_fr")
    assert "2 French notes for 1 English ones" in str(info.value)
