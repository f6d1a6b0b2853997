"""The shipped registry pins the key dates of issue 4."""

import datetime as dt

import pytest

from sahelwatch.domain.errors import UsageError

AES3 = {"MLI", "BFA", "NER"}


def codes(statuses):
    return {s.iso3 for s in statuses}


def test_ecowas_exit_of_mali_burkina_niger_takes_effect_2025_01_29(registry):
    assert AES3 <= codes(registry.members("ECOWAS", on="2025-01-28"))
    after = codes(registry.members("ECOWAS", on="2025-06-01"))
    assert not (AES3 & after)
    assert {"NGA", "SEN", "GHA", "CIV"} <= after
    assert not registry.is_member("ECOWAS", "MLI", on="2025-01-29")
    ms = registry.milestone("ECOWAS-exit-2025")
    assert str(ms.date) == "2025-01-29" and ms.confidence == "high" and ms.source.startswith("https://")


def test_aes_has_no_members_before_the_liptako_gourma_charter(registry):
    assert registry.members("AES", on="2023-09-15") == []
    assert codes(registry.members("AES", on="2023-09-16")) == AES3
    founding = registry.milestone(("AES", "founding"))
    assert founding.id == "AES-charter-2023" and str(founding.date) == "2023-09-16"


def test_suspended_states_are_still_members(registry):
    on = dt.date(2023, 10, 1)
    assert registry.is_member("ECOWAS", "MLI", on) and registry.is_suspended("ECOWAS", "MLI", on)
    assert AES3 | {"GIN"} == codes(registry.suspended("ECOWAS", on))
    assert not AES3 & codes(registry.members("ECOWAS", on, include_suspended=False))
    st = registry.status("ECOWAS", "MLI", on)
    assert st.suspension.start == "2021-05-30" and st.suspension.fact.confidence == "high"
    assert registry.is_member("AU", "MLI", "2024-01-01") and registry.is_suspended("AU", "MLI", "2024-01-01")
    # Mali's first ECOWAS suspension was lifted on 2020-10-06; the AU's on 2020-10-09
    assert not registry.is_suspended("ECOWAS", "MLI", "2020-10-06")
    assert registry.is_suspended("AU", "MLI", "2020-10-08")
    assert not registry.is_suspended("AU", "MLI", "2020-10-09")
    assert not registry.is_suspended("AU", "TCD", "2021-06-01")  # Chad was not suspended


def test_g5_sahel_exits_and_dissolution(registry):
    assert codes(registry.members("G5_SAHEL", on="2022-05-14")) == {"MRT", "TCD", "MLI", "BFA", "NER"}
    assert codes(registry.members("G5", on="2022-05-15")) == {"MRT", "TCD", "BFA", "NER"}
    assert codes(registry.members("G5_SAHEL", on="2023-12-01")) == {"MRT", "TCD", "BFA", "NER"}
    assert codes(registry.members("G5_SAHEL", on="2023-12-02")) == {"MRT", "TCD"}
    assert registry.members("G5_SAHEL", on="2024-06-01") == []
    d = registry.dissolution("G5_SAHEL")
    assert d.id == "G5-dissolution-2023" and str(d.date) == "2023-12-06"
    st = registry.status("G5_SAHEL", "TCD", "2024-06-01")
    assert not st.member and st.ended_by_dissolution
    bfa = registry.status("G5_SAHEL", "BFA", "2024-01-01")
    assert bfa.left == "2023-12-02" and bfa.left_fact.confidence == "medium"


def test_month_and_year_precision_is_kept_and_exposed(registry):
    passport = registry.milestone("AES-passport-announced-2024")
    assert str(passport.date) == "2024-09" and passport.date.precision == "month"
    cpv = registry.status("ECOWAS", "CPV", "1977-06-01")
    assert cpv.member and cpv.joined == "1977" and cpv.joined_precision == "year"
    assert cpv.boundary_uncertain  # any day of 1977 is uncertain for a year-precision join
    assert not registry.is_member("ECOWAS", "CPV", "1976-12-31")
    # Mauritania left ECOWAS in "2000-12": a member through the end of December 2000
    assert registry.is_member("ECOWAS", "MRT", "2000-12-31")
    assert registry.status("ECOWAS", "MRT", "2000-12-15").boundary_uncertain
    assert not registry.is_member("ECOWAS", "MRT", "2001-01-01")


