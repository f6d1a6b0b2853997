"""One smoke test per command, through the real CLI; errors are one line, never a traceback."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sw_rows import acled_row, write_csv
from sahelwatch.cli.main import cli


@pytest.fixture
def run(tmp_path):
    home = tmp_path / "home"

    def _run(*args, ok=True):
        res = CliRunner().invoke(cli, [*args, "--home", str(home)] if args[0] not in ("credits", "generate") else list(args))
        if ok:
            assert res.exit_code == 0, res.output
        assert "Traceback" not in res.output
        return res

    return _run


def test_init_then_ingest_then_snapshots(run, tmp_path, candidate):
    assert "Store ready" in run("init").output
    out = run("ingest", "ucdp-candidate", str(candidate)).output
    assert "Snapshot 1" in out and "rows read 2,391 = accepted 2,391 + quarantined 0" in out
    snaps = json.loads(run("snapshots", "--json").output)
    assert snaps[0]["counts"]["new"] == 2391 and snaps[0]["release"] == "23.0.10"
    again = run("ingest", "ucdp-candidate", str(candidate)).output
    assert "already ingested as snapshot 1" in again


def test_events_formats(run, tmp_path, candidate):
    run("ingest", "ucdp-candidate", str(candidate))
    csv_out = run("events", "--country", "MLI", "--from", "2023-10-01", "--to", "2023-10-31").output
    assert csv_out.count("\n") == 56  # header + 55 Mali events in October 2023
    gj = tmp_path / "mli.geojson"
    run("events", "--country", "MLI", "--format", "geojson", "-o", str(gj))
    fc = json.loads(gj.read_text())
    assert len(fc["features"]) == 55 and fc["features"][0]["geometry"]["type"] == "Point"
    pq = tmp_path / "bfa.parquet"
    run("events", "--country", "BFA", "--format", "parquet", "-o", str(pq))
    import polars as pl

    assert pl.read_parquet(pq)["fatalities_best"].sum() == 569
    src = run("events", "--country", "NER", "--format", "source").output
    assert src.splitlines()[0].startswith("id,relid,year,active_year,code_status")


def test_quarantine_command(run, tmp_path):
    p = write_csv(tmp_path / "a.csv", [acled_row(1), acled_row(2, latitude="99")])
    assert "quarantined 1" in run("ingest", "acled", str(p)).output
    rows = json.loads(run("quarantine", "--json").output)
    assert rows[0]["field"] == "latitude" and rows[0]["line"] == 3
    assert "latitude" in run("quarantine", "--snapshot", "1").output


def test_demo_and_summary(run):
    out = run("demo").output
    assert "ged231_sample1000_global.csv: snapshot 1" in out
    assert "already in snapshot" in run("demo").output
    s = json.loads(run("summary", "--json").output)
    bfa = [r for r in s if r["country_iso3"] == "BFA" and r["source"] == "ucdp_candidate"][0]
    assert (bfa["events"], bfa["fatalities_best"]) == (58, 569)


def test_credits_name_ucdp_and_licence(run):
    out = run("credits").output
    assert "CC BY 4.0" in out and "Uppsala Conflict Data Program" in out


def test_reading_a_missing_store_says_how_to_create_it(run):
    res = run("events", ok=False)
    assert res.exit_code == 1 and "run `sahelwatch init` first" in res.output


@pytest.mark.parametrize("args, message", [
    (("events", "--as-of", "7"), "snapshot 7 does not exist"),
    (("events", "--country", "XXX"), "unknown country 'XXX'"),
    (("events", "--from", "2024-02-01", "--to", "2024-01-01"), "empty date range"),
    (("events", "--from", "01/02/2024"), "is not a date"),
    (("ingest", "acled", "/nonexistent.csv"), "no such file"),
    (("ingest", "csv", "/nonexistent.csv"), "needs --mapping"),
])
def test_errors_are_one_clear_line(run, args, message):
    run("init")
    res = run(*args, ok=False)
    assert res.exit_code in (1, 2)
    assert message in res.output and len(res.output.strip().splitlines()) == 1


def test_events_with_places_adds_admin_units(run, tmp_path, candidate):
    import polars as pl

    run("ingest", "ucdp-candidate", str(candidate))
    out = tmp_path / "bfa.csv"
    run("events", "--country", "BFA", "--with-places", "-o", str(out))
    df = pl.read_csv(out)
    assert {"admin1_code", "admin1_name", "admin2_name", "admin_match", "admin_boundary_set"} <= set(df.columns)
    assert df.height == 58 and df.filter(pl.col("admin_match") == "inside").height >= 50
    # the Sahel region's events: UCDP says "Sahel region", our boundaries "Sahel"
    sahel = df.filter(pl.col("admin1") == "Sahel region")
    assert sahel.height > 0 and set(sahel["admin1_name"].drop_nulls()) == {"Sahel"}
    assert not sahel["admin1_disagrees"].drop_nulls().any()
