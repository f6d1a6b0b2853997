"""Reconciling ACLED-format events with the real UCDP Candidate October 2023 Sahel events.

ACLED counterparts are built from the Candidate file (a day later or not, a few km away),
so the true pairs are known by construction; distractors must stay unmatched.
"""

from __future__ import annotations

import datetime as dt

import pytest
from analytics import warning_fixtures as wf
from sw_rows import acled_row, write_csv

from sahelwatch.domain.errors import UsageError

COUNTRIES = ("MLI", "BFA", "NER", "NGA")
ACTORS = {"Government of Mali": ("Military Forces of Mali (2021-)", "State forces"),
          "Government of Burkina Faso": ("Military Forces of Burkina Faso (2022-)", "State forces"),
          "Government of Niger": ("Military Forces of Niger (2023-)", "State forces"),
          "Government of Nigeria": ("Military Forces of Nigeria (2023-)", "State forces"),
          "JNIM": ("JNIM: Group for Support of Islam and Muslims", "Rebel group"),
          "IS": ("Islamic State (Sahel)", "Rebel group")}


def _dates(r):
    return wf.day(r["date_start"]), wf.day(r["date_end"])


def _gap(a, b) -> int:
    (s1, e1), (s2, e2) = a, b
    return max(0, (s2 - e1).days, (s1 - e2).days)


def candidate_sahel():
    return [r for r in wf.read_rows(wf.CANDIDATE) if wf.SAHEL.get(r["country"]) in COUNTRIES]


def isolated(rows):
    """Exactly dated and located events with no other event within 3 days and 60 km."""
    out = []
    for r in rows:
        if r["date_prec"] != "1" or r["where_prec"] not in ("1", "2"):
            continue
        lat, lon = float(r["latitude"]), float(r["longitude"])
        if all(o is r or _gap(_dates(r), _dates(o)) > 3 or
               wf.haversine_km(lat, lon, float(o["latitude"]), float(o["longitude"])) > 60 for o in rows):
            out.append(r)
    return out


def _acled(n: int, r: dict, day: dt.date, lat: float, lon: float, fatalities: int, kind: str) -> dict:
    iso = wf.SAHEL[r["country"]]
    a1, i1 = ACTORS.get(r["side_a"], (f"{r['side_a']} (as named by ACLED)", "Rebel group"))
    vac = kind == "vac"
    a2, i2 = (f"Civilians ({r['country']})", "Civilians") if r["side_b"] == "Civilians" else \
        ACTORS.get(r["side_b"], (f"{r['side_b']} (as named by ACLED)", "Rebel group"))
    et, st = {"vac": ("Violence against civilians", "Attack"), "battle": ("Battles", "Armed clash"),
              "protest": ("Protests", "Peaceful protest")}[kind]
    return acled_row(
        n, event_id_cnty=f"{iso}{n}", event_date=day.isoformat(), year=day.year, event_type=et, sub_event_type=st,
        disorder_type="Demonstrations" if kind == "protest" else "Political violence",
        civilian_targeting="Civilian targeting" if vac else "", actor1=a1, inter1=i1, actor2=a2, inter2=i2,
        assoc_actor_1="", iso=wf.ISO_NUM[iso], country=r["country"], admin1=r["adm_1"].split(" ")[0],
        admin2=r["adm_2"], admin3="", location=r["where_coordinates"], latitude=f"{lat:.4f}",
        longitude=f"{lon:.4f}", fatalities=fatalities, notes=f"[SYNTHETIC] counterpart of UCDP {r['id']}",
        timestamp=1_700_000_000 + n)


def build():
    rows = candidate_sahel()
    pairs, acled, distractors = {}, [], []
    for k, r in enumerate(isolated(rows)):
        start = wf.day(r["date_start"])
        lat0, lon0 = float(r["latitude"]), float(r["longitude"])
        lat, lon = wf.move(lat0, lon0, 2 + (k % 5) * 1.5, (k * 73) % 360)
        shift = k % 2
        best = int(float(r["best"]))
        row = _acled(1000 + k, r, start + dt.timedelta(days=shift), lat, lon, best + (k % 3 == 0),
                     "vac" if r["type_of_violence"] == "3" else "battle")
        acled.append(row)
        pairs[row["event_id_cnty"]] = {"ucdp": r["id"], "shift": shift, "row": r,
                                       "km": wf.haversine_km(lat0, lon0, float(row["latitude"]), float(row["longitude"]))}
        if k % 4 == 0:  # a protest at the same place and day: never a match
            acled.append(_acled(3000 + k, r, start, lat0, lon0, 0, "protest"))
        for j, (when, dlat) in enumerate(((start, 1.4), (start + dt.timedelta(days=5), 0.0))):
            d = _acled(5000 + 2 * k + j, r, when, lat0 + dlat, lon0, best, "battle")
            if all(_gap((when, when), _dates(o)) > 1 or wf.haversine_km(
                    float(d["latitude"]), float(d["longitude"]), float(o["latitude"]), float(o["longitude"])) > 25
                   for o in rows):
                acled.append(d)
                distractors.append(d["event_id_cnty"])
    return acled, pairs, distractors, rows


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    d = tmp_path_factory.mktemp("reconcile")
    acled, pairs, distractors, rows = build()
    f = write_csv(d / "acled_counterparts.csv", acled)
    obs = wf.open_store(d / "home", ("ucdp-candidate", wf.CANDIDATE, {}), ("acled", f, {}))
    return obs, pairs, distractors, rows, acled


def _matched(rec) -> set[tuple[str, str]]:
    return set(zip(rec.pairs.to_polars()["left_key"].to_list(), rec.pairs.to_polars()["right_key"].to_list()))


