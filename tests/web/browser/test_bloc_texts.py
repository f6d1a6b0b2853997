"""The registry's texts on the bloc page and the dashboard's institutions chart, the rules and the
credits the API states, follow the page's language, and the switch re-renders them without a reload."""

from __future__ import annotations

from sw_browser import Tab

# the rules' sentences as the page shows them (the API gives both: rule, rule_fr)
RULES_EN = ("Membership on a day: a state is a member", "A milestone counts from the first day of its period",
            "A presence opens at its deployment event")
MEMBER_RULE_FR = "Appartenance à une date : un État est membre de sa date d'adhésion (`joined`, incluse)"
INSTITUTION_RULE_FR = "Un jalon compte à partir du premier jour de sa période"
FORCES_RULE_FR = "Une présence commence à son déploiement ou, faute de déploiement enregistré"
CHARTER_EN = "Liptako-Gourma Charter signed, establishing the Alliance of Sahel States (mutual defence, art. 6)"
CHARTER_FR = ("Signature de la Charte du Liptako-Gourma, qui institue l'Alliance des États du Sahel "
              "(défense mutuelle, art. 6)")
NNBSP = "\u202f"


def test_bloc_page_shows_the_registry_texts_in_the_page_language(browser, web):
    t = Tab(browser, web.url, locale="en-GB")
    try:
        page = t.open("/bloc/AES?on=2025-12-31")
        ms = page.inner_text("#milestones")
        assert CHARTER_EN in ms and CHARTER_FR not in ms
        assert "French forces in Niger (~1,500)" in page.inner_text("#coups-forces")
        assert "collective-defence alliance (2023)" in page.inner_text("#bloc-kind")
        assert "Alliance of Sahel States / Confederation of Sahel States: institutions" in page.inner_text(
            "#chart-institutions")
        assert page.inner_text("#institutions-rule").startswith(RULES_EN[1])
        assert page.inner_text("#forces-rule").startswith(RULES_EN[2])

        t.settle(lambda: page.click("#lang-fr"))
        ms = page.inner_text("#milestones")
        assert CHARTER_FR in ms and CHARTER_EN not in ms
        cf = page.inner_text("#coups-forces")
        assert f"France : Forces françaises au Niger (environ 1{NNBSP}500)" in cf
        assert "Appartenance à une date : un État est membre" in page.inner_text("#members-rule")
        assert "général Abdourahamane Tiani/Tchiani (CNSP) — président Mohamed Bazoum" in cf
        assert "alliance de défense collective (2023), puis confédération (2024)" in page.inner_text("#bloc-kind")
        assert "Alliance des États du Sahel / Confédération des États du Sahel : institutions" in page.inner_text(
            "#chart-institutions")
        assert any("/institutions?" in u and "lang=fr" in u for u in t.requests)
        assert MEMBER_RULE_FR in page.inner_text("#members-rule")
        assert page.inner_text("#institutions-rule").startswith(INSTITUTION_RULE_FR)
        assert page.inner_text("#forces-rule").startswith(FORCES_RULE_FR)
        body = page.inner_text("body")
        assert not [r for r in RULES_EN if r in body], "an English rule on the French page"
        assert "Noms de lieux : GeoNames" in body and "Place names" not in body and "(domaine public)" in body
        assert "1er novembre 2024" in ms  # the ratification by Mali's CNT: French writes the first as 1er

        t.settle(lambda: page.click("#lang-en"))
        assert CHARTER_EN in page.inner_text("#milestones")
        assert page.inner_text("#forces-rule").startswith(RULES_EN[2])
        assert "Place names: GeoNames" in page.inner_text("#attribution")
        assert ": institutions" in page.inner_text("#chart-institutions")
        assert " : institutions" not in page.inner_text("#chart-institutions")
        assert t.blocked == [] and t.csp_violations() == [] and t.console_errors == []
    finally:
        t.close()


def test_dashboard_institutions_chart_follows_the_language(browser, web):
    t = Tab(browser, web.url, locale="fr-FR")
    try:
        page = t.open("/?bloc=AES")
        assert "Alliance des États du Sahel / Confédération des États du Sahel : institutions" in page.inner_text(
            "#chart-institutions")
        assert page.inner_text("#institutions-rule").startswith(INSTITUTION_RULE_FR)
        assert "Banque mondiale, WDI SP.POP.TOTL (valeurs approchées, arrondies)" in page.inner_text("#compare-note")
        assert page.locator("#f-country option[value='TCD']").inner_text() == "Tchad (TCD)"
        assert "UCDP GED 25.1, dérivé par T. Schincariol" in page.inner_text("#f-as_of")
        body = page.inner_text("body")
        assert not [r for r in RULES_EN if r in body], "an English rule on the French page"
        assert "Contours des pays : Made with Natural Earth (domaine public)" in body
        assert page.get_attribute(".maplibregl-ctrl-zoom-in", "title") == "Zoom avant"
        t.settle(lambda: page.click("#lang-en"))
        assert "Alliance of Sahel States / Confederation of Sahel States: institutions" in page.inner_text(
            "#chart-institutions")
        assert page.inner_text("#institutions-rule").startswith(RULES_EN[1])
        assert "World Bank WDI SP.POP.TOTL (approx., rounded)" in page.inner_text("#compare-note")
        assert page.locator("#f-country option[value='TCD']").inner_text() == "Chad (TCD)"
        assert "Country outlines: Made with Natural Earth (public domain)" in page.inner_text("#attribution")
        assert page.get_attribute(".maplibregl-ctrl-zoom-in", "title") == "Zoom in"
        assert t.blocked == [] and t.csp_violations() == []
    finally:
        t.close()


def test_institutions_chart_names_categories_stages_and_confidence_in_french(browser, web):
    t = Tab(browser, web.url, locale="fr-FR")
    try:
        page = t.open("/bloc/AES?on=2025-12-31")
        text = page.inner_text("#chart-institutions")
        for word in ("force conjointe", "banque d\u2019investissement", "opérationnel", "élevée", "annoncé"):
            assert word in text, word
        assert "joint_force" not in text and "operational" not in text
        assert t.console_errors == []
    finally:
        t.close()
