"""The dashboard's forecast panel in a real browser: a fan chart per country drawn from the stored
forecasts, a caption that says it is a forecast (model, origin, snapshot), the language switch.
Screenshots go to docs/screenshots/forecast-{en,fr,observed-en}.png."""

from __future__ import annotations

NNBSP = "\u202f"


def _figures(page) -> list[dict]:
    return page.evaluate("""[...document.querySelectorAll('#forecast-charts figure')].map(f => ({
        unit: f.dataset.unit, rendered: f.querySelector('.chart').dataset.rendered,
        paths: f.querySelectorAll('svg path').length, caption: f.querySelector('figcaption').textContent,
        svgText: [...f.querySelectorAll('svg text')].map(t => t.textContent).join(' | ')}))""")


def test_the_forecast_panel_draws_a_fan_chart_per_member_with_its_caption(tab, web, screenshots):
    page = tab.open("/?bloc=AES")
    figs = _figures(page)
    assert [f["unit"] for f in figs] == ["BFA", "MLI", "NER"]  # the bloc's members (API order)
    latest = web.get("/api/v1/forecast", params={"country": "MLI"}).json()["meta"]
    for f in figs:
        assert f["rendered"] == "1" and f["paths"] >= 4, f  # bands, median, history drawn as SVG
        cap = f["caption"]
        assert cap.startswith("Forecast, not a record: model gbm, made at the end of 2024-12"), cap
        assert f"snapshot {latest['snapshot']}" in cap and latest["forecast"] in cap
        assert "probabilities, not certainties" in cap and "50% and 90% intervals" in cap
        assert "90% interval" in f["svgText"] and "deaths per month" in f["svgText"]
    assert page.inner_text("#forecast-note").startswith("Reproduce: sahelwatch forecast ")
    assert tab.blocked == [] and tab.csp_violations() == [] and page.evaluate("window.sahelwatch.errors") == []
    page.locator("#forecast-panel").screenshot(path=str(screenshots / "forecast-en.png"))


def test_a_past_forecast_shows_what_was_observed_since(tab, web, screenshots):
    page = tab.open("/?country=MLI")
    past = next(m for m in web.get("/api/v1/forecasts").json()["rows"]
                if m["source"] == "series:ged_cm_251" and m["origin_month"] == "2023-10")
    tab.settle(lambda: page.select_option("#forecast-pick", past["id"]))
    figs = _figures(page)
    assert [f["unit"] for f in figs] == ["MLI"]
    assert "made at the end of 2023-10" in figs[0]["caption"]
    assert "Observed since: 12 of those months" in figs[0]["caption"]
    assert "observed since" in figs[0]["svgText"]
    page.locator("#forecast-panel").screenshot(path=str(screenshots / "forecast-observed-en.png"))


def test_the_forecast_panel_switches_language(tab, screenshots):
    page = tab.open("/?bloc=AES")
    tab.settle(lambda: page.click("#lang-fr"))
    assert page.inner_text("#forecast-panel h2") == "Prévision"
    figs = _figures(page)
    assert len(figs) == 3 and all(f["rendered"] == "1" for f in figs)
    for f in figs:
        assert f["caption"].startswith(f"Prévision, non constat{NNBSP}: modèle gbm, établie fin 2024-12"), f["caption"]
        assert "des probabilités, non des certitudes" in f["caption"]
        assert f"intervalle à 90{NNBSP}%" in f["svgText"] and "morts par mois" in f["svgText"]
    page.locator("#forecast-panel").screenshot(path=str(screenshots / "forecast-fr.png"))
    tab.settle(lambda: page.click("#lang-en"))
    assert _figures(page)[0]["caption"].startswith("Forecast, not a record")
