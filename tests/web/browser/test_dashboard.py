"""The dashboard in a real browser: offline, map drawn, filters in the URL, reload,
language switch, downloads, ACLED licence mode. Screenshots go to docs/screenshots/."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from sw_browser import Tab
from sw_web import Server

NNBSP = "\u202f"  # French group separator of Intl.NumberFormat('fr-FR'): "1 234,5"


def kpi(page, name: str) -> str:
    return page.inner_text(f"#kpi-{name}").strip()


def as_int(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


COUNT_COLOURS = """() => {
  // the map's WebGL canvas copied onto a 2D canvas, sampled: how many distinct colours
  const src = window.sahelwatch.map.getCanvas();
  const c = document.createElement('canvas');
  c.width = 200; c.height = 150;
  const g = c.getContext('2d');
  g.drawImage(src, 0, 0, 200, 150);
  const d = g.getImageData(0, 0, 200, 150).data;
  const seen = new Set();
  for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  return seen.size;
}"""


def test_map_draws_our_features_and_asks_the_network_for_nothing(tab, screenshots):
    page = tab.open("/?country=MLI,BFA,NER")
    assert tab.blocked == [], f"requests left the machine: {tab.blocked}"
    assert all(urlsplit(u).hostname in ("127.0.0.1", "localhost") for u in tab.requests if u.startswith("http"))
    assert tab.csp_violations() == []
    # the map's canvas holds a picture, not one flat colour
    assert page.evaluate(COUNT_COLOURS) > 20
    # our own admin-1 polygons, coloured by the choropleth, and the event points (clustered)
    assert page.evaluate("window.sahelwatch.renderedFeatures(['admin1-fill'])") > 10
    assert page.evaluate("window.sahelwatch.renderedFeatures(['points', 'clusters'])") > 0
    coloured = page.evaluate("""window.sahelwatch.map.queryRenderedFeatures({layers: ['admin1-fill']})
        .filter(f => f.state.events > 0).map(f => f.properties.iso3)""")
    assert set(coloured) <= {"MLI", "BFA", "NER"} and coloured
    assert page.inner_text("#legend").startswith("Events")
    page.locator(".map-wrap").screenshot(path=str(screenshots / "map-en.png"))
    page.screenshot(path=str(screenshots / "dashboard-en.png"))


def quantile_breaks(values: list[float]) -> list[float]:
    """The legend's class breaks, written again here: 0, then quantiles of the positive values."""
    pos = sorted(v for v in values if v > 0)
    out: list[float] = []
    for q in (0, 0.25, 0.5, 0.75, 0.9):
        v = pos[min(len(pos) - 1, int(q * len(pos)))] if pos else None
        if v is not None and (not out or v > out[-1]):
            out.append(v)
    return out or [1]


def test_the_map_opens_on_the_view_and_colours_each_area_by_its_class(tab):
    page = tab.open("/?country=MLI,BFA,NER")
    # the page's first questions were asked once, with the page (preloaded), not twice
    for path in ("/api/v1/meta", "/api/v1/places/admin?level=1", "/api/v1/places/admin?level=0",
                 "/api/v1/snapshots", "/static/i18n/en.json"):
        assert sum(urlsplit(u).path + (f"?{urlsplit(u).query}" if urlsplit(u).query else "") == path
                   for u in tab.requests) == 1, path
    # the view covers the three countries' outlines, zoomed in from the whole region
    box = httpx.get(tab.base + "/api/v1/places/admin?level=0&country=MLI,BFA,NER").json()
    xs, ys = [], []

    def visit(c):
        if isinstance(c[0], (int, float)):
            xs.append(c[0]); ys.append(c[1])
        else:
            for x in c:
                visit(x)
    for f in box["features"]:
        visit(f["geometry"]["coordinates"])
    w, s, e, n = page.evaluate("window.sahelwatch.map.getBounds().toArray().flat()")
    assert w <= min(xs) and s <= min(ys) and e >= max(xs) and n >= max(ys)
    assert page.evaluate("window.sahelwatch.map.getZoom()") > 3.3
    # each area's colour class follows its count and the legend's breaks
    states = page.evaluate("""window.sahelwatch.dmap.admin.features.map(f => [f.properties.code,
        window.sahelwatch.map.getFeatureState({source: 'admin1', id: f.properties.code})])""")
    events = {code: st.get("events", 0) for code, st in states}
    bks = quantile_breaks([v for v in events.values() if v])
    assert len(bks) > 2
    for code, st in states:
        assert st["cls"] == sum(st["events"] >= b for b in bks), code
    assert {st["cls"] for _, st in states} == set(range(len(bks) + 1))
    # the area under the pointer is outlined, and only that one
    canvas = page.locator("#map canvas").bounding_box()
    x, y = canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2
    under = page.evaluate(f"""window.sahelwatch.map.queryRenderedFeatures([{canvas['width'] / 2},
        {canvas['height'] / 2}], {{layers: ['admin1-fill']}}).map(f => f.properties.code)""")
    assert under
    page.mouse.move(x, y)
    outlined = []
    for _ in range(100):
        outlined = page.evaluate("window.sahelwatch.map.queryRenderedFeatures({layers: ['admin1-hover']}).map(f => f.properties.code)")
        if outlined:
            break
        page.wait_for_timeout(50)
    assert set(outlined) == {under[0]}
    assert page.locator(".sw-hover").inner_text().startswith(page.evaluate(
        f"window.sahelwatch.dmap.admin.features.find(f => f.properties.code === '{under[0]}').properties.name"))


