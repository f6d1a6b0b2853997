"""Trends on real long series, and honest records: which year is the record for each AES state and the
bloc (computed here in plain Python from the files), "in this sample" wherever a sample is used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from series.test_series_ingest import V2023, WIDE, wide_yearly

from sahelwatch.cli.main import cli

AES = ("MLI", "BFA", "NER")


def plain_record(yearly: dict[int, float]) -> tuple[int, bool, int | None]:
    years = sorted(yearly)
    latest, prior = years[-1], years[:-1]
    is_record = yearly[latest] > max(yearly[y] for y in prior)
    since = None if is_record else max(y for y in prior if yearly[y] >= yearly[latest])
    return latest, is_record, since


@pytest.fixture
def ged(obs):
    obs.ingest("series", WIDE, format="wide", value="fatalities_all", country_names="ucdp", name="ged_cm_251")
    return obs


def test_record_year_per_aes_state_matches_plain_python(ged):
    wy = wide_yearly()
    res = ged.trend(measure="fatalities_all", period="year", country=",".join(AES), source="series:ged_cm_251")
    rows = {r["country_iso3"]: r for r in res.to_polars().iter_rows(named=True)}
    for iso in AES:
        yearly = {y: v for (c, y), v in wy.items() if c == iso}
        latest, is_record, since = plain_record(yearly)
        r = rows[iso]
        assert (r["latest_period"], r["is_record"], r["record_since"]) == (str(latest), is_record,
                                                                            None if since is None else str(since))
        assert r["n_periods"] == 36 and r["latest_value"] == yearly[latest]
        assert r["slope_low_pct"] < r["slope_pct"] < r["slope_high_pct"]
    # what the data say: Niger's 2024 is a record; Burkina Faso and Mali peaked earlier
    assert rows["NER"]["is_record"] and rows["BFA"]["record_since"] == "2023" and not rows["MLI"]["is_record"]
    assert rows["NER"]["answer_en"].startswith("Niger: 2024 is a record, the highest of 36 complete years (1989–2024)")
    assert "1\u202f222 morts" in rows["NER"]["answer_fr"] and "36 années complètes" in rows["NER"]["answer_fr"]
    assert not rows["NER"]["sample"] and "complete file" in rows["NER"]["coverage"]


def test_aes_bloc_record_matches_plain_python_sum_of_its_states(ged):
    wy = wide_yearly()
    bloc = {y: sum(wy[(c, y)] for c in AES) for y in range(1989, 2025)}
    latest, is_record, since = plain_record(bloc)
    res = ged.trend(measure="fatalities_all", period="year", bloc="AES", membership="on:2024-12-31",
                    source="series:ged_cm_251")
    r = res.to_polars().row(0, named=True)
    assert (r["bloc"], r["latest_value"], r["is_record"], r["record_since"]) == ("AES", bloc[latest], is_record,
                                                                                 str(since))
    assert (latest, since, bloc[2023], bloc[2024]) == (2024, 2023, 8470, 7306)
    assert "membership rule 'on:2024-12-31'" in res.meta["membership_rule"]


def test_dynamic_membership_counts_aes_only_from_its_founding(ged):
    res = ged.trend(measure="fatalities_all", period="year", bloc="AES", source="series:ged_cm_251")
    r = res.to_polars().row(0, named=True)
    # AES (charter 16 Sep 2023) counts from October 2023: 2023 is incomplete, 2024 the only complete year
    assert r["n_periods"] == 1 and r["latest_period"] == "2024" and r["complete_years"] == 1
    assert "the only complete period" in r["answer_en"] and "Caution: this stands on only 1 complete year(s)" in r["answer_en"]
    assert "AES has member states only from 2023-10" in r["answer_en"] and "à partir de 2023-10" in r["answer_fr"]
    month = ged.aggregate(by="bloc", bloc="AES", period="month", source="series:ged_cm_251",
                          start="2023-09-01", end="2023-12-31").to_polars()
    # September 2023 has no member state: no row (not a zero)
    assert month["period"].to_list() == ["2023-10", "2023-11", "2023-12"] and month["members"].to_list() == [3, 3, 3]
    wy_oct = _wide_month("2023-10-31")
    assert month["fatalities_all"][0] == sum(wy_oct[c] for c in ("Mali", "Burkina Faso", "Niger"))


def _wide_month(day: str) -> dict[str, float]:
    import csv

    with open(WIDE, encoding="utf-8") as fh:
        r = csv.reader(fh)
        head = next(r)
        for row in r:
            if row[0] == day:
                return {h: float(v) for h, v in zip(head[1:], row[1:])}
    raise AssertionError(day)


def test_event_trend_on_the_bundled_sample_says_in_this_sample_everywhere(obs, ged_sample, tmp_path):
    obs.ingest("ucdp", ged_sample, release="23.1")  # no flag: recognised by its sha256
    res = obs.trend(measure="fatalities_best", period="year", country="NGA", source="ucdp")
    r = res.to_polars().row(0, named=True)
    assert r["sample"] and r["record_text"].startswith("In this sample, ")
    assert r["answer_en"].startswith("In this sample, Nigeria") and r["answer_fr"].startswith("Dans cet échantillon")
    assert any("is a sample" in c for c in r["caveats"]) and res.meta["sample"] is True
    home = str(obs.home)
    out = CliRunner().invoke(cli, ["trend", "--country", "NGA", "--source", "ucdp", "--home", home])
    assert out.exit_code == 0 and "(in this sample)" in out.output and "- In this sample, " in out.output
    js = CliRunner().invoke(cli, ["trend", "--country", "NGA", "--source", "ucdp", "--format", "json", "--home", home])
    doc = json.loads(js.output)
    assert doc["meta"]["sample"] and doc["rows"][0]["record_text"].startswith("In this sample")
    sm = CliRunner().invoke(cli, ["summary", "--json", "--home", home])
    assert all(row["sample"] for row in json.loads(sm.output))


def test_a_record_over_fewer_than_five_years_says_so(obs):
    obs.ingest("series", V2023, format="views-cm", name="v2018")
    res = obs.trend(measure="fatalities_sb", period="month", country="NER", source="series:v2018")
    r = res.to_polars().row(0, named=True)
    assert r["complete_years"] == 1
    assert "only 1 complete year(s) of coverage" in r["record_text"]
    assert "Caution: this stands on only 1 complete year(s)" in r["answer_en"] and "Attention" in r["answer_fr"]
    assert any("fewer than 5" in c for c in r["caveats"])


def test_cli_ingest_series_list_and_trend(tmp_path):
    home = str(tmp_path / "h")
    run = CliRunner()
    out = run.invoke(cli, ["ingest", "series", str(WIDE), "--format", "wide", "--value", "fatalities_all",
                           "--country-names", "ucdp", "--period", "month", "--name", "ged_cm_251", "--home", home])
    assert out.exit_code == 0, out.output
    assert "rows read 50,544 = accepted 50,544 + quarantined 0" in out.output
    ls = json.loads(run.invoke(cli, ["series", "--json", "--home", home]).output)
    assert ls[0]["source"] == "series:ged_cm_251" and ls[0]["first"] == "1989-01-01" and ls[0]["last"] == "2024-12-01"
    tr = run.invoke(cli, ["trend", "--bloc", "AES", "--membership", "on:2024-12-31", "--measure", "fatalities_all",
                          "--period", "year", "--source", "series:ged_cm_251", "--home", home])
    assert tr.exit_code == 0 and "AES" in tr.output and "since 2023" in tr.output
    bad = run.invoke(cli, ["ingest", "series", str(WIDE), "--home", home])
    assert bad.exit_code == 2 and "needs --format" in bad.output
    snaps = json.loads(run.invoke(cli, ["snapshots", "--json", "--home", home]).output)
    assert snaps[0]["kind"] == "series" and snaps[0]["sha256"]


def test_demo_prints_the_answer_per_aes_state_and_bloc(tmp_path):
    out = CliRunner().invoke(cli, ["demo", "--home", str(tmp_path / "d")])
    assert out.exit_code == 0, out.output
    text = out.output
    assert "Is it worse than ever?" in text
    assert "- Niger: 2024 is a record, the highest of 36 complete years (1989–2024)" in text
    assert "- AES: 2024 is not a record" in text and "ged_cm_251: a third-party derivation" in text
    import sahelwatch

    obs = sahelwatch.open(tmp_path / "d")
    assert [d["series"] for d in obs.series.list()] == ["views_cm", "ged_cm_251"]
    assert obs.snapshots()[0].sample and not obs.snapshots()[1].sample


NIGER_1990 = Path("/work/shared/data/views/challenge2024_kaylanhua/niger_cm_features_1990_2024.parquet")


@pytest.mark.skipif(not NIGER_1990.is_file(), reason="shared VIEWS data not available")
def test_niger_views_1990_2024_reads_as_its_own_series(obs):
    import pyarrow.parquet as pq

    yearly: dict = {}
    for r in pq.read_table(NIGER_1990, columns=["month_id", "ged_sb"]).to_pylist():
        y = 1980 + (r["month_id"] - 1) // 12
        yearly[y] = yearly.get(y, 0) + r["ged_sb"]
    assert (yearly[2015], yearly[2016], yearly[2017]) == (368, 274, 234)  # SOURCES.md
    rep = obs.ingest("series", NIGER_1990, format="views-cm", name="views_niger")
    assert rep.counts["accepted"] == 412 and "fatalities_all not derived" in rep.warnings[0]
    res = obs.trend(measure="fatalities_sb", period="year", country="NER", source="series:views_niger")
    r = res.to_polars().row(0, named=True)
    full = {y: v for y, v in yearly.items() if y < 2024}  # 2024: January-April only
    latest, is_record, since = plain_record(full)
    assert (r["latest_period"], r["is_record"], r["n_periods"]) == (str(latest), is_record, 34)
    assert r["record_since"] == (None if since is None else str(since))


def test_summary_and_trend_table_name_the_sample(obs, ged_sample):
    obs.ingest("ucdp", ged_sample, release="23.1", sample=True)
    assert obs.snapshots()[0].sample
    out = CliRunner().invoke(cli, ["summary", "--home", str(obs.home)])
    assert "In this sample: ged231_sample1000_global.csv is a sample" in out.output.replace("\n", " ")
    tr = CliRunner().invoke(cli, ["trend", "--country", "COD", "--source", "ucdp", "--home", str(obs.home)])
    assert "in this sample" in tr.output and "(in this sample)" in tr.output


def test_series_changes_command_lists_revised_cells(tmp_path):
    from series.test_series_ingest import V2024

    home = str(tmp_path / "h")
    run = CliRunner()
    for f in (V2023, V2024):
        assert run.invoke(cli, ["ingest", "series", str(f), "--format", "views-cm", "--name", "v", "--home",
                                home]).exit_code == 0
    out = run.invoke(cli, ["series", "--changes", "v", "--home", home])
    assert out.exit_code == 0 and "changed 17" in out.output
    rows = json.loads(run.invoke(cli, ["series", "--changes", "v", "--json", "--home", home]).output)
    assert len(rows) == 17 and all(r["old_value"] != r["new_value"] for r in rows)
    first = json.loads(run.invoke(cli, ["series", "--changes", "v", "--as-of", "1", "--json", "--home", home]).output)
    assert first == []
