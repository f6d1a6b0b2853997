"""A registry is validated on load; each error names the file, the entry and the field."""

import textwrap

import pytest

from sahelwatch.blocs import load_registry
from sahelwatch.domain.errors import RegistryError

GOOD_MILESTONE = """
      - id: TST-founded
        kind: established
        date: "2020-01-01"
        what: founded
        source: https://example.org/founded
        confidence: high
"""


def write(tmp_path, body: str, name: str = "my.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(body))
    return p


def org(members: str = "", milestones: str = GOOD_MILESTONE, extra: str = "") -> str:
    return (
        "organisations:\n  - id: TST\n    name: Test bloc\n" + extra
        + "    members:\n" + (members or "      []\n")
        + "    milestones:\n" + milestones
    )


def load_bad(path) -> RegistryError:
    with pytest.raises(RegistryError) as info:
        load_registry([path])
    err = info.value
    assert err.path == str(path)
    assert str(path) in str(err)
    return err


def test_unknown_country_code_is_named(tmp_path):
    p = write(tmp_path, org(members='      - {iso3: XYZ, joined: "2020-01-01", source: s, confidence: high}\n'))
    err = load_bad(p)
    assert (err.entry, err.field) == ("organisations[TST].members[XYZ]", "iso3")
    assert "unknown country code 'XYZ'" in str(err)


def test_member_leaving_before_joining(tmp_path):
    p = write(tmp_path, org(members='      - {iso3: MLI, joined: "2020-05-01", left: "2019-12", source: s, confidence: high}\n'))
    err = load_bad(p)
    assert (err.entry, err.field) == ("organisations[TST].members[MLI]", "left")
    assert "cannot leave before joining" in str(err)


def test_overlapping_membership_intervals(tmp_path):
    members = (
        '      - {iso3: NER, joined: "2000-01-01", left: "2010-06-01", source: s, confidence: high}\n'
        '      - {iso3: NER, joined: "2010", source: s, confidence: high}\n'
    )
    err = load_bad(write(tmp_path, org(members=members)))
    assert (err.entry, err.field) == ("organisations[TST].members[NER]", "joined")
    assert "overlap" in str(err)


def test_consecutive_intervals_do_not_overlap(tmp_path):
    members = (
        '      - {iso3: NER, joined: "2000-01-01", left: "2010-06-01", source: s, confidence: high}\n'
        '      - {iso3: NER, joined: "2010-06-01", source: s, confidence: high}\n'
    )
    reg = load_registry([write(tmp_path, org(members=members))])
    assert reg.is_member("TST", "NER", "2010-06-01") and reg.is_member("TST", "NER", "2010-05-31")


def test_milestone_without_source(tmp_path):
    ms = '      - {id: TST-x, kind: announced, date: "2021-03", what: something, confidence: low}\n'
    err = load_bad(write(tmp_path, org(milestones=ms)))
    assert (err.entry, err.field) == ("organisations[TST].milestones[TST-x]", "source")
    assert "every fact needs a source" in str(err)


def test_milestone_with_blank_source(tmp_path):
    ms = '      - {id: TST-x, kind: announced, date: "2021-03", what: something, source: "  ", confidence: low}\n'
    err = load_bad(write(tmp_path, org(milestones=ms)))
    assert err.field == "source" and "needs a source" in str(err)


def test_milestone_with_unknown_kind(tmp_path):
    ms = '      - {id: TST-x, kind: rumoured, date: "2021-03-02", what: w, source: s, confidence: low}\n'
    err = load_bad(write(tmp_path, org(milestones=ms)))
    assert (err.entry, err.field) == ("organisations[TST].milestones[TST-x]", "kind")
    assert "unknown milestone kind 'rumoured'" in str(err) and "treaty_signed" in str(err)


def test_bad_date_and_unknown_field_and_bad_confidence(tmp_path):
    ms = '      - {id: TST-x, kind: announced, date: "21 March", what: w, source: s, confidence: low}\n'
    err = load_bad(write(tmp_path, org(milestones=ms), "a.yaml"))
    assert err.field == "date" and "YYYY-MM-DD" in str(err)
    ms = '      - {id: TST-x, kind: announced, date: "2021", what: w, source: s, confidence: low, sorce: t}\n'
    err = load_bad(write(tmp_path, org(milestones=ms), "b.yaml"))
    assert err.field == "sorce" and "unknown field" in str(err)
    ms = '      - {id: TST-x, kind: announced, date: "2021", what: w, source: s, confidence: sure}\n'
    err = load_bad(write(tmp_path, org(milestones=ms), "c.yaml"))
    assert err.field == "confidence"


def test_suspension_outside_membership(tmp_path):
    members = ('      - {iso3: MLI, joined: "2020-01-01", left: "2021-01-01", source: s, confidence: high,\n'
               '         suspensions: [{from: "2022-01-01", source: s, confidence: high}]}\n')
    err = load_bad(write(tmp_path, org(members=members)))
    assert (err.entry, err.field) == ("organisations[TST].members[MLI].suspensions[#1]", "from")


def test_dangling_founding_reference_and_duplicate_ids(tmp_path):
    err = load_bad(write(tmp_path, org(extra="    founding: TST-nope\n"), "a.yaml"))
    assert (err.entry, err.field) == ("organisations[TST]", "founding")
    dup = GOOD_MILESTONE.replace("TST-founded", "AES-charter-2023")
    err = load_bad(write(tmp_path, org(milestones=dup), "b.yaml"))
    assert err.field == "id" and "AES-charter-2023" in str(err)


def test_all_problems_are_reported_not_only_the_first(tmp_path):
    members = (
        '      - {iso3: XYZ, joined: "2020-01-01", source: s, confidence: high}\n'
        '      - {iso3: MLI, joined: "2020-05-01", left: "2019", source: s, confidence: high}\n'
    )
    err = load_bad(write(tmp_path, org(members=members)))
    assert "1 more problem" in str(err) and "cannot leave before joining" in str(err)


def test_yaml_syntax_error_names_the_line(tmp_path):
    err = load_bad(write(tmp_path, "organisations:\n  - id: [unclosed\n"))
    assert err.entry == "(file)" and err.field.startswith("line ")


def test_missing_file(tmp_path):
    err = load_bad(tmp_path / "nope.yaml")
    assert "cannot read" in str(err)


def test_user_file_adds_and_overrides_entries(tmp_path):
    p = write(tmp_path, """
        organisations:
          - id: AES
            members:
              - {iso3: TCD, joined: "2026-01-01", source: "my notes", confidence: low}
            milestones:
              - id: AES-passport-announced-2024
                kind: announced
                date: "2024-09-17"
                what: Passport announced (day from the Reuters report)
                source: my reading of Reuters, 17 Sep 2024
                confidence: medium
          - id: TST
            name: Test bloc
            founding: TST-founded
            members:
              - {iso3: SEN, joined: "2020-01-01", source: s, confidence: high}
            milestones:
""" + textwrap.indent(textwrap.dedent(GOOD_MILESTONE), "              "))
    reg = load_registry([p])
    assert {m.iso3 for m in reg.members("AES", on="2026-02-01")} == {"MLI", "BFA", "NER", "TCD"}
    assert str(reg.milestone("AES-passport-announced-2024").date) == "2024-09-17"
    assert reg.milestone(("AES", "founding")).id == "AES-charter-2023"  # untouched
    assert [m.iso3 for m in reg.members("TST", on="2021-01-01")] == ["SEN"]
    assert reg.files[-1] == str(p)


def test_replace_swaps_a_whole_organisation(tmp_path):
    p = write(tmp_path, """
        organisations:
          - id: AES
            name: AES (my version)
            replace: true
            members:
              - {iso3: MLI, joined: "2023-09-16", source: s, confidence: high}
    """)
    reg = load_registry([p])
    assert [m.iso3 for m in reg.members("AES", on="2024-01-01")] == ["MLI"]
    assert reg.founding("AES") is None