def test_every_fact_keeps_source_and_confidence(registry):
    for org in registry.organisations():
        for t in registry.timeline(org.id):
            assert t.fact.source.strip() and t.fact.confidence in ("high", "medium", "low"), t
    for e in registry.dated_events():
        assert e.fact.source and e.fact.confidence
    ecowas_mli = registry.status("ECOWAS", "MLI", "2020-01-01")
    assert ecowas_mli.joined_fact.confidence == "low"  # 1975 join only implied in the reference
    assert ecowas_mli.left_fact.confidence == "high"


def test_timeline_lists_memberships_suspensions_milestones_and_coups(registry):
    items = registry.timeline("ECOWAS")
    kinds = {(t.category, t.kind) for t in items}
    assert {("membership", "joined"), ("membership", "left"), ("membership", "exit_announced"),
            ("suspension", "suspended"), ("milestone", "in_force"), ("sanction", "imposed"), ("coup", "coup")} <= kinds
    assert [t.day for t in items] == sorted(t.day for t in items)
    coup_ids = {t.id for t in items if t.category == "coup"}
    assert {"NER-coup-2023", "MLI-coup-2020"} <= coup_ids and "GAB-coup-2023" not in coup_ids


def test_institutions_of_aes_at_end_of_2025(registry):
    inst = {i.category: i for i in registry.institutions("AES", on="2025-12-31")}
    assert set(inst) == {"secretariat", "parliament", "court", "joint_force", "investment_bank", "common_market",
                         "customs_union", "monetary_union", "passport", "stabilisation_fund"}
    assert inst["joint_force"].state == "operational" and inst["joint_force"].size_troops == 5000
    assert inst["investment_bank"].state == "operational"
    assert inst["passport"].state == "operational"
    assert inst["parliament"].state == "announced"
    assert inst["court"].state == "announced"
    assert inst["stabilisation_fund"].state == "none_recorded" and "stabilisation" in inst["stabilisation_fund"].note
    early = {i.category: i for i in registry.institutions("AES", on="2024-03-06")}
    assert early["joint_force"].state == "announced" and early["passport"].state == "none_recorded"
    sept = {i.category: i for i in registry.institutions("AES", on="2024-09-10")}
    assert sept["passport"].state == "announced" and sept["passport"].uncertain  # "2024-09" month precision


def test_g5_institutions_are_defunct_after_dissolution(registry):
    inst = {i.category: i for i in registry.institutions("G5_SAHEL", on="2024-01-01")}
    assert inst["joint_force"].state == "defunct" and inst["joint_force"].last_stage == "established"
    before = {i.category: i for i in registry.institutions("G5_SAHEL", on="2020-01-01")}
    assert before["joint_force"].state == "established" and before["secretariat"].state == "established"


def test_foreign_forces_on_a_day(registry):
    on_2023 = {f.id for f in registry.foreign_forces(on="2023-10-15")}
    assert on_2023 == {"FRA-NER", "RUS-wagner-MLI", "UN-MINUSMA-MLI"}
    mli_2024 = {f.partner for f in registry.foreign_forces(country="MLI", on="2024-06-01")}
    assert mli_2024 == {"Russia"}
    assert {f.id for f in registry.foreign_forces(country="MLI", on="2025-07-01")} == {"RUS-africa-corps-MLI"}
    us = registry.foreign_forces(country="NER", partner="United States")[0]
    assert us.start is None and not us.start_known and us.end == "2024-08-05"


def test_coups_and_dated_events(registry):
    assert [c.id for c in registry.coups(country="BFA")] == ["BFA-coup-2022-01", "BFA-coup-2022-09"]
    ev = registry.dated_event("NER-coup-2023")
    assert ev.day == dt.date(2023, 7, 26) and ev.countries == ["NER"]
    ids = [e.id for e in registry.dated_events()]
    assert len(ids) == len(set(ids))


def test_milestone_lookup_by_bloc_and_kind_or_tag(registry):
    assert registry.milestone(("EAC", "founding")).id == "EAC-in-force-2000"
    assert registry.milestone("AES", "treaty_signed").id == "AES-charter-2023"  # earliest of that kind
    assert registry.milestone(("ECOWAS", "exit")).id == "ECOWAS-AES-exit-announced-2024"
    with pytest.raises(UsageError, match="no milestone matching"):
        registry.milestone(("AES", "monetary_union"))


def test_unknown_bloc_lists_the_choices(registry):
    with pytest.raises(UsageError, match="unknown bloc 'SADC'.*ECOWAS"):
        registry.members("SADC", on="2020-01-01")
    assert registry.organisation("g5").id == "G5_SAHEL"
