"""Alerts (surge, threat, convergence), their questions and outcomes, and the backtest.

A hand-built Mopti scenario has known alerts by construction; the generated ACLED volume
and the two VIEWS vintages are checked against the rules re-implemented below in plain
Python (csv module, datetime, dicts).
"""

from __future__ import annotations

import collections
import datetime as dt
import json

import numpy as np
import pytest
from analytics import warning_fixtures as wf
from sw_rows import acled_row, write_csv

from sahelwatch.domain.errors import SnapshotNotFound, UsageError

D = dt.date
DJENNE = (13.9061, -4.5533)  # Mopti region
GAO = (16.2717, -0.0447)  # Gao region


# -- the Mopti scenario -----------------------------------------------------------------------


def _row(n: int, day: D, where, sub: str = "Armed clash") -> dict:
    vac = sub == "Attack"
    lat, lon = where
    return acled_row(
        n, event_id_cnty=f"MLI{n}", event_date=day.isoformat(), year=day.year,
        event_type="Violence against civilians" if vac else "Battles", sub_event_type=sub,
        civilian_targeting="Civilian targeting" if vac else "", actor2="Civilians (Mali)" if vac else
        "JNIM: Group for Support of Islam and Muslims", inter2="Civilians" if vac else "Rebel group",
        admin1="Mopti" if where == DJENNE else "Gao", latitude=lat, longitude=lon,
        location="Djenne" if where == DJENNE else "Gao", notes=f"[SYNTHETIC] event {n}", fatalities=1,
        timestamp=1_700_000_000 + n)


def scenario() -> tuple[list[dict], list[dict]]:
    """(rows up to 31 Oct 2023, rows after). Mopti: one clash every Wednesday, then 4 clashes and
    4 attacks in the ACLED week 21-27 Oct 2023, then 10 clashes in 1-28 Nov. Gao: one clash a week."""
    before, after = [], []
    n = 0
    d = D(2022, 1, 5)
    while d <= D(2023, 12, 27):
        n += 1
        (before if d <= D(2023, 10, 31) else after).append(_row(n, d, GAO))
        if d <= D(2023, 10, 18):
            n += 1
            before.append(_row(n, d, DJENNE))
        d += dt.timedelta(days=7)
    for i in range(4):
        before.append(_row(5000 + i, D(2023, 10, 22 + i), DJENNE))
        before.append(_row(5100 + i, D(2023, 10, 23 + i), DJENNE, "Attack"))
    for i in range(10):
        after.append(_row(6000 + i, D(2023, 11, 2 + 2 * i), DJENNE))
    after.append(_row(7000, D(2024, 1, 10), GAO))
    return before, after


@pytest.fixture(scope="module")
def mopti(tmp_path_factory):
    d = tmp_path_factory.mktemp("alerts")
    before, after = scenario()
    f1 = write_csv(d / "acled_1.csv", before)
    f2 = write_csv(d / "acled_2.csv", after)
    return wf.open_store(d / "home", ("acled", f1, {}), ("acled", f2, {}))


def test_mopti_surge_threat_and_convergence_by_construction(mopti):
    res = mopti.alerts("admin1", "2023-10-31")
    df = res.to_polars()
    got = {r["kind"]: r for r in df.iter_rows(named=True)}
    assert set(got) == {"surge", "threat", "convergence"}
    assert {r["unit_name"] for r in got.values() if r["kind"] != "convergence"} == {"Mopti"}
    s, t, c = got["surge"], got["threat"], got["convergence"]
    assert (s["signal_start"], s["signal_end"], s["signal_events"], s["baseline_mean"]) == \
        (D(2023, 10, 21), D(2023, 10, 27), 8, 1.0)
    assert s["question"] == ("Will Mopti (Mali) have more than 4 violent events in the next 4 weeks "
                             "(2023-11-01 to 2023-11-28), its total in the 4 weeks before the surge week of 2023-10-21?")
    assert s["question_fr"].startswith("« Mopti (Mali) » : y aura-t-il plus de 4 événements violents")
    # October: Wednesdays 4, 11, 18 + the 8 of the surge week; the 12 months before: one a week
    wednesdays = sum(1 for k in range(800) if D(2022, 10, 1) <= D(2022, 1, 5) + dt.timedelta(weeks=k) <= D(2023, 9, 30))
    assert (t["signal_events"], t["baseline_mean"]) == (11, round(wednesdays / 12, 3))
    assert t["question"] == (f"Will Mopti (Mali) have more violent events in the next 4 weeks (2023-11-01 to "
                             f"2023-11-28) than its 12-month monthly mean ({wednesdays / 12:.1f})?")
    assert "Armed clash 4 (4-week mean 1.0)" in c["detail"] and "Attack 4 (4-week mean 0.0)" in c["detail"]
    for r in (s, t, c):
        assert r["resolution_date"] == D(2023, 11, 28) and r["issued"] == D(2023, 10, 31)
        assert r["observed_events"] == 10 and r["outcome"] is True
        assert r["probability"] == 0.5 and r["calibration_alerts"] == 0  # no earlier alert: (0+1)/(0+2)
    assert res.meta["citation"] == "Source: ACLED (aggregated by sahelwatch)"


