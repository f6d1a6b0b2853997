"""The bloc section of a brief: the registry's milestone and institution texts in the brief's language."""

import pytest

from sahelwatch.report.i18n import NNBSP


@pytest.fixture(scope="module")
def aes_2023_09(demo_obs):
    return {lang: demo_obs.briefs.build(bloc="AES", period="2023-09", lang=lang).html() for lang in ("en", "fr")}


@pytest.fixture(scope="module")
def aes_2025_12(demo_obs):
    return {lang: demo_obs.briefs.build(bloc="AES", period="2025-12", lang=lang).html() for lang in ("en", "fr")}


def test_french_brief_has_the_french_text_of_the_charter_milestone(aes_2023_09):
    en, fr = aes_2023_09["en"], aes_2023_09["fr"]
    assert ("<time>2023-09-16</time> — Signature de la Charte du Liptako-Gourma, qui institue "
            "l&#x27;Alliance des États du Sahel (défense mutuelle, art. 6)") in fr
    assert "Liptako-Gourma Charter signed" not in fr and "confiance élevée" in fr
    assert ("<time>2023-09-16</time> — Liptako-Gourma Charter signed, establishing the Alliance of Sahel States "
            "(mutual defence, art. 6)") in en
    assert "Charte du Liptako-Gourma" not in en
    assert "— MLI : adhésion (AES)" in fr.replace(NNBSP, " ") and "— MLI joins AES" in en


def test_french_brief_institution_lines_are_french_with_french_spacing(aes_2025_12):
    en, fr = aes_2025_12["en"], aes_2025_12["fr"]
    assert (f"<li>banque d&#x27;investissement{NNBSP}: en fonctionnement (<time>2025-12-23</time>) — "
            "Inauguration de la BCID-AES à Bamako") in fr
    assert "<li>investment_bank: operational (<time>2025-12-23</time>) — BCID-AES inaugurated in Bamako" in en
    # French spacing inside the registry's text: "(...) ; lancement officiel des opérations"
    assert f"(général de brigade Daouda Traoré, Burkina Faso){NNBSP}; lancement officiel des opérations" in fr
