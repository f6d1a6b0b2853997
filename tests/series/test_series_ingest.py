"""Series ingest on real files: accounting, quarantine reasons, vintages, as-of. Expected values are
plain Python sums over the files (csv / pyarrow), never the project's own code."""

from __future__ import annotations

import csv
import datetime as dt
from importlib import resources
from pathlib import Path

import pytest

from sahelwatch.domain.errors import UsageError

DATA = Path(__file__).parents[1] / "data"
WIDE = DATA / "schincariol_limits_conf_ged251_1989_2024.csv"
V2023 = DATA / "views_cm_actuals_2018_vintage2023.parquet"
V2024 = DATA / "views_cm_actuals_2018_vintage2024.parquet"
GW = {"Mali": "MLI", "Burkina Faso": "BFA", "Niger": "NER"}


def bundled_views() -> Path:
    return Path(str(resources.files("sahelwatch").joinpath("data", "views", "cm_ged_2018_2024.parquet")))


def wide_yearly() -> dict[tuple[str, int], float]:
    out: dict = {}
    with open(WIDE, encoding="utf-8") as fh:
        r = csv.reader(fh)
        head = next(r)
        for row in r:
            y = int(row[0][:4])
            for name, iso in GW.items():
                v = float(row[head.index(name)])
                out[(iso, y)] = out.get((iso, y), 0.0) + v
    return out


def views_rows(path, col):
    import pyarrow.parquet as pq

    return [(r["month_id"], r["country_id"], float(r[col])) for r in pq.read_table(path).to_pylist()]


def test_wide_ged251_yearly_totals_match_plain_python_and_published_figures(obs):
    rep = obs.ingest("series", WIDE, format="wide", value="fatalities_all", country_names="ucdp", name="ged_cm_251")
    c = rep.counts
    assert c["read"] == c["accepted"] + c["quarantined"] == 432 * 117 and c["quarantined"] == 0
    expected = wide_yearly()
    # the figures SOURCES.md quotes for Mali / Burkina Faso / Niger
    assert [expected[("MLI", y)] for y in (2019, 2022, 2024)] == [1197, 3612, 1897]
    assert [expected[("BFA", y)] for y in (2020, 2023, 2024)] == [1151, 5903, 4187]
    assert [expected[("NER", y)] for y in (2021, 2023, 2024)] == [1080, 494, 1222]
    agg = obs.aggregate(by="country", period="year", country="MLI,BFA,NER", source="series:ged_cm_251").to_polars()
    got = {(r["country_iso3"], r["period_start"].year): r["fatalities_all"] for r in agg.iter_rows(named=True)}
    assert got == expected
    assert agg["complete"].all() and agg.height == 3 * 36


def test_views_cm_months_and_ids_map_through_the_crosswalk(obs):
    rep = obs.ingest("series", bundled_views(), format="views-cm", name="views_cm")
    assert rep.counts["read"] == 14516 == rep.counts["accepted"] and rep.source == "series:views_cm"
    t = obs.series.table("views_cm", "fatalities_sb", country="MLI,NER,BFA")
    assert t.columns == ["series", "country_iso3", "gwno", "period", "period_kind", "measure", "value"]
    assert str(t.schema["period"]) == "Date"
    yearly: dict = {}
    for m, c, v in views_rows(bundled_views(), "ged_sb"):
        if c in (50, 78, 47):  # VIEWS ids of Mali, Niger, Burkina Faso
            y = 1980 + (m - 1) // 12
            yearly[(c, y)] = yearly.get((c, y), 0) + v
    assert [yearly[(50, y)] for y in range(2018, 2024)] == [521, 603, 580, 726, 1440, 1259]  # SOURCES.md
    assert [yearly[(47, 2023)], yearly[(78, 2020)]] == [4605, 537]
    got: dict = {}
    for r in t.iter_rows(named=True):
        got[(r["country_iso3"], r["period"].year)] = got.get((r["country_iso3"], r["period"].year), 0) + r["value"]
    ids = {"MLI": 50, "NER": 78, "BFA": 47}
    assert got == {(iso, y): yearly[(ids[iso], y)] for iso, y in got}
    assert set(t["gwno"].unique().to_list()) == {432, 436, 439}
    assert t.filter(t["country_iso3"] == "MLI")["period"].min() == dt.date(2018, 1, 1)  # month_id 457
    # fatalities_all = sb + ns + os
    a = obs.series.table("views_cm", "fatalities_all", country="MLI", start="2022-01-01", end="2022-12-31")
    assert a["value"].sum() == 1440 + 755 + 1455


