"""The seeded synthetic generator: determinism, exact layouts, internal consistency."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from sahelwatch.domain.errors import UsageError
from sahelwatch.fixtures import _vocab as V
from sahelwatch.fixtures import generator as G
from sahelwatch.fixtures.generator import generate_acled, generate_ucdp

DATA = Path(__file__).parent / "data"
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
LABEL_CODE = {label: i for i, label in enumerate(V.INTER_LABELS) if label}
ROWS = 2000


def _shared(*parts: str) -> Path | None:
    for p in Path(__file__).resolve().parents:
        f = p.joinpath("shared", "data", *parts)
        if f.is_file():
            return f
    return None


def _header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as fh:
        return next(csv.reader(fh))


def _read(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def acled(tmp_path_factory) -> pl.DataFrame:
    path = tmp_path_factory.mktemp("acled") / "acled.csv"
    generate_acled(path, 20_000, 11)
    return _read(path)


@pytest.fixture(scope="module")
def ged(tmp_path_factory) -> pl.DataFrame:
    path = tmp_path_factory.mktemp("ged") / "ged.csv"
    generate_ucdp(path, 20_000, 11)
    return _read(path)


# --- determinism --------------------------------------------------------------------------


def test_acled_same_seed_gives_identical_bytes_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(G, "CHUNK_ROWS", 700)
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    generate_acled(a, ROWS, 5)
    generate_acled(b, ROWS, 5)
    generate_acled(c, ROWS, 6)
    assert _sha(a) == _sha(b)
    assert _sha(a) != _sha(c)


@pytest.mark.parametrize("kind", ["ged", "candidate"])
def test_ucdp_same_seed_gives_identical_bytes(tmp_path, kind):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    generate_ucdp(a, ROWS, 5, kind=kind)
    generate_ucdp(b, ROWS, 5, kind=kind)
    generate_ucdp(c, ROWS, 6, kind=kind)
    assert _sha(a) == _sha(b)
    assert _sha(a) != _sha(c)


def test_output_does_not_depend_on_the_process(tmp_path):
    here = tmp_path / "here.csv"
    there = tmp_path / "there.csv"
    generate_acled(here, 500, 3)
    code = f"from sahelwatch.fixtures.generator import generate_acled; generate_acled({str(there)!r}, 500, 3)"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    assert _sha(here) == _sha(there)


def test_summary_describes_the_file(tmp_path):
    out = generate_acled(tmp_path / "a.csv", 300, 1)
    assert out["rows"] == 300 and out["seed"] == 1
    assert out["bytes"] == (tmp_path / "a.csv").stat().st_size
    assert out["path"] == str(tmp_path / "a.csv")
    assert not list(tmp_path.glob("*.part"))


def test_progress_is_called_after_each_chunk(tmp_path, monkeypatch):
    monkeypatch.setattr(G, "CHUNK_ROWS", 500)
    calls = []
    generate_ucdp(tmp_path / "u.csv", 1200, 1, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(500, 1200), (1000, 1200), (1200, 1200)]


def test_zero_rows_writes_only_the_header(tmp_path):
    generate_acled(tmp_path / "a.csv", 0, 1)
    assert (tmp_path / "a.csv").read_text() == ",".join(ACLED_COLUMNS) + "\n"


# --- ACLED layouts and values -------------------------------------------------------------


def test_acled_current_header_is_the_export_header(tmp_path):
    generate_acled(tmp_path / "a.csv", 50, 1)
    assert _header(tmp_path / "a.csv") == ACLED_COLUMNS
    shared = _shared("acled", "acled_export_columns.txt")
    if shared:
        assert ACLED_COLUMNS == shared.read_text().split()


def test_acled_old_and_population_layouts(tmp_path):
    generate_acled(tmp_path / "old.csv", 50, 1, layout="old")
    generate_acled(tmp_path / "pop.csv", 50, 1, layout="population")
    old = [c for c in ACLED_COLUMNS if c not in ("disorder_type", "civilian_targeting")]
    assert _header(tmp_path / "old.csv") == old
    assert _header(tmp_path / "pop.csv") == ACLED_COLUMNS + [
        "population_1km", "population_2km", "population_5km", "population_best"]
    pop = _read(tmp_path / "pop.csv").select(pl.col("^population_.*$").cast(pl.Int64))
    assert (pop["population_1km"] <= pop["population_2km"]).all()
    assert (pop["population_2km"] <= pop["population_5km"]).all()


def test_acled_event_pairs_come_from_the_codebook(acled):
    pairs = set(acled.select("event_type", "sub_event_type").unique().iter_rows())
    assert len(pairs) >= 20
    codebook = {(e[0], e[1]) for e in V.EVENTS}
    assert pairs <= codebook
    shared = _shared("acled", "acled_event_categories_acledR.csv")
    if shared:
        with open(shared, newline="") as fh:
            official = {(r["event_type"], r["sub_event_type"]) for r in csv.DictReader(fh)}
        assert codebook == official


def test_acled_disorder_type_follows_the_event_type(acled):
    expected = {(e[0], e[1]): e[2] for e in V.EVENTS}
    for et, sub, disorder in acled.select("event_type", "sub_event_type", "disorder_type").unique().iter_rows():
        assert disorder == expected[et, sub]


def test_acled_interaction_matches_inter_codes_as_text(acled):
    for i1, i2, inter in acled.select("inter1", "inter2", "interaction").unique().iter_rows():
        if i2 is None:
            assert inter == f"{i1} only"
        else:
            lo, hi = sorted((i1, i2), key=LABEL_CODE.__getitem__)
            assert inter == f"{lo}-{hi}"


def test_acled_interaction_matches_inter_codes_as_numbers(tmp_path):
    generate_acled(tmp_path / "n.csv", ROWS, 2, inter_style="numeric")
    df = _read(tmp_path / "n.csv").select(pl.col("inter1", "inter2", "interaction").cast(pl.Int64))
    for i1, i2, inter in df.unique().iter_rows():
        assert 1 <= i1 <= 8 and 0 <= i2 <= 8
        assert inter == (i1 * 10 if i2 == 0 else min(i1, i2) * 10 + max(i1, i2))


def test_acled_civilian_targeting_only_against_civilians(acled):
    flagged = acled.filter(pl.col("civilian_targeting").is_not_null())
    assert flagged.height > 0
    assert set(flagged["civilian_targeting"]) == {"Civilian targeting"}
    assert set(flagged["inter2"]) == {"Civilians"}


def test_acled_rows_say_they_are_synthetic(acled):
    assert acled["notes"].str.starts_with("[SYNTHETIC]").all()
    assert set(acled["source"]) == {"sahelwatch synthetic"}
    lengths = acled["notes"].str.len_chars()
    assert 180 < lengths.mean() < 400


def test_acled_ids_are_unique_and_carry_the_country(acled):
    assert acled["event_id_cnty"].n_unique() == acled.height
    iso3 = {c[1]: c[0] for c in V.COUNTRIES}
    for eid, country in acled.select("event_id_cnty", "country").iter_rows():
        assert re.fullmatch(iso3[country] + r"\d+", eid)


def test_acled_country_codes_and_regions(acled):
    expected = {c[1]: (str(c[2]), c[4]) for c in V.COUNTRIES}
    for country, iso, region in acled.select("country", "iso", "region").unique().iter_rows():
        assert (iso, region) == expected[country]
    assert acled["country"].n_unique() == 12


def test_acled_dates_times_and_places_are_plausible(acled):
    day = pl.col("event_date").str.to_date()
    df = acled.with_columns(day.alias("d"), pl.col("timestamp").cast(pl.Int64), pl.col("year").cast(pl.Int32),
                            pl.col("latitude").cast(pl.Float64), pl.col("longitude").cast(pl.Float64))
    assert df["d"].min() >= dt.date(2018, 1, 1) and df["d"].max() <= dt.date(2025, 6, 30)
    assert (df["d"].dt.year() == df["year"]).all()
    epoch = (df["d"] - dt.date(1970, 1, 1)).dt.total_days() * 86400
    assert (df["timestamp"] >= epoch).all()
    assert df["latitude"].is_between(3.5, 26).all() and df["longitude"].is_between(-18, 24).all()
    assert set(acled["time_precision"]) <= {"1", "2", "3"}
    assert (acled["time_precision"] == "1").mean() > 0.7
    assert set(acled["geo_precision"]) <= {"1", "2", "3"}
    assert acled["latitude"].str.contains(r"^-?\d+\.\d{4}$").all()
    assert acled["admin1"].null_count() == 0 and acled["location"].null_count() == 0


def test_acled_fatalities_are_heavy_tailed_and_zero_for_peaceful_protests(acled):
    fat = acled.with_columns(pl.col("fatalities").cast(pl.Int64))
    assert (fat["fatalities"] >= 0).all()
    assert (fat["fatalities"] <= 5).mean() > 0.8
    assert (fat["fatalities"] >= 50).sum() > 0
    calm = fat.filter(pl.col("sub_event_type").is_in(["Peaceful protest", "Protest with intervention"]))
    assert calm.height > 0 and (calm["fatalities"] == 0).all()


def test_acled_export_date_style(tmp_path):
    generate_acled(tmp_path / "e.csv", 300, 4, date_style="export")
    df = _read(tmp_path / "e.csv")
    assert df["event_date"].str.contains(r"^\d{2} [A-Z][a-z]+ \d{4}$").all()
    parsed = df["event_date"].str.to_date("%d %B %Y")
    assert (parsed.dt.year().cast(pl.String) == df["year"]).all()


def test_acled_without_notes_still_marks_rows_synthetic(tmp_path):
    generate_acled(tmp_path / "a.csv", 100, 4, notes=False)
    assert set(_read(tmp_path / "a.csv")["notes"]) == {"[SYNTHETIC]"}


def test_acled_dated_actor_names_follow_the_event_date(acled):
    mali = acled.filter(pl.col("actor1").str.starts_with("Military Forces of Mali"))
    for name, date in mali.select("actor1", "event_date").iter_rows():
        if name.endswith("(2021-)"):
            assert date >= "2021-05-24"
        elif name.endswith("(2013-2020)"):
            assert date < "2020-08-18"


# --- UCDP ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, layout, sample", [
    ("ged", "49", "ged231_sample1000_global.csv"),
    ("ged", "42", "ged191_hdx_fixture_myanmar_bangladesh.csv"),
    ("candidate", "49", "GEDEvent_v23_0_10.csv"),
])
def test_ucdp_header_matches_the_real_file(tmp_path, kind, layout, sample):
    generate_ucdp(tmp_path / "u.csv", 100, 1, kind=kind, layout=layout)
    header = _header(tmp_path / "u.csv")
    assert len(header) == int(layout)
    assert header == _header(DATA / sample)


def test_ged_priogrid_matches_the_formula_on_every_row(ged):
    df = ged.select(pl.col("latitude", "longitude").cast(pl.Float64), pl.col("priogrid_gid").cast(pl.Int64))
    for lat, lon, gid in df.iter_rows():
        assert gid == math.floor((lat + 90) / 0.5) * 720 + math.floor((lon + 180) / 0.5) + 1


def test_ged_geom_wkt_matches_the_coordinates(ged):
    for lat, lon, wkt in ged.select("latitude", "longitude", "geom_wkt").head(3000).iter_rows():
        x, y = re.fullmatch(r"POINT \((\S+) (\S+)\)", wkt).groups()
        assert float(x) == float(lon) and float(y) == float(lat)


def test_ged_best_is_the_sum_of_deaths(ged):
    d = ged.select(pl.col("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best").cast(pl.Int64))
    assert (d["best"] == d["deaths_a"] + d["deaths_b"] + d["deaths_civilians"] + d["deaths_unknown"]).all()


def test_ged_about_one_and_a_half_percent_break_low_best_high(ged):
    d = ged.select(pl.col("low", "best", "high").cast(pl.Int64))
    broken = ~((d["low"] <= d["best"]) & (d["best"] <= d["high"]))
    assert 0.01 <= broken.mean() <= 0.02


def test_ged_ids_unique_and_integers_plain(ged):
    assert ged["id"].n_unique() == ged.height
    assert ged["relid"].n_unique() == ged.height
    for col in ("id", "year", "type_of_violence", "conflict_new_id", "country_id", "best", "priogrid_gid"):
        assert ged[col].str.contains(r"^\d+$").all(), col


def test_ged_values_are_sahelian_and_synthetic(ged):
    gw = {c[1]: str(c[3]) for c in V.COUNTRIES}
    for country, cid in ged.select("country", "country_id").unique().iter_rows():
        assert gw[country] == cid
    assert set(ged["region"]) == {"Africa"}
    assert set(ged["type_of_violence"]) == {"1", "2", "3"}
    assert set(ged["where_prec"]) <= {str(i) for i in range(1, 8)}
    assert set(ged["source_office"]) == {"sahelwatch synthetic"}
    assert ged["source_article"].str.starts_with('"sahelwatch synthetic,').all()
    assert set(ged["code_status"]) == {"Clear"}
    starts = ged["date_start"].str.to_date()
    ends = ged["date_end"].str.to_date()
    assert (starts <= ends).all() and (starts.dt.year() == ends.dt.year()).all()
    assert starts.min() >= dt.date(2018, 1, 1) and ends.max() <= dt.date(2024, 12, 31)


def test_candidate_dates_and_statuses_look_like_the_monthly_files(tmp_path):
    generate_ucdp(tmp_path / "c.csv", ROWS, 3, kind="candidate")
    df = _read(tmp_path / "c.csv")
    assert df["date_start"].str.contains(r"^\d{4}-\d{2}-\d{2} 00:00:00\.000$").all()
    status = df["code_status"].value_counts()
    assert set(status["code_status"]) <= {s[0] for s in V.CODE_STATUS}
    assert (df["code_status"] == "Clear").mean() > 0.7
    assert {"Check dyad", "Check type of violence", "Check deaths"} <= set(df["code_status"])
    assert set(df["active_year"]) == {"true", "false"}


# --- arguments and shells -----------------------------------------------------------------


@pytest.mark.parametrize("call", [
    lambda p: generate_acled(p, 10, 1, layout="newest"),
    lambda p: generate_acled(p, 10, 1, date_style="us"),
    lambda p: generate_acled(p, -1, 1),
    lambda p: generate_acled(p, 10, 1, start="2020-01-01", end="2019-01-01"),
    lambda p: generate_ucdp(p, 10, 1, kind="candidate", layout="42"),
    lambda p: generate_ucdp(p, 10, 1, release="latest"),
])
def test_bad_arguments_raise_usage_errors(tmp_path, call):
    with pytest.raises(UsageError):
        call(tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def test_places_come_from_geonames_when_the_dumps_are_present():
    if G._gazetteer_dir() is None:
        pytest.skip("GeoNames dumps not available")
    places = G.load_places()
    assert places.origin == "geonames"
    assert len(places.lat) > 50_000


def test_generate_command_smoke(tmp_path):
    from click.testing import CliRunner

    from sahelwatch.cli.generate import generate_cmd

    out = tmp_path / "g.csv"
    result = CliRunner().invoke(generate_cmd, ["ucdp-candidate", "--rows", "40", "--seed", "2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 40 synthetic ucdp-candidate rows" in result.output
    assert _read(out).height == 40
    bad = CliRunner().invoke(generate_cmd, ["acled", "--rows", "5", "-o", str(out), "--layout", "nope"])
    assert bad.exit_code != 0 and "unknown layout" in bad.output
