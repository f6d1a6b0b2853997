"""The demo store's AES October 2023 brief: its figures, its prose, its footnotes."""

from __future__ import annotations

import json
import re
import shlex
from html import escape

import pytest
from click.testing import CliRunner
from report import brief_fixtures as bf

from sahelwatch.cli.main import cli
from sahelwatch.report.i18n import NNBSP, num, parse_num
from sw_web import DEMO_LAST


def test_headline_and_member_figures_match_the_candidate_file(aes_en):
    expect = bf.candidate_totals("2023-10")
    figs = aes_en.figures
    # the figures the lead checked by hand: BFA 58/569, MLI 55/119, NER 12/115
    assert {c: (expect[c]["events"], expect[c]["best"]) for c in expect} == {
        "BFA": (58, 569), "MLI": (55, 119), "NER": (12, 115)}
    for c, t in expect.items():
        assert figs[f"country.{c}.events"].value == t["events"]
        assert figs[f"country.{c}.fatalities_best"].value == t["best"]
        assert figs[f"country.{c}.fatalities_low"].value == t["low"]
        assert figs[f"country.{c}.fatalities_high"].value == t["high"]
    assert figs["cur.events"].value == sum(t["events"] for t in expect.values()) == 125
    assert figs["cur.fatalities_best"].value == sum(t["best"] for t in expect.values()) == 803
    assert figs["cur.fatalities_low"].value == sum(t["low"] for t in expect.values())
    assert figs["cur.fatalities_high"].value == sum(t["high"] for t in expect.values())


def test_html_prints_each_figure_with_its_footnote(demo_obs, aes_en):
    html = aes_en.html()
    for key, printed in [("cur.events", "125"), ("cur.fatalities_best", "803"), ("cur.fatalities_high", "1,210"),
                         ("country.BFA.events", "58"), ("country.BFA.fatalities_best", "569"),
                         ("country.MLI.fatalities_best", "119"), ("country.NER.fatalities_best", "115")]:
        assert f'data-key="{key}">{printed}</span><sup class="fn"><a href="#fn-' in html
    notes = {n: cmd for n, cmd, _, _ in aes_en.figures.footnotes()}
    for f in aes_en.figures:
        assert f.command in notes.values(), f.key
        if f.key.startswith("forecast."):  # the snapshot the forecast was fitted on: the series' own
            ged_cm = max(s.id for s in demo_obs.snapshots() if s.source == "series:ged_cm_251")
            assert f.snapshot == ged_cm, f.key
        else:
            assert f.snapshot == DEMO_LAST  # the store's latest snapshot when the brief was made
    for n in notes:
        assert f'<li id="fn-{n}">' in html


def _run(cmd: str, home) -> str:
    args = shlex.split(cmd)
    assert args[0] == "sahelwatch"
    res = CliRunner().invoke(cli, [*args[1:], "--home", str(home), "--format", "json"])
    assert res.exit_code == 0, res.output
    return res.output


def test_each_footnote_command_reproduces_its_figure(demo_obs, aes_en):
    figs = aes_en.figures
    checked = 0
    for f in figs:
        if not f.command.startswith("sahelwatch aggregate") or f.key.startswith(("chg_", "trend.", "cells.")):
            continue
        rows = json.loads(_run(f.command, demo_obs.home))["rows"]
        kind, _, measure = f.key.rpartition(".")
        if f.key.startswith("country."):
            rows = [r for r in rows if r["country_iso3"] == f.key.split(".")[1]]
        elif f.key.startswith("area."):
            i = int(f.key.split(".")[1])
            rows = [r for r in rows if r["admin1_code"] == aes_en.data.areas[i]["admin1_code"]]
        elif f.key.startswith("actor."):
            rows = [r for r in rows if r["actor"] == aes_en.data.actors[int(f.key.split(".")[1])]["actor"]]
        assert sum(r[measure] for r in rows) == f.value, (f.key, f.command)
        checked += 1
    assert checked >= 30
    # a named incident: its command lists the event, with the printed fatalities
    inc = aes_en.data.incidents[0]
    events = json.loads(_run(figs["incident.0.fatalities_best"].command, demo_obs.home))
    ev = [e for e in events if e["event_key"] == inc["event_key"]]
    assert ev and ev[0]["fatalities_best"] == figs["incident.0.fatalities_best"].value == 63


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_number_in_the_prose_is_a_computed_figure(request, lang):
    b = request.getfixturevalue(f"aes_{lang}")
    paras = bf.prose(b.html())
    assert len(paras) >= 8
    allowed = [s.file.rsplit("/", 1)[-1] for s in b.data.all_snapshots] + [
        str(s.release) for s in b.data.all_snapshots] + ["PRIO-GRID"]
    seen = 0
    for p in paras:
        for key, printed in p["figs"]:
            f = b.figures[key]
            assert f.value is not None, key
            value = parse_num(printed)
            assert value == pytest.approx(round(f.value, 0)), (key, printed, f.value)
            seen += 1
        assert bf.stray_numbers(p["rest"], allowed) == [], p["rest"]
    assert seen >= 20