def test_two_vintages_show_changed_cells_and_as_of_gives_each_back(obs):
    old, new = views_rows(V2023, "ged_sb"), views_rows(V2024, "outcome")
    o, n = {(m, c): v for m, c, v in old}, {(m, c): v for m, c, v in new}
    assert len(o) == len(n) == 2292
    raw_differ = sum(1 for k in o if k in n and o[k] != n[k])
    assert 0.09 < raw_differ / len(o) < 0.11  # "about 10% of 2018 cells" differ bit for bit...
    differ = sum(1 for k in o if k in n and round(o[k], 6) != round(n[k], 6))
    assert differ == 17  # ...but most of that is float noise (97.99999999999999 vs 98): 17 real revisions
    r1 = obs.ingest("series", V2023, format="views-cm", name="views_2018")
    r2 = obs.ingest("series", V2024, format="views-cm", name="views_2018")
    assert r2.counts["changed"] == differ and r2.counts["new"] == sum(1 for k in n if k not in o)
    ch = obs.series.changes("views_2018", r2.snapshot)
    assert ch.filter(ch["change"] == "changed").height == differ
    for snap, expect in ((r1.snapshot, o), (r2.snapshot, n)):
        t = obs.series.table("views_2018", "fatalities_sb", country="NER", as_of=snap)
        total = sum(v for (m, c), v in expect.items() if c == 78)
        assert t["value"].sum() == pytest.approx(total) and t.height == 12
    ner = [(r["period"].month, r["value"]) for r in obs.series.table("views_2018", country="NER", as_of=r1.snapshot)
           .iter_rows(named=True)]
    assert ner == [(m - 456, round(o[(m, 78)], 6)) for m in range(457, 469)]
    again = obs.ingest("series", V2024, format="views-cm", name="views_2018")
    assert again.snapshot is None and again.duplicate_of == r2.snapshot
    assert [s.kind for s in obs.snapshots()] == ["series", "series"]


def test_bad_rows_are_quarantined_with_their_reason_and_counted(obs, tmp_path):
    f = tmp_path / "views.csv"
    f.write_text("month_id,country_id,ged_sb,ged_ns,ged_os\n"
                 "457,50,10,0,1\n"      # good
                 "457,9999,1,0,0\n"     # unknown VIEWS id
                 "x,50,1,0,0\n"         # bad period
                 "458,50,-3,0,0\n"      # negative
                 "459,50,abc,0,0\n"     # not a number
                 "460,50,5,0,0\n460,50,6,0,0\n"  # same unit-period, different values
                 "461,50,7,0,0\n461,50,7,0,0\n",  # identical repeat: counted once
                 encoding="utf-8")
    rep = obs.ingest("series", f, format="views-cm")
    c = rep.counts
    assert (c["read"], c["accepted"], c["quarantined"]) == (9, 3, 6)
    q = obs.quarantine(rep.snapshot)
    reasons = {(r["line"], r["reason"].split(":")[0]) for r in q.iter_rows(named=True)}
    assert {(3, "unknown VIEWS country_id"), (4, "bad period"), (5, "negative value"), (6, "not a number")} <= reasons
    assert {r["line"] for r in q.iter_rows(named=True) if "different values" in r["reason"]} == {7, 8}
    t = obs.series.table(rep.source, "fatalities_sb")
    assert sorted(t["value"].to_list()) == [7.0, 10.0]


def test_wide_unknown_country_and_bad_dates_are_quarantined(obs, tmp_path):
    f = tmp_path / "wide.csv"
    f.write_text(",Mali,Atlantis,Niger\n2020-01-31,5,1,2\n2020-13-31,1,1,1\n2020-02-29,,0,3\n", encoding="utf-8")
    rep = obs.ingest("series", f, format="wide", value="fatalities_all", country_names="ucdp")
    c = rep.counts
    assert c["read"] == 8 and c["empty_cells"] == 1 and c["quarantined"] == 5 and c["accepted"] == 3
    q = obs.quarantine(rep.snapshot)
    assert q.filter(q["field"] == "Atlantis").height == 2
    assert q.filter(q["reason"].str.starts_with("bad period")).height == 3


def test_tidy_mapping_and_partial_ingest_marks_a_sample(obs, tmp_path):
    m = tmp_path / "series.yaml"
    m.write_text("columns: {unit: iso, period: year, value: deaths}\nmeasure: deaths\nperiod: year\n"
                 "unit_codes: iso3\n", encoding="utf-8")
    f = tmp_path / "t.csv"
    f.write_text("iso,year,deaths\nMLI,2020,10\nMLI,2021,12\nNER,2021,4\n", encoding="utf-8")
    rep = obs.ingest("series", f, format="tidy", mapping=m, name="mine")
    assert rep.counts["accepted"] == 3 and not obs.snapshots()[-1].sample
    g = tmp_path / "t2.csv"
    g.write_text("iso,year,deaths\nMLI,2022,15\n", encoding="utf-8")
    rep2 = obs.ingest("series", g, format="tidy", mapping=m, name="mine", partial=True)
    assert rep2.counts["kept"] == 3 and obs.snapshots()[-1].sample
    assert obs.series.table("mine")["value"].to_list() == [10.0, 12.0, 15.0, 4.0]
    assert obs.series.list()[0]["sample"] is True