def test_a_filter_changes_the_url_and_the_numbers_and_a_reload_restores_the_view(tab, demo_obs):
    page = tab.open("/")
    everything = as_int(kpi(page, "events"))
    assert everything == demo_obs.events(source="ucdp_ged,ucdp_candidate").to_polars().height

    tab.settle(lambda: page.select_option("#f-country", "MLI"))
    tab.settle(lambda: page.select_option("#f-category", "battle"))
    q = parse_qs(urlsplit(page.url).query)
    assert q["country"] == ["MLI"] and q["category"] == ["battle"]
    mali = demo_obs.events(country="MLI", source="ucdp_ged,ucdp_candidate").to_polars()
    want = mali.filter(mali["category"] == "battle")
    assert as_int(kpi(page, "events")) == want.height < everything
    assert as_int(kpi(page, "fatalities")) == int(want["fatalities_best"].sum())
    # the event table shows the same rows (first page), each a Mali battle
    rows = page.locator("#events tbody tr")
    assert rows.count() == min(25, want.height)
    keys = set(page.eval_on_selector_all("#events tbody tr", "trs => trs.map(t => t.dataset.key)"))
    assert keys <= set(want["event_key"].to_list())

    page.reload()
    tab.wait()
    assert page.input_value("#f-country") == "MLI"
    assert page.input_value("#f-category") == "battle"
    assert as_int(kpi(page, "events")) == want.height
    # back to the unfiltered view through the browser's history
    tab.settle(lambda: page.go_back())
    tab.settle(lambda: page.go_back())
    assert as_int(kpi(page, "events")) == everything


def test_the_language_switch_changes_labels_numbers_and_dates_and_is_remembered(tab, screenshots):
    page = tab.open("/")
    assert page.inner_text("[data-i18n='kpi.events']") == "Events"
    en_fatalities = kpi(page, "fatalities")
    assert "," in en_fatalities  # 22,164 in English
    tab.settle(lambda: page.click("#lang-fr"))
    assert page.inner_text("[data-i18n='kpi.events']") == "Événements"
    assert page.inner_text("[data-i18n='f.country']") == "Pays"
    assert page.inner_text("#f-category option[value='battle']") == "Combats"
    fr = kpi(page, "fatalities")
    assert NNBSP in fr and fr.replace(NNBSP, ",") == en_fatalities
    assert re.search(r"\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}",
                     kpi(page, "period")), kpi(page, "period")
    assert page.evaluate("document.documentElement.lang") == "fr"
    page.reload()
    tab.wait()
    assert page.inner_text("[data-i18n='kpi.events']") == "Événements", "the language choice is remembered"
    page.locator(".map-wrap").screenshot(path=str(screenshots / "map-fr.png"))
    page.locator(".charts").screenshot(path=str(screenshots / "charts-fr.png"))
    page.screenshot(path=str(screenshots / "dashboard-fr.png"))
    tab.settle(lambda: page.click("#lang-en"))
    assert page.inner_text("[data-i18n='kpi.events']") == "Events"
    assert tab.csp_violations() == []


def test_the_default_language_follows_the_browser(browser, web):
    t = Tab(browser, web.url, locale="fr-FR")
    try:
        page = t.open("/")
        assert page.inner_text("[data-i18n='nav.dashboard']") == "Tableau de bord"
    finally:
        t.close()