def test_matches_exactly_the_pairs_built_from_the_candidate_file(case):
    obs, pairs, distractors, rows, _ = case
    assert len(pairs) >= 40 and distractors
    rec = obs.reconcile("acled", "ucdp_candidate", days=1, km=25, country=COUNTRIES)
    expected = {(f"acled:{k}", f"ucdp_candidate:{v['ucdp']}") for k, v in pairs.items()}
    got = _matched(rec)
    true_pos = len(got & expected)
    assert (true_pos / len(got), true_pos / len(expected)) == (1.0, 1.0)  # precision, recall
    left = set(rec.left_unmatched.to_polars()["event_key"].to_list())
    assert left == {f"acled:{k}" for k in distractors}  # protests are not matchable at all
    right = rec.right_unmatched.to_polars()["event_key"].to_list()
    assert len(right) == len(rows) - len(pairs)
    s = rec.summary
    assert s["union_events"] == s["left_events"] + s["right_events"] - s["matched_pairs"] == len(rec.union)
    assert rec.meta["citation"] == "Source: ACLED (aggregated by sahelwatch); Source: UCDP, CC BY 4.0"
    assert any("republishing" in c for c in rec.meta["caveats"])


def test_the_score_follows_the_documented_formula(case):
    obs, pairs, *_ = case
    rec = obs.reconcile("acled", "ucdp_candidate", days=1, km=25, country=COUNTRIES)
    for r in rec.pairs.to_polars().iter_rows(named=True):
        p = pairs[r["left_key"].split(":", 1)[1]]
        u = p["row"]
        fat_l = r["left_fatalities_best"]
        low, best, high = (int(float(u[c])) for c in ("low", "best", "high"))
        fat = 1.0 if (low <= fat_l <= high or fat_l == best) else 1 - abs(fat_l - best) / max(fat_l, best)
        expected = 0.3 * (1 - p["shift"] / 2) + 0.3 * (1 - p["km"] / 25) + 0.2 * 1.0 + 0.2 * fat
        assert r["score"] == pytest.approx(expected, abs=2e-4), r["left_key"]
        assert r["gap_days"] == p["shift"] and r["km_apart"] == pytest.approx(p["km"], abs=1e-3)


@pytest.mark.parametrize("days, km", [(0, 25), (1, 5)])
def test_tighter_windows_keep_only_the_pairs_inside_them(case, days, km):
    obs, pairs, *_ = case
    rec = obs.reconcile("acled", "ucdp_candidate", days=days, km=km, country=COUNTRIES)
    expected = {(f"acled:{k}", f"ucdp_candidate:{v['ucdp']}") for k, v in pairs.items()
                if v["shift"] <= days and v["km"] <= km}
    assert _matched(rec) == expected


def test_union_prefers_one_side_and_counts_an_incident_once(case):
    obs, pairs, *_ = case
    left = obs.reconcile("acled", "ucdp_candidate", country=COUNTRIES).union.to_polars()
    right = obs.reconcile("acled", "ucdp_candidate", country=COUNTRIES, prefer="right").union.to_polars()
    assert left.height == right.height
    ml = left.filter(left["matched"])
    assert set(ml["source"].to_list()) == {"acled"} and set(ml["sources"].to_list()) == {"acled+ucdp_candidate"}
    mr = right.filter(right["matched"])
    assert set(mr["source"].to_list()) == {"ucdp_candidate"} and mr.height == ml.height == len(pairs)
    assert left["event_key"].n_unique() == left.height


def test_reconcile_to_pandas_and_repr(case):
    obs, *_ = case
    rec = obs.reconcile("acled", "ucdp", country=COUNTRIES)
    assert rec.to_pandas().shape[0] == len(rec) and "pairs" in repr(rec)


@pytest.mark.parametrize("kw, message", [
    ({"left": "acleddata"}, "--left 'acleddata': no such source in the store (valid: acled, ucdp, ucdp_candidate)"),
    ({"right": "ucdp_ged"}, "--right 'ucdp_ged': no such source"),
    ({"left": "ucdp", "right": "ucdp_candidate"}, "name the same source"),
    ({"days": -1}, "--days must be >= 0"),
    ({"km": 0}, "--km must be > 0"),
    ({"start": "2023-10-31", "end": "2023-10-01"}, "empty date range"),
    ({"prefer": "both"}, "unknown --prefer 'both' (valid: left, right)"),
])
def test_bad_input_is_one_clear_error(case, kw, message):
    obs, *_ = case
    args = {"left": "acled", "right": "ucdp_candidate", **kw}
    with pytest.raises(UsageError) as e:
        obs.reconcile(**args)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_cli_reconcile_summary_and_union_file(case, tmp_path):
    from click.testing import CliRunner

    from sahelwatch.cli.main import cli

    obs, *_ = case
    home = str(obs.home)
    r = CliRunner().invoke(cli, ["reconcile", "--left", "acled", "--right", "ucdp_candidate", "--days", "1", "--km", "25",
                                 "--country", ",".join(COUNTRIES), "--home", home])
    assert r.exit_code == 0, r.output
    assert "matched" in r.output and "Union view" in r.output
    out = tmp_path / "union.csv"
    r = CliRunner().invoke(cli, ["reconcile", "--right", "ucdp_candidate", "--show", "union", "--format", "csv",
                                 "-o", str(out), "--home", home])
    assert r.exit_code == 0, r.output
    assert "ACLED's terms" in r.output and out.read_text().startswith("event_key,")
    r = CliRunner().invoke(cli, ["reconcile", "--left", "acled", "--right", "views", "--home", home])
    assert r.exit_code == 2 and r.output.startswith("Error: --right 'views': no such source in the store")
