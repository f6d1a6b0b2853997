"""Bad input, periods without data, ACLED's terms, a country-year brief, the forecast plug and the CLI."""

from __future__ import annotations

import datetime as dt
from html import unescape
import json

import pytest
from click.testing import CliRunner
from report import brief_fixtures as bf

from sahelwatch.cli.main import cli
from sahelwatch.domain.errors import SnapshotNotFound, UsageError


@pytest.mark.parametrize("kw, message", [
    ({"bloc": "NOPE"}, "unknown bloc 'NOPE'"),
    ({"country": "XXX"}, "unknown country 'XXX'"),
    ({"bloc": "AES", "country": "BFA"}, "one bloc (--bloc AES) or one country"),
    ({}, "one bloc (--bloc AES) or one country"),
    ({"country": "BFA,MLI"}, "--country takes one ISO3 code"),
    ({"bloc": "AES", "period": "2023-13"}, "use YYYY-MM (a month) or YYYY (a year)"),
    ({"bloc": "AES", "period": "Oct 2023"}, "use YYYY-MM (a month) or YYYY (a year)"),
    ({"bloc": "AES", "compare_to": "2023"}, "compare a month with a month"),
    ({"bloc": "AES", "lang": "de"}, "unknown language 'de'"),
    ({"bloc": "AES", "source": "acled"}, "unknown source 'acled' (not in the store)"),
])
def test_bad_input_is_one_usage_error(demo_obs, kw, message):
    kw = {"period": "2023-10", **kw}
    with pytest.raises(UsageError) as e:
        demo_obs.briefs.build(**kw)
    assert message in str(e.value)


def test_unknown_bloc_lists_the_valid_ones(demo_obs):
    with pytest.raises(UsageError) as e:
        demo_obs.briefs.build(bloc="NOPE", period="2023-10")
    assert "AES" in e.value.choices and "ECOWAS" in e.value.choices


def test_a_future_period_is_refused(demo_obs):
    nxt = dt.date.today().replace(day=1) + dt.timedelta(days=40)
    with pytest.raises(UsageError, match="is in the future"):
        demo_obs.briefs.build(bloc="AES", period=nxt.strftime("%Y-%m"))
    with pytest.raises(SnapshotNotFound):
        demo_obs.briefs.build(bloc="AES", period="2023-10", as_of=99)


def test_a_period_without_data_gives_a_short_brief_that_says_so(demo_obs, tmp_path):
    b = demo_obs.briefs.build(bloc="AES", period="2023-11")  # after the last Candidate release
    assert not b.has_data and b.data.coverage["2023-11"].status == "none"
    html = b.html()
    assert "No data for this period" in html and "the data end on 2023-10-31" in html
    assert "cur.events" not in b.figures and 'class="map"' not in html
    assert "<svg" in html  # the trend still shows October, the last month with data
    text = bf.pdf_text(b.write(tmp_path / "none.pdf"))
    assert "The store holds no data for AES" in text
    for p in bf.prose(html):  # still no number the data does not hold
        assert bf.stray_numbers(p["rest"], []) == [], p["rest"]


def test_a_bloc_before_it_existed_has_no_members_and_says_so(demo_obs):
    b = demo_obs.briefs.build(bloc="AES", period="2023-05", lang="fr")
    assert b.data.unit.countries == () and not b.has_data
    assert "n'avait aucun État membre sur la période" in unescape(b.html())


def test_country_year_brief(demo_obs, tmp_path):
    b = demo_obs.briefs.build(country="BFA", period="2023")
    # 2023: GED 23.1 (a sample) ends in 2022; Candidate 23.0.10 covers October only
    assert b.data.coverage["2023"].status == "partial"
    assert b.data.coverage["2022"].status == "sample"
    assert [(t, p.label) for t, p in b.data.comparisons()] == [("prev", "2022")]  # not twice
    expect = bf.candidate_totals("2023-10")["BFA"]
    assert b.figures["cur.events"].value >= expect["events"]
    html = b.html()
    assert "in Burkina Faso" in html and "The period is only partly covered" in html
    assert "A year before" not in html and html.count("No comparison with") == 1
    assert b.figures["cur.events"].command.startswith("sahelwatch aggregate --by country --country BFA --period year")
    fr = demo_obs.briefs.build(country="BFA", period="2023", lang="fr").html()
    assert "au Burkina Faso" in fr


@pytest.fixture(scope="module")
def acled_obs(tmp_path_factory):
    import sahelwatch
    from sahelwatch.fixtures.generator import generate_acled

    tmp = tmp_path_factory.mktemp("brief-acled")
    csv = tmp / "acled.csv"
    generate_acled(csv, 4000, 7, start="2020-01-01", end="2023-12-31")  # synthetic, labelled so
    obs = sahelwatch.open(tmp / "home")
    obs.ingest("acled", csv)
    return obs


def _direct(obs, start, end):
    df = obs.aggregate(by="country", country="MLI", period="month", start=start, end=end, source="acled",
                       measures="events,fatalities_best").to_polars()
    return int(df["events"].sum()), int(df["fatalities_best"].sum())