def test_a_link_carries_its_language(browser, web):
    t = Tab(browser, web.url, locale="en-GB")
    try:
        page = t.open("/?lang=fr&country=MLI")
        assert page.inner_text("[data-i18n='kpi.events']") == "Événements", "?lang=fr wins over the browser"
        assert page.evaluate("document.documentElement.lang") == "fr"
        caveats = page.inner_text("#trend-caveats")
        assert "pente sur les 36 dernières périodes" in caveats and "ged_cm_251 : dérivé de UCDP GED 25.1" in caveats
        assert "slope over" not in caveats and "third-party" not in caveats
        t.settle(lambda: page.select_option("#f-category", "battle"))
        q = parse_qs(urlsplit(page.url).query)
        assert q["lang"] == ["fr"] and q["category"] == ["battle"], "a filter change keeps the link's language"
        t.settle(lambda: page.click("#lang-en"))
        q = parse_qs(urlsplit(page.url).query)
        assert q["lang"] == ["en"] and q["country"] == ["MLI"], "the switch writes the language into the URL"
        assert page.inner_text("[data-i18n='kpi.events']") == "Events"
    finally:
        t.close()
    t = Tab(browser, web.url, locale="en-GB")
    try:
        page = t.open("/?lang=fr&bloc=AES")
        assert page.inner_text("#bloc-rule").startswith("règle d'appartenance « dynamic »")
        page = t.open("/bloc/AES?lang=fr")
        assert page.evaluate("document.documentElement.lang") == "fr"
        assert page.inner_text("[data-i18n='nav.dashboard']") == "Tableau de bord"
    finally:
        t.close()


def test_charts_render_in_the_page(tab, screenshots):
    page = tab.open("/?country=MLI,BFA,NER")
    for chart in ("time", "category", "actor", "compare", "institutions"):
        assert page.get_attribute(f"#chart-{chart}", "data-rendered") == "1", chart
        assert page.locator(f"#chart-{chart} svg").count() >= 1, chart
    assert "Battles" in page.inner_text("#chart-category")
    assert page.inner_text("#trend-answer").startswith("AES")
    page.locator(".charts").screenshot(path=str(screenshots / "charts-en.png"))


def test_a_download_holds_exactly_the_filtered_rows(tab, web, demo_obs):
    page = tab.open("/?country=MLI&category=battle&from=2023-01&to=2023-12")
    mali = demo_obs.events(country="MLI", start="2023-01-01", end="2023-12-31", source="ucdp_ged,ucdp_candidate").to_polars()
    want = set(mali.filter(mali["category"] == "battle")["event_key"].to_list())
    assert want
    csv_href = page.get_attribute("#dl-csv", "href")
    got = httpx.get(web.url + csv_href, timeout=60)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert {r["event_key"] for r in rows} == want and len(rows) == len(want)
    geo = httpx.get(web.url + page.get_attribute("#dl-geojson", "href"), timeout=60).json()
    assert {f["properties"]["event_key"] for f in geo["features"]} == want
    parquet = httpx.get(web.url + page.get_attribute("#dl-parquet", "href"), timeout=60)
    import pyarrow.parquet as pq

    assert set(pq.read_table(io.BytesIO(parquet.content)).column("event_key").to_pylist()) == want


def test_acled_mode_shows_aggregates_and_hides_rows(browser, acled_web, screenshots):
    t = Tab(browser, acled_web.url)
    try:
        page = t.open("/?source=acled&country=MLI,BFA,NER")
        assert page.is_visible("#acled-banner")
        assert "ACLED" in page.inner_text("#attribution")
        assert as_int(kpi(page, "events")) > 0, "aggregates are shown"
        assert page.is_hidden("#events-wrap") and page.is_visible("#events-hidden")
        assert page.is_hidden("#dl-csv") and page.is_hidden("#dl-geojson")
        assert page.locator("#events tbody tr").count() == 0
        assert page.evaluate("window.sahelwatch.renderedFeatures(['points', 'clusters'])") == 0
        assert not [u for u in t.requests if "/api/v1/events" in u], "no event rows were asked for"
        assert t.blocked == []
        page.screenshot(path=str(screenshots / "acled-aggregates-mode-en.png"))
    finally:
        t.close()


def test_private_mode_shows_acled_rows(browser, acled_home):
    s = Server(acled_home, "--private")
    t = Tab(browser, s.url)
    try:
        page = t.open("/?source=acled&country=MLI")
        assert page.is_hidden("#acled-banner")
        assert page.is_visible("#events-wrap") and page.locator("#events tbody tr").count() > 0
        assert "[SYNTHETIC]" in page.inner_text("#events tbody"), "generated rows, labelled as such"
    finally:
        t.close()
        s.stop()


def test_a_bloc_view_lists_its_members_events_and_alerts_only(tab, demo_obs):
    page = tab.open("/?bloc=AES")
    members = {"MLI", "BFA", "NER"}
    want = demo_obs.alerts(unit="admin1", source="ucdp_ged,ucdp_candidate", country="MLI,BFA,NER").to_polars()
    rows = page.eval_on_selector_all("#alerts tbody tr", "trs => trs.map(t => t.dataset.country)")
    assert len(rows) == min(12, want.height) > 0 and set(rows) <= members
    keys = set(page.eval_on_selector_all("#events tbody tr", "trs => trs.map(t => t.dataset.key)"))
    aes = demo_obs.events(bloc="AES", source="ucdp_ged,ucdp_candidate").to_polars()
    assert keys and keys <= set(aes["event_key"]) and as_int(kpi(page, "events")) == aes.height


