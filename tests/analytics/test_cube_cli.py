"""`sahelwatch aggregate` and `sahelwatch trend`: one smoke test per output, and every bad input
gives one line naming the valid choices."""

from __future__ import annotations

import json

import pytest
from analytics.cube_fixtures import ucdp_obs  # noqa: F401 - fixture
from click.testing import CliRunner

from sahelwatch.cli.main import cli


def run(obs, *args):
    return CliRunner().invoke(cli, [*args, "--home", str(obs.home)], catch_exceptions=False)


def test_aggregate_prints_a_table_with_its_caption(ucdp_obs):
    r = run(ucdp_obs, "aggregate", "--source", "ucdp", "--country", "BFA,MLI", "--period", "year")
    assert r.exit_code == 0, r.output
    assert "Burkina Faso" in r.output and "569" in r.output
    assert "As of snapshot 3" in r.output and "Source: UCDP GED/Candidate, CC BY 4.0" in r.output
    assert "Precision: as-coded" in r.output


@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_aggregate_writes_formats(ucdp_obs, fmt):
    r = run(ucdp_obs, "aggregate", "--by", "priogrid", "--source", "ucdp_candidate", "--country", "NER",
            "--period", "month", "--format", fmt)
    assert r.exit_code == 0, r.output
    if fmt == "csv":
        assert r.output.splitlines()[0].startswith("country_iso3,country_name,priogrid_gid,latitude,longitude,period")
    else:
        doc = json.loads(r.output)
        assert (doc["meta"] if fmt == "json" else doc["sahelwatch"])["unit"] == "priogrid"


def test_aggregate_parquet_to_a_file(ucdp_obs, tmp_path):
    import polars as pl

    out = tmp_path / "bfa.parquet"
    r = run(ucdp_obs, "aggregate", "--source", "ucdp", "--country", "BFA", "--by", "admin1", "--period", "week",
            "--format", "parquet", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert pl.read_parquet(out)["events"].sum() == 58 + 4  # Candidate 2023 + GED sample events in Burkina Faso


def test_trend_prints_record_changes_and_caveats(ucdp_obs):
    r = run(ucdp_obs, "trend", "--country", "BFA", "--measure", "fatalities_best", "--period", "month",
            "--source", "ucdp", "--from", "2023-01-01")
    assert r.exit_code == 0, r.output
    assert "2023-10" in r.output and "record" in r.output
    assert "Caveat: UCDP Candidate events are preliminary" in r.output
    j = run(ucdp_obs, "trend", "--country", "BFA", "--source", "ucdp", "--period", "month", "--format", "json")
    doc = json.loads(j.output)
    assert doc["rows"][0]["latest_period"] == "2023-10" and doc["series"]


BAD = [
    (["aggregate", "--by", "district"], "unknown unit 'district' (valid: country, admin1, admin2, priogrid, h3, bloc)", 2),
    (["aggregate", "--measure", "deaths"], "unknown measure 'deaths' (valid: events, fatalities_best, ", 2),
    (["aggregate", "--breakdown", "region"], "unknown breakdown 'region' (valid: category, sub_event_type, ", 2),
    (["aggregate", "--period", "fortnight"], "(valid: day, week, acled-week, month, quarter, year)", 2),
    (["aggregate", "--precision", "fuzzy"], "(valid: exact, as-coded, spread)", 2),
    (["aggregate", "--format", "xlsx"], "(valid: table, csv, parquet, json, geojson)", 2),
    (["aggregate", "--from", "2024-02-01", "--to", "2024-01-01"], "empty date range: --from 2024-02-01 is after --to 2024-01-01", 2),
    (["aggregate", "--as-of", "99"], "snapshot 99 does not exist (snapshots: 1..3)", 1),
    (["aggregate", "--by", "bloc"], "--by bloc needs --bloc NAME (valid: AES, ", 2),
    (["aggregate", "--bloc", "NATO"], "unknown bloc 'NATO' (valid: AES, ", 2),
    (["aggregate", "--source", "gdelt"], "unknown source 'gdelt' (not in the store) (valid: acled, ucdp, ", 2),
    (["aggregate", "--country", "MLI"], "would double count; pick one with --source or use --breakdown source "
                                         "(valid: acled, ucdp, ucdp_candidate, ucdp_ged)", 2),
    (["aggregate", "--by", "bloc", "--source", "ucdp", "--bloc", "AES", "--format", "geojson"],
     "--format geojson needs a unit with a shape, not 'bloc' (valid: country, admin1, admin2, priogrid, h3)", 2),
    (["trend", "--measure", "events,actors", "--source", "ucdp"], "trend takes one measure (valid: events, ", 2),
    (["trend", "--format", "xml"], "(valid: table, csv, json)", 2),
]


@pytest.mark.parametrize("args,message,code", BAD, ids=[" ".join(b[0][:3]) for b in BAD])
def test_bad_input_is_one_line_with_the_valid_choices(ucdp_obs, args, message, code):
    r = CliRunner().invoke(cli, [*args, "--home", str(ucdp_obs.home)])
    assert r.exit_code == code, r.output
    lines = [ln for ln in r.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.output
    assert message in lines[0], lines[0]