def test_acled_store_publishes_aggregates_only_with_the_attribution(acled_obs):
    b = acled_obs.briefs.build(country="MLI", period="2023-06")
    assert b.data.family == "acled" and b.has_data and b.figures["cur.events"].value > 0
    html = b.html()
    assert "Armed Conflict Location &amp; Event Data (ACLED)" in html and "aggregates only" in html
    assert "acled:" not in html  # no event id, so no event row, is published
    assert b.data.incidents == [] and "Event-level rows are not published from ACLED data" in html
    assert (b.figures["cur.events"].value, b.figures["cur.fatalities_best"].value) == _direct(
        acled_obs, "2023-06-01", "2023-06-30")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_comparisons_changes_and_record_are_stated_from_the_figures(acled_obs, lang):
    # 2021-01 lies outside the 24-month trend window: its own query; 2022-06 (a year before) inside
    b = acled_obs.briefs.build(country="MLI", period="2023-06", compare_to="2021-01", lang=lang)
    f = b.figures
    assert (f["prev.events"].value, f["prev.fatalities_best"].value) == _direct(acled_obs, "2021-01-01",
                                                                                 "2021-01-31")
    assert (f["yb.events"].value, f["yb.fatalities_best"].value) == _direct(acled_obs, "2022-06-01", "2022-06-30")
    for tag in ("prev", "yb"):
        cur, other = f["cur.events"].value, f[f"{tag}.events"].value
        assert f[f"chg_{tag}.events"].value == pytest.approx(100.0 * (cur - other) / other)
    assert "record.n_periods" in f and b.data.record is not None  # no sample here: the record is assessed
    html = b.html()
    assert ("change since then" if lang == "en" else "variation depuis") in html
    assert ("It is a record" if lang == "en" else "C'est un record") in unescape(html) or \
        ("It is not a record" if lang == "en" else "Ce n'est pas un record") in unescape(html)
    for p in bf.prose(html):
        for key, printed in p["figs"]:
            value = f[key].value
            shown = float(printed.replace("\u2212", "-").replace("+", "").replace("%", "").replace("\u202f", "")
                          .replace(",", "." if lang == "fr" else ""))
            assert shown == pytest.approx(round(value)), (key, printed, value)
        assert bf.stray_numbers(p["rest"], []) == [], p["rest"]


class StoredForecasts:
    """The forecast layer's side of the plug (see report/forecast_section.py): stored rows."""

    def stored(self, units, months, source=None, as_of=None):
        return [{"unit": u, "month": m, "measure": "fatalities_best", "median": 40.0 + i, "low": 10.0,
                 "high": 120.0, "model": "test-model", "command": f"sahelwatch forecast show --country {u}",
                 "snapshot": 2} for i, (u, m) in enumerate((u, m) for u in units for m in months)]


def test_forecast_section_shows_median_and_90_interval_when_forecasts_exist(demo_obs, monkeypatch):
    from sahelwatch.forecast.namespace import ForecastNamespace

    monkeypatch.setattr(ForecastNamespace, "stored", StoredForecasts.stored, raising=False)
    b = demo_obs.briefs.build(bloc="AES", period="2023-10")
    html = b.html()
    assert len(b.data.forecast.rows) == 9  # 3 members x Nov, Dec 2023, Jan 2024
    assert {r["month"] for r in b.data.forecast.rows} == {"2023-11", "2023-12", "2024-01"}
    assert b.figures["forecast.0.median"].value == 40.0 and b.figures["forecast.0.high"].value == 120.0
    assert "90% interval" in html and "sahelwatch forecast show --country BFA" in html
    assert "Left out" not in html.split("Forecast outlook")[1].split("</section>")[0]


def test_a_past_forecast_shows_what_was_observed_since_beside_it(demo_obs, monkeypatch):
    from sahelwatch.forecast.namespace import ForecastNamespace

    def stored(self, units, months, source=None, as_of=None):
        rows = StoredForecasts.stored(self, units, months, source, as_of)
        for r in rows:
            r.update(observed=77.0 if r["unit"] == "MLI" else None, observed_snapshot=4, origin="2023-10")
        return rows

    monkeypatch.setattr(ForecastNamespace, "stored", stored, raising=False)
    b = demo_obs.briefs.build(bloc="AES", period="2023-10", lang="fr")
    html = b.html()
    observed = [f for f in b.figures if f.key.endswith(".observed")]
    assert len(observed) == 3 and {f.value for f in observed} == {77.0}  # Mali's three months only
    assert all(f.snapshot == 4 and f.command.endswith("--as-of 4") for f in observed)
    assert html.count('<span class="observed">observé depuis\u202f: ') == 3
    assert "Observé depuis\u202f: ce que les données contiennent désormais" in html


def test_cli_brief_writes_html_pdf_and_json(demo_obs, tmp_path):
    r = CliRunner()
    home = str(demo_obs.home)
    res = r.invoke(cli, ["brief", "--home", home, "--bloc", "AES", "--period", "2023-10", "-o",
                         str(tmp_path / "b.html")])
    assert res.exit_code == 0, res.output
    assert "AES (Alliance of Sahel States" in (tmp_path / "b.html").read_text()
    res = r.invoke(cli, ["brief", "--home", home, "--country", "NER", "--period", "2023-10", "--format", "json"])
    assert res.exit_code == 0, res.output
    figs = {f["key"]: f for f in json.loads(res.output)["figures"]}
    assert figs["cur.events"]["value"] == bf.candidate_totals("2023-10")["NER"]["events"] == 12
    assert figs["cur.fatalities_best"]["value"] == 115


@pytest.mark.parametrize("args, message", [
    (["--bloc", "NOPE", "--period", "2023-10"], "Error: unknown bloc 'NOPE'"),
    (["--bloc", "AES", "--period", "2999-01"], "Error: period 2999-01 is in the future"),
    (["--bloc", "AES", "--period", "2023-10", "--format", "pdf"], "Error: --format pdf needs -o FILE.pdf"),
])
def test_cli_bad_input_is_one_line_and_exit_2(demo_obs, args, message):
    res = CliRunner().invoke(cli, ["brief", "--home", str(demo_obs.home), *args])
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [res.output.strip()] and res.output.startswith(message)