def test_a_bloc_view_asks_for_its_members_and_numbers_once_with_the_page(tab, demo_obs):
    # the shell asks for the bloc's members (the map opens on them) and the page asks for its
    # numbers before its shapes are in: each answer is taken once, not asked again
    page = tab.open("/?bloc=AES&to=2023-10")
    members = [f"{urlsplit(u).path}?{urlsplit(u).query}" for u in tab.requests if "/members" in u]
    assert members == ["/api/v1/blocs/AES/members?on=2023-10-28"]  # the preloaded URL, taken once
    main = [parse_qs(urlsplit(u).query) for u in tab.requests if urlsplit(u).path == "/api/v1/aggregate"
            and parse_qs(urlsplit(u).query).get("by") == ["admin1"]]
    assert main == [{"bloc": ["AES"], "to": ["2023-10"], "source": ["ucdp"], "precision": ["as-coded"], "by": ["admin1"],
                     "period": ["month"], "measure": ["events,fatalities_best,fatalities_low,fatalities_high"],
                     "breakdown": ["category"]}]
    aes = demo_obs.events(bloc="AES", end="2023-10-31", source="ucdp_ged,ucdp_candidate").to_polars()
    assert as_int(kpi(page, "events")) == aes.height > 0
    assert page.evaluate("window.sahelwatch.renderedFeatures(['admin1-fill'])") > 10


def test_bloc_page_members_on_a_date_with_sources(browser, web, screenshots):
    for lang, locale in (("en", "en-GB"), ("fr", "fr-FR")):
        t = Tab(browser, web.url, locale=locale)
        try:
            page = t.open("/bloc/AES?on=2025-06-01")
            members = page.eval_on_selector_all("#members tbody tr", "trs => trs.map(t => t.dataset.iso3)")
            assert sorted(members) == ["BFA", "MLI", "NER"]
            assert page.locator("#members tbody a").count() >= 3, "every membership shows its source"
            assert page.locator("#milestones tbody tr").count() > 5
            assert page.get_attribute("#chart-bloc-timeline", "data-rendered") == "1"
            if lang == "fr":
                assert "16 septembre 2023" in page.inner_text("#members")
            else:
                assert "16 September 2023" in page.inner_text("#members")
            assert t.blocked == [] and t.csp_violations() == []
            page.screenshot(path=str(screenshots / f"bloc-{lang}.png"), full_page=True)
        finally:
            t.close()
    t = Tab(browser, web.url)
    try:
        page = t.open("/bloc/ECOWAS?on=2025-06-01")
        members = page.eval_on_selector_all("#members tbody tr", "trs => trs.map(t => t.dataset.iso3)")
        assert "MLI" not in members and "SEN" in members
        t.settle(lambda: page.fill("#b-on", "2020-01-01") or page.dispatch_event("#b-on", "change"))
        members = page.eval_on_selector_all("#members tbody tr", "trs => trs.map(t => t.dataset.iso3)")
        assert "MLI" in members and "on=2020-01-01" in page.url
    finally:
        t.close()


def test_pages_carry_no_inline_script(web):
    for path in ("/", "/bloc/AES"):
        html = web.get(path).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, tag
        assert re.findall(r"<script\b[^>]*>\s*[^<\s]", html) == []
        assert not re.search(r"\son[a-z]+\s*=", html), "no inline event handler"
    assert web.get("/bloc/NOPE").status_code == 404


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_label_the_page_uses_is_in_both_catalogues(lang):
    from pathlib import Path

    import sahelwatch.web.i18n as i18n

    web = Path(i18n.__file__).parent
    keys = set()
    for f in list((web / "templates").glob("*.html")) + list((web / "static" / "js").glob("*.js")):
        text = f.read_text(encoding="utf-8")
        keys |= set(re.findall(r"data-i18n=\"([a-z0-9_.-]+)\"", text))
        keys |= set(re.findall(r"\bt\(['`]([a-z0-9_.-]+)['`]", text))
    cat = json.loads((web / "static" / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
    en = json.loads((web / "static" / "i18n" / "en.json").read_text(encoding="utf-8"))
    assert set(cat) == set(en)
    missing = sorted(k for k in keys if k not in cat)
    assert missing == []
    for c in ("battle", "explosion_remote", "violence_against_civilians", "protest", "riot", "strategic"):
        assert f"cat.{c}" in cat