def test_outcome_is_null_until_the_store_reaches_the_resolution_date(mopti):
    df = mopti.alerts("admin1", "2023-10-31", as_of=1).to_polars()
    assert df.height == 3
    assert df["outcome"].to_list() == [None, None, None] and df["observed_events"].to_list() == [None] * 3


def test_thresholds_are_configurable(mopti):
    assert mopti.alerts("admin1", "2023-10-31", kind="surge", thresholds={"surge_min_events": 9}).to_polars().height == 0
    res = mopti.alerts("admin1", "2023-10-31", kind="threat", thresholds={"threat_increase": 1.0})
    assert res.to_polars()["kind"].to_list() == ["threat"] and res.meta["thresholds"]["threat_increase"] == 1.0
    assert mopti.alerts("country", "2023-10-31", kind="surge").to_polars()["unit"].to_list() == ["MLI"]


# -- plain-Python rules over the generated ACLED volume ---------------------------------------

VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from sahelwatch.fixtures.generator import generate_acled

    d = tmp_path_factory.mktemp("alerts_gen")
    path = d / "acled.csv"
    generate_acled(path, rows=40_000, seed=5, start="2021-06-01", end="2024-06-30")
    rows = wf.read_rows(path)
    return wf.open_store(d / "home", ("acled", path, {})), rows


def _plain_rules(rows):
    """Surge and threat for every country and Friday, re-implemented from the documented rules."""
    daily = collections.defaultdict(collections.Counter)
    first = min(wf.day(r["event_date"]) for r in rows)
    last = max(wf.day(r["event_date"]) for r in rows)
    for r in rows:
        if r["event_type"] in VIOLENT:
            daily[r["event_id_cnty"][:3]][wf.day(r["event_date"])] += 1

    def total(iso, a, b):
        return sum(n for d, n in daily[iso].items() if a <= d <= b)

    out = {}
    for t in wf.fridays(D(2020, 12, 1), D(2023, 12, 31)):
        for iso in daily:
            ws = t - dt.timedelta(days=6)
            c, base = total(iso, ws, t), total(iso, ws - dt.timedelta(days=28), ws - dt.timedelta(days=1))
            nxt = total(iso, t + dt.timedelta(days=1), t + dt.timedelta(days=28))
            ok = ws - dt.timedelta(days=28) >= first and t + dt.timedelta(days=28) <= last
            out[("surge", iso, t)] = (ok, c >= 5 and c >= 2 * base / 4, nxt > base)
            m_last = t if (t + dt.timedelta(days=1)).day == 1 else t.replace(day=1) - dt.timedelta(days=1)
            m_first = m_last.replace(day=1)
            b_first = wf.add_months(m_first, -12)
            c = total(iso, m_first, m_last)
            mean = total(iso, b_first, m_first - dt.timedelta(days=1)) / 12
            ok = b_first >= first and t + dt.timedelta(days=28) <= last
            out[("threat", iso, t)] = (ok, c >= 10 and c >= 1.5 * mean, nxt > mean)
    return out


def _plain_scores(rules, kind, year):
    """Stated probabilities and the summary metrics, from the documented formulas."""
    fr = sorted({t for k, _, t in rules if k == kind})
    units = sorted({u for k, u, _ in rules if k == kind})

    def past(t):
        return [s for s in fr if t - dt.timedelta(days=728) <= s <= t - dt.timedelta(days=28)]

    counts = collections.Counter()
    sq_rule, sq_base, probs = [], [], {}
    for t in [t for t in fr if t.year == year]:
        known = [(u, s) for s in past(t) for u in units if rules[(kind, u, s)][0]]
        a = [rules[(kind, u, s)] for u, s in known if rules[(kind, u, s)][1]]
        p_alert = (sum(x[2] for x in a) + 1) / (len(a) + 2)
        for u in units:
            ok, alert, y = rules[(kind, u, t)]
            if not ok:
                continue
            mine = [rules[(kind, u, s)] for s in past(t) if rules[(kind, u, s)][0]]
            p_base = (sum(x[2] for x in mine) + 1) / (len(mine) + 2)
            counts[("rule", alert, y)] += 1
            counts[("base", p_base >= 0.5, y)] += 1
            sq_rule.append(((p_alert if alert else p_base) - y) ** 2)
            sq_base.append((p_base - y) ** 2)
            if alert:
                probs[(u, t)] = round(p_alert, 3)
    return counts, float(np.mean(sq_rule)), float(np.mean(sq_base)), probs