def test_french_brief_uses_french_typography(aes_fr):
    html = aes_fr.html()
    assert "octobre 2023" in html and "septembre 2023" in html
    assert f"1{NNBSP}210" in html  # thousands: narrow no-break space
    for p in bf.prose(html):
        text = p["rest"]
        for mark in (":", ";", "?", "!"):
            i = text.find(mark)
            while i > 0:
                assert text[i - 1] == NNBSP, (mark, text[max(0, i - 30):i + 5])
                i = text.find(mark, i + 1)
    assert num(12.5, "fr", 1) == "12,5" and num(12.5, "en", 1) == "12.5"
    assert "octobre 2023</time>, UCDP a enregistré" in html
    assert f"— instantané {DEMO_LAST}{NNBSP}; <span class=\"labels\">événements, AES, 2023-10{NNBSP}; morts" in html


def test_french_brief_carries_the_analytics_notes_in_french(aes_en, aes_fr):
    en, fr = aes_en.html(), aes_fr.html()
    # the same notes, each in its language: the English text never reaches the French brief
    pairs = (("UCDP Candidate events are preliminary", "les événements UCDP Candidate sont provisoires"),
             ("no ingested UCDP release covers 2023-01, 2023-02", "aucune version UCDP intégrée ne couvre 2023-01, "
                                                                 "2023-02"),
             ("the store holds no event from these sources in 6 of the 13 months up to 2023-10-31",
              "la base ne contient aucun événement de ces sources pour 6 des 13 mois jusqu'au 2023-10-31"),
             ("as-coded: every event at its given coordinates", "telle que codée"),
             ("DejaVu Sans fonts", "polices DejaVu Sans"))
    for e, f in pairs:
        assert e in en and e not in fr and f.replace("'", "&#x27;") in fr.replace("&#39;", "&#x27;"), e
    # an HTML entity keeps its ';' (French spacing goes before a real semicolon only)
    assert "Sundberg &amp; Melander" in fr and f"&amp{NNBSP};" not in fr


def test_comparisons_say_why_there_is_none(aes_en, aes_fr):
    # September 2023: no ingested UCDP release covers it; October 2022: only the GED sample
    assert aes_en.data.coverage["2023-09"].status == "none"
    assert aes_en.data.coverage["2022-10"].status == "sample"
    assert "prev.events" not in aes_en.figures and "yb.events" not in aes_en.figures
    html = aes_en.html()
    assert "No comparison with <time" in html and "no ingested UCDP release covers it" in html
    assert "only a sample of UCDP GED 23.1 covers it" in html
    assert "Record not assessed" in html and "is a record" not in html
    assert "Pas de comparaison avec" in aes_fr.html()


def test_brief_carries_sources_credits_and_membership(aes_en):
    html = aes_en.html()
    for s in ("ged231_sample1000_global.csv", "GEDEvent_v23_0_10.csv", "23.0.10", "Uppsala Conflict Data Program",
              "geoBoundaries", "on:2023-10-15", "as-coded", "DejaVu"):
        assert s in html, s
    assert "ACLED" not in html  # no ACLED data in the demo store
    assert [m["iso3"] for m in aes_en.data.bloc_info["members"]] == ["BFA", "MLI", "NER"]
    assert aes_en.data.regenerate.startswith("sahelwatch brief --bloc AES --period 2023-10")
    # the deadliest events link to their ids
    for inc in aes_en.data.incidents:
        assert f'<code class="event-id">{inc["event_key"]}</code>' in html