def test_a_series_is_never_added_to_events(obs):
    obs.ingest("series", WIDE, format="wide", value="fatalities_all", name="ged_cm_251")
    with pytest.raises(UsageError, match="its own source"):
        obs.trend(measure="fatalities_all", country="MLI", source="series:ged_cm_251,ucdp")
    with pytest.raises(UsageError, match="no series"):
        obs.series.table("nope")


def test_a_file_of_the_wrong_format_is_refused_in_one_line_and_writes_nothing(obs, tmp_path):
    from click.testing import CliRunner

    from sahelwatch.cli.main import cli
    from sahelwatch.domain.errors import SourceFormatError

    with pytest.raises(SourceFormatError, match="not a VIEWS country-month file"):
        obs.ingest("series", WIDE, format="views-cm")
    assert obs.snapshots() == [] and not list(obs.home.glob("series/*.parquet"))
    out = CliRunner().invoke(cli, ["ingest", "series", str(WIDE), "--format", "wide", "--home", str(obs.home)])
    assert out.exit_code == 2 and out.output.count("\n") == 1 and "needs --value" in out.output
    out = CliRunner().invoke(cli, ["ingest", "series", str(WIDE), "--format", "wide", "--value", "deaths",
                                   "--country-names", "iso3", "--home", str(obs.home)])
    assert out.exit_code == 1 and "no column names a country" in out.output and out.output.count("\n") == 1


FEAT_2018 = Path("/work/shared/data/views/challenge2023_toboden/cm_features_to_oct2018.parquet")
FEAT_2024 = Path("/work/shared/data/views/challenge2024_kaylanhua/cm_features_2018_2024.parquet")


@pytest.mark.skipif(not (FEAT_2018.is_file() and FEAT_2024.is_file()), reason="shared VIEWS data not available")
def test_feature_vintages_count_revisions_cell_by_cell_and_partial_keeps_older_months(obs):
    import pyarrow.parquet as pq

    cols = ["month_id", "country_id", "ged_sb", "ged_ns", "ged_os"]

    def cells(path):
        out = {}
        for r in pq.read_table(path, columns=cols).to_pylist():
            vals = [round(float(r[c]), 6) for c in cols[2:]]
            for name, v in zip(("sb", "ns", "os"), vals):
                out[(r["month_id"], r["country_id"], name)] = v
            out[(r["month_id"], r["country_id"], "all")] = round(sum(vals), 6)
        return out

    old, new = cells(FEAT_2018), cells(FEAT_2024)
    changed = sum(1 for k in old if k in new and old[k] != new[k])
    absent = sum(1 for k in old if k not in new)  # Nov-Dec 2017: only in the older slice
    obs.ingest("series", FEAT_2018, format="views-cm", name="views_cm")
    rep = obs.ingest("series", FEAT_2024, format="views-cm", name="views_cm", partial=True)
    assert rep.counts["changed"] == changed and rep.counts["kept"] == absent == 2 * 191 * 4
    assert 0.005 < changed / sum(1 for k in old if k in new) < 0.03  # "~1% of ged_* cells" (SOURCES.md)
    t = obs.series.table("views_cm", "fatalities_sb", country="MLI", end="2017-12-31")
    assert t.height == 2  # the partial ingest kept the months the newer file lacks


INGEST = ("import sys, sahelwatch; sahelwatch.open(sys.argv[1]).ingest('series', sys.argv[2], format='wide', "
          "value='fatalities_all', name='ged')")


@pytest.mark.parametrize("point", ["moved", "committed"])
def test_a_series_ingest_killed_before_its_manifest_leaves_no_snapshot(tmp_path, point):
    import os
    import subprocess
    import sys

    import sahelwatch

    home = tmp_path / "h"
    sahelwatch.open(home)
    env = {**os.environ, "SAHELWATCH_CRASH_AT": point}
    proc = subprocess.run([sys.executable, "-c", INGEST, str(home), str(WIDE)], env=env)
    assert proc.returncode == -9  # SIGKILL at the checkpoint
    obs = sahelwatch.open(home)
    if point == "moved":  # parts written, no manifest: no snapshot, and the next ingest sweeps the parts
        assert obs.snapshots() == [] and list(home.glob("series/*.parquet"))
        rep = obs.ingest("series", WIDE, format="wide", value="fatalities_all", name="ged")
        assert rep.snapshot == 1 and [p.name for p in home.glob("series/*.parquet")] == ["000001-0000.parquet"]
    else:  # killed just after the manifest: the snapshot exists and is whole
        assert [s.source for s in obs.snapshots()] == ["series:ged"]
        assert obs.series.table("ged").height == 50544