def test_backtest_matches_the_rules_written_in_plain_python(generated):
    obs, rows = generated
    res = obs.score_alerts("country", "2023-01", "2023-12", kind="surge,threat")
    summary = {(r["kind"], r["method"]): r for r in res.to_polars().iter_rows(named=True)}
    detail = res.detail.to_polars()
    rules = _plain_rules(rows)
    for kind in ("surge", "threat"):
        counts, brier_rule, brier_base, probs = _plain_scores(rules, kind, 2023)
        rule, base = summary[(kind, "alert rule")], summary[(kind, "baseline: unit base rate")]
        assert (rule["hits"], rule["false_alarms"], rule["misses"], rule["correct_negatives"]) == \
            (counts[("rule", True, True)], counts[("rule", True, False)], counts[("rule", False, True)],
             counts[("rule", False, False)]), kind
        assert (base["hits"], base["false_alarms"], base["misses"]) == \
            (counts[("base", True, True)], counts[("base", True, False)], counts[("base", False, True)]), kind
        assert rule["brier"] == pytest.approx(brier_rule, abs=1e-4)
        assert base["brier"] == pytest.approx(brier_base, abs=1e-4)
        assert rule["brier_skill"] == pytest.approx(1 - rule["brier"] / base["brier"], abs=1e-3)
        tp, fp = rule["hits"], rule["false_alarms"]
        assert rule["hit_rate"] == pytest.approx(tp / (tp + fp), abs=1e-4)
        assert rule["false_alarm_ratio"] == pytest.approx(fp / (tp + fp), abs=1e-4)
        assert rule["recall"] == pytest.approx(tp / (tp + rule["misses"]), abs=1e-4)
        assert rule["false_alarm_rate"] == pytest.approx(fp / (fp + rule["correct_negatives"]), abs=1e-4)
        mine = detail.filter(detail["kind"] == kind)
        assert {(r["unit"], r["issued"]): r["probability"] for r in mine.iter_rows(named=True)} == probs
        expected_alerts = {(u, t) for (k, u, t), (ok, a, _) in rules.items() if k == kind and ok and a and t.year == 2023}
        assert set(zip(mine["unit"].to_list(), mine["issued"].to_list())) == expected_alerts
        assert rule["predicted_yes"] > 0


def test_alerts_on_a_day_agree_with_the_backtest(generated):
    obs, _ = generated
    on = D(2023, 6, 30)  # a Friday
    day = obs.alerts("country", on, kind="surge,threat").to_polars()
    detail = obs.score_alerts("country", "2023-06", "2023-06", kind="surge,threat").detail.to_polars()
    same = detail.filter(detail["issued"] == on).select("unit", "kind", "probability", "outcome").sort("kind", "unit")
    assert day.select("unit", "kind", "probability", "outcome").sort("kind", "unit").equals(same)


# -- the two VIEWS vintages ------------------------------------------------------------------

SAHEL_VIEWS = {50: "MLI", 78: "NER", 47: "BFA"}


def _views(vintage: str, column: str) -> dict:
    import polars as pl

    folder = wf.VIEWS / vintage
    if not folder.is_dir():
        pytest.skip("the shared VIEWS data is not next to the repository")
    out = {}
    for year in range(2018, 2022):
        for v, m, c in pl.read_parquet(folder / f"cm_actuals_{year}.parquet").select(column, "month_id", "country_id").rows():
            if c in SAHEL_VIEWS:
                out[(SAHEL_VIEWS[c], m)] = int(round(v))  # the 2023 files carry float noise (17.999999999999996)
    return out