def test_map_and_trend_are_inline_svg(aes_en):
    html = aes_en.html()
    assert html.count("<svg") == 2
    assert 'class="map"' in html and "<title>Sahel (BFA): 21</title>" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        "http://www.w3.org/1999/xlink", "")  # nothing fetched from the network
    assert len(aes_en.data.trend_rows) == 24
    assert [r["status"] for r in aes_en.data.trend_rows[-10:]] == ["none"] * 9 + ["full"]


def _outlook(html: str) -> str:
    return html.split("Forecast outlook" if "Forecast outlook" in html else "Prévisions")[1].split("</section>")[0]


def test_the_outlook_is_the_stored_forecast_made_in_october_2023(demo_obs, aes_en):
    import polars as pl

    html = aes_en.html()
    rows = aes_en.data.forecast.rows
    ids = {r["forecast"] for r in rows}
    assert len(ids) == 1 and len(rows) == 9  # 3 members x November 2023 to January 2024
    f = demo_obs.forecast.get(ids.pop())
    # the store holds no forecast from its own events (a sample with uncovered months): the
    # outlook is the GED-derived series' forecast made at the end of the period, and says so
    assert (f.manifest["source"], f.manifest["origin_month"], f.manifest["target"]) == ("series:ged_cm_251",
                                                                                        "2023-10", "fatalities_all")
    assert {r["month"] for r in rows} == {"2023-11", "2023-12", "2024-01"}
    # each printed number is the stored summary's, read here from the Parquet file
    summ = pl.read_parquet(f.path / "summary.parquet")
    series = demo_obs.series.table("ged_cm_251")
    for i, r in enumerate(rows):
        s = summ.filter((pl.col("unit") == r["unit"]) & (pl.col("month").cast(pl.String).str.slice(0, 7) == r["month"]))
        assert aes_en.figures[f"forecast.{i}.median"].value == s["q50"].item()
        assert aes_en.figures[f"forecast.{i}.high"].value == s["q95"].item()
        assert f'data-key="forecast.{i}.median">{num(s["q50"].item(), "en")}</span>' in html
        # what happened since, from the series itself
        obs_row = series.filter((pl.col("country_iso3") == r["unit"])
                                & (pl.col("period").cast(pl.String).str.slice(0, 7) == r["month"]))
        assert aes_en.figures[f"forecast.{i}.observed"].value == obs_row["value"].item()
    part = _outlook(html)
    assert "Left out" not in part and "90% interval" in part and f"forecast {f.id}" in part
    assert "probabilities, not certainties" in part
    assert ("The store holds no forecast made from its own UCDP events at 2023-10: this outlook is the forecast "
            "of the series ged_cm_251") in part and "another source than the figures above" in part
    assert f"sahelwatch forecast show --forecast {f.id} --country BFA" in html  # the footnote
    assert escape(f.manifest["command"]) in part  # the command that fits it again (its shell quotes escaped)
    assert "observed since" in part
    # the series' snapshot the outlook read is listed with the brief's other snapshots
    assert f.manifest["snapshot"] in {s.id for s in aes_en.data.snapshots if s.source == "series:ged_cm_251"}
    assert "schincariol_limits_conf_ged251_1989_2024.csv" in html.split('class="snapshots"')[1]


def test_the_french_outlook_speaks_french(aes_fr):
    part = _outlook(aes_fr.html())
    assert f"intervalle à 90{NNBSP}%" in part and "médiane" in part and "novembre 2023" in part
    assert "ces perspectives sont la prévision de la série ged_cm_251" in part and "observé depuis" in part
    assert "des probabilités, non des certitudes" in part


def test_a_period_without_a_forecast_made_then_leaves_the_outlook_out(demo_obs):
    b = demo_obs.briefs.build(country="NER", period="2023-08")
    text = re.sub(r"<[^>]+>", "", b.html())
    assert ("Left out: the store holds no forecast for NER made at 2023-08 with data to that month only "
            "(2023-09 to 2023-11).") in text