def _month(month_id: int) -> D:
    return D(1980 + (month_id - 1) // 12, (month_id - 1) % 12 + 1, 1)


@pytest.mark.parametrize("vintage, column", [("challenge2023_toboden", "ged_sb"), ("challenge2024_kaylanhua", "outcome")])
def test_threat_rule_on_views_country_month_fatalities(vintage, column):
    import polars as pl

    from sahelwatch.analytics import alerts as al

    series = _views(vintage, column)
    daily = pl.DataFrame([(u, _month(m), n) for (u, m), n in series.items()],
                         schema={"unit": pl.String, "day": pl.Date, "n": pl.Int64}, orient="row")
    units = pl.DataFrame({"unit": sorted(SAHEL_VIEWS.values()), "unit_name": sorted(SAHEL_VIEWS.values()),
                          "country_iso3": sorted(SAHEL_VIEWS.values())})
    months = list(range(469, 503))  # Jan 2019 .. Oct 2021: 12 months of history before, one after
    ends = [wf.add_months(_month(m), 1) - dt.timedelta(days=1) for m in months]
    panel = al.evaluate(daily, units, np.array(ends, dtype="datetime64[D]").astype(np.int64), ("threat",),
                        al.AlertThresholds(), int(np.datetime64("2018-01-01", "D").astype(np.int64)),
                        int(np.datetime64("2021-12-31", "D").astype(np.int64)))["threat"]
    for i, iso in enumerate(units["unit"].to_list()):
        for j, m in enumerate(months):
            c = series[(iso, m)]
            mean = sum(series[(iso, k)] for k in range(m - 12, m)) / 12
            assert bool(panel.alert[i, j]) == (c >= 10 and c >= 1.5 * mean), (vintage, iso, m)
            assert bool(panel.outcome[i, j]) == (series[(iso, m + 1)] > mean), (vintage, iso, m)


def test_the_two_views_vintages_revise_the_series_and_the_alerts():
    old, new = _views("challenge2023_toboden", "ged_sb"), _views("challenge2024_kaylanhua", "outcome")
    revised = {k for k in old if old[k] != new[k]}
    assert revised and {iso for iso, _ in revised} >= {"NER", "BFA"}
    # Niger 2019-2021 totals differ between the vintages (SOURCES.md: 285/514/456 vs 300/537/459)
    assert [sum(old[("NER", m)] for m in range(457 + 12 * y, 469 + 12 * y)) for y in (1, 2, 3)] == [285, 514, 456]
    assert [sum(new[("NER", m)] for m in range(457 + 12 * y, 469 + 12 * y)) for y in (1, 2, 3)] == [300, 537, 459]


# -- bad input and the CLI --------------------------------------------------------------------


@pytest.mark.parametrize("call, message", [
    (lambda o: o.alerts("province"), "unknown unit 'province' (valid: country, admin1, admin2)"),
    (lambda o: o.alerts("admin1", kind="spike"), "unknown alert kind 'spike' (valid: surge, threat, convergence)"),
    (lambda o: o.alerts("admin1", measure="deaths"), "unknown measure 'deaths' (valid: events, fatalities)"),
    (lambda o: o.alerts("admin1", thresholds={"surge": 2}), "unknown alert threshold 'surge'"),
    (lambda o: o.alerts("admin1", thresholds={"surge_increase": -1}), "surge_increase must be >= 0"),
    (lambda o: o.score_alerts("admin1", "2023-12", "2023-01"), "empty date range: from 2023-12 is after to 2023-01"),
    (lambda o: o.score_alerts("admin1", "2023-1x", "2023-12"), "not a month (expected YYYY-MM)"),
    (lambda o: o.score_alerts("admin1", "2023-01"), "needs --from YYYY-MM and --to YYYY-MM"),
])
def test_bad_input_is_one_clear_error(mopti, call, message):
    with pytest.raises(UsageError) as e:
        call(mopti)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_unknown_snapshot(mopti):
    with pytest.raises(SnapshotNotFound, match=r"snapshot 9 does not exist \(snapshots: 1..2\)"):
        mopti.alerts("admin1", "2023-10-31", as_of=9)


def test_cli_alerts_listing_and_score(mopti):
    from click.testing import CliRunner

    from sahelwatch.cli.main import cli

    home = str(mopti.home)
    r = CliRunner().invoke(cli, ["alerts", "--unit", "admin1", "--on", "2023-10-31", "--home", home, "--format", "json"])
    assert r.exit_code == 0, r.output
    assert {row["kind"] for row in json.loads(r.output)["rows"]} == {"surge", "threat", "convergence"}
    r = CliRunner().invoke(cli, ["alerts", "--unit", "admin1", "--on", "2023-10-31", "--home", home, "--lang", "fr"])
    assert r.exit_code == 0 and "y aura-t-il" in r.output
    r = CliRunner().invoke(cli, ["alerts", "score", "--unit", "admin1", "--from", "2022-06", "--to", "2023-12",
                                 "--home", home])
    assert r.exit_code == 0, r.output
    assert "rule" in r.output and "baseline" in r.output and "Brier" in r.output
    r = CliRunner().invoke(cli, ["alerts", "--kind", "spike", "--home", home])
    assert r.exit_code == 2 and r.output.strip() == "Error: unknown alert kind 'spike' (valid: surge, threat, convergence)"
