"""The API over HTTP against a real server on 127.0.0.1, its numbers checked against the
Python API on the same store (the demo store: bundled real UCDP data)."""

from __future__ import annotations

import csv
import io
import re

import polars as pl

from sw_web import DEMO_LAST, Server, cli


def test_meta_describes_the_store_without_its_path(server, demo_home):
    m = server.get("/api/v1/meta").json()
    assert m["store"] == demo_home.name and str(demo_home) not in server.get("/api/v1/meta").text
    assert m["acled_mode"] == "none" and m["write_enabled"] is False and m["latest_snapshot"] == DEMO_LAST
    assert {s["source"] for s in m["sources"]} == {"ucdp_ged", "ucdp_candidate"}
    ged = next(s for s in m["sources"] if s["source"] == "ucdp_ged")
    assert ged["events"] == 1000 and ged["first_date"].startswith("1989")
    series = {x["series"]: x for x in m["series"]}
    assert set(series) == {"views_cm", "ged_cm_251"} and series["ged_cm_251"]["source"] == "series:ged_cm_251"
    assert series["ged_cm_251"]["first"] == "1989-01-01" and series["ged_cm_251"]["last"] == "2024-12-01"
    assert series["ged_cm_251"]["units"] == 119 and series["views_cm"]["sample"] is False
    assert "MLI" in m["countries"] and {"AES", "ECOWAS", "G5_SAHEL"} <= {b["id"] for b in m["blocs"]}
    assert {a["source"] for a in m["attribution"]} == {"UCDP", "GeoNames", "geoBoundaries", "Natural Earth"}


def test_aggregate_over_http_equals_the_python_api(server, demo_obs):
    got = server.get("/api/v1/aggregate", params={"by": "country", "period": "year", "country": "MLI,BFA,NER",
                                                 "source": "ucdp"}).json()
    want = demo_obs.aggregate(by="country", period="year", country="MLI,BFA,NER", source="ucdp").to_polars()
    assert len(got["rows"]) == want.height
    assert sum(r["fatalities_best"] for r in got["rows"]) == want["fatalities_best"].sum()
    assert got["meta"]["unit"] == "country" and got["meta"]["as_of"] == DEMO_LAST


def test_category_and_actor_filters_narrow_the_numbers(server, demo_obs):
    ev = demo_obs.events(country="MLI").to_polars()
    base = {"country": "MLI", "period": "year", "measure": "events"}
    total = sum(r["events"] for r in server.get("/api/v1/aggregate", params=base).json()["rows"])
    battles = sum(r["events"] for r in server.get("/api/v1/aggregate", params=base | {"category": "battle"}).json()["rows"])
    actor = "Government of Mali"
    by_actor = sum(r["events"] for r in server.get("/api/v1/aggregate", params=base | {"actor": actor}).json()["rows"])
    assert total == ev.height == 62
    assert battles == (ev["category"] == "battle").sum() == 46
    assert by_actor == ((ev["actor1"] == actor) | (ev["actor2"] == actor)).sum() == 56
    page = server.get("/api/v1/events", params={"country": "MLI", "category": "battle", "actor": actor}).json()
    assert page["total"] == ((ev["category"] == "battle") & ((ev["actor1"] == actor) | (ev["actor2"] == actor))).sum()
    assert all(r["category"] == "battle" and actor in (r["actor1"], r["actor2"]) for r in page["rows"])


def test_event_pages_cover_every_event_once_in_order(server, demo_obs):
    want = demo_obs.events(source="ucdp_candidate").to_polars()
    keys, fats, cursor = [], [], None
    while True:
        params = {"source": "ucdp_candidate", "sort": "-fatalities_best", "limit": 500}
        if cursor:
            params["cursor"] = cursor
        page = server.get("/api/v1/events", params=params).json()
        assert page["total"] == want.height == 2391
        keys += [r["event_key"] for r in page["rows"]]
        fats += [r["fatalities_best"] for r in page["rows"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(keys) == len(set(keys)) == want.height and set(keys) == set(want["event_key"])
    assert fats == sorted(fats, reverse=True)


def test_a_cursor_keeps_its_snapshot_and_refuses_other_filters(server):
    first = server.get("/api/v1/events", params={"limit": 10, "as_of": 1}).json()
    assert first["total"] == 1000 and first["meta"]["as_of"] == 1
    nxt = server.get("/api/v1/events", params={"limit": 10, "cursor": first["next_cursor"]}).json()
    assert nxt["meta"]["as_of"] == 1 and {r["source"] for r in nxt["rows"]} == {"ucdp_ged"}
    other = server.get("/api/v1/events", params={"limit": 10, "country": "MLI", "cursor": first["next_cursor"]})
    assert other.status_code == 400 and other.json()["error"]["details"]["param"] == "cursor"


def test_downloads_hold_exactly_the_filtered_rows(server, demo_obs):
    want = demo_obs.events(country="MLI", start="2010-01-01").to_polars()
    params = {"country": "MLI", "from": "2010"}
    r = server.get("/api/v1/events", params=params | {"format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == 'attachment; filename="events.csv"'
    got = list(csv.DictReader(io.StringIO(r.text)))
    assert sorted(x["event_key"] for x in got) == sorted(want["event_key"])
    pq = server.get("/api/v1/events", params=params, headers={"Accept": "application/vnd.apache.parquet"})
    assert pq.headers["content-type"] == "application/vnd.apache.parquet"
    assert sorted(pl.read_parquet(io.BytesIO(pq.content))["event_key"]) == sorted(want["event_key"])
    gj = server.get("/api/v1/events", params=params | {"format": "geojson"}).json()
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == want.height
    f = gj["features"][0]
    assert f["geometry"]["type"] == "Point" and "latitude" not in f["properties"]


def test_admin1_choropleth_geojson_carries_counts_and_shapes(server, demo_obs):
    gj = server.get("/api/v1/aggregate", params={"by": "admin1", "period": "year", "country": "MLI",
                                                "format": "geojson"})
    assert gj.headers["content-type"] == "application/geo+json"
    feats = gj.json()["features"]
    want = demo_obs.aggregate(by="admin1", period="year", country="MLI").to_polars()
    assert len(feats) == want.height
    assert sum(f["properties"]["events"] for f in feats) == want["events"].sum()
    shaped = [f for f in feats if f["properties"]["admin1_code"]]
    assert shaped and all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in shaped)


def test_trend_answers_in_english_and_french(server, demo_obs):
    params = {"country": "MLI", "period": "month", "measure": "events"}
    en = server.get("/api/v1/trend", params=params).json()
    want = demo_obs.trend(country="MLI", period="month", measure="events").to_polars().row(0, named=True)
    # the API says what the analytics say: the demo's GED file is a sample, and the sentence says so
    assert en["answer"] == [want["answer_en"]]
    assert en["answer"][0].startswith("In this sample, Mali: 2023-10 is a record, the highest of 409 complete months")
    assert "55 events, above the previous high of 2 in 2022-03" in en["answer"][0]
    assert sum(p["included"] for p in en["series"]) == 409 and any("Candidate" in c for c in en["rows"][0]["caveats"])
    fr = server.get("/api/v1/trend", params=params | {"lang": "fr"}).json()
    assert fr["answer"] == [want["answer_fr"]]
    assert fr["answer"][0].startswith("Dans cet échantillon, Mali : 2023-10 est un record")
    y = server.get("/api/v1/trend", params={"country": "NGA", "period": "year", "lang": "fr"}).json()
    assert "5 morts (estimation centrale), rang 7 sur 34 années complètes" in y["answer"][0]
    # every caveat in the language asked, the same notes with the same values
    assert len(fr["caveats"]) == len(en["caveats"]) >= 4
    assert any(c.startswith("UCDP Candidate events are preliminary") for c in en["caveats"])
    assert any(c.startswith("les événements UCDP Candidate sont provisoires") for c in fr["caveats"])
    slope_en = next(c for c in en["caveats"] if c.startswith("slope over the last"))
    slope_fr = next(c for c in fr["caveats"] if c.startswith("pente sur les"))
    phi = slope_en.split("dispersion phi = ")[1].split(";")[0]
    assert f"dispersion phi = {phi.replace('.', ',')} ;" in slope_fr
    assert not set(en["caveats"]) & set(fr["caveats"]), "no English note left in the French answer"


def test_a_long_series_answers_for_the_aes_over_36_years(server):
    r = server.get("/api/v1/trend", params={"bloc": "AES", "measure": "fatalities_all", "period": "year",
                                            "source": "series:ged_cm_251", "membership": "on:2024-12-31"}).json()
    assert r["answer"][0].startswith("AES: 2024 is not a record: 7,306 deaths, rank 2 of 36 complete years")
    assert r["rows"][0]["sample"] is False and r["rows"][0]["complete_years"] == 36


def test_warning_tables_and_registry_routes_answer(server):
    ind = server.get("/api/v1/indicators").json()
    assert ind["rows"] and {"deadliness", "danger"} <= set(ind["rows"][0])
    al = server.get("/api/v1/alerts", params={"unit": "country"}).json()
    assert al["rows"] and {"question", "question_fr", "probability", "resolution_date"} <= set(al["rows"][0])
    members = server.get("/api/v1/blocs/AES/members", params={"on": "2024-12-01"}).json()
    assert sorted(m["iso3"] for m in members["rows"]) == ["BFA", "MLI", "NER"]
    eco = server.get("/api/v1/blocs/ECOWAS/members", params={"on": "2022-06-01"}).json()
    assert any(m["iso3"] == "MLI" and m["suspended"] for m in eco["rows"])
    inst = server.get("/api/v1/blocs/AES/institutions").json()
    assert {"datasets", "layer"} <= set(inst["vega_lite"]) and len(inst["rows"]) == 10
    cmp_ = server.get("/api/v1/blocs/compare", params={"blocs": "AES,G5_SAHEL", "months": 12}).json()
    assert {r["bloc"] for r in cmp_["rows"]} == {"AES", "G5_SAHEL"} and len(cmp_["rows"]) == 24
    assert server.get("/api/v1/coups", params={"country": "NER"}).json()["rows"]
    assert server.get("/api/v1/places/cell", params={"lat": 12.37, "lon": -1.52}).json()["gid"] == 147237
    hits = server.get("/api/v1/places/search", params={"q": "tombouctou"}).json()["rows"]
    assert hits[0]["country_iso3"] == "MLI"
    adm = server.get("/api/v1/places/admin", params={"level": 1}).json()
    assert {f["properties"]["iso3"] for f in adm["features"]} == {"BFA", "MLI", "MRT", "NER", "NGA", "TCD"}


def test_security_headers_on_pages_data_and_errors(server):
    for path in ("/", "/api/v1/meta", "/api/v1/nope", "/api/v1/events?limit=0"):
        h = server.get(path).headers
        assert "frame-ancestors 'none'" in h["content-security-policy"]
        assert "script-src 'self'" in h["content-security-policy"] and "unsafe-inline" not in h["content-security-policy"].split("script-src")[1].split(";")[0]
        assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY"


def test_serve_refuses_private_on_a_network_host(demo_home):
    r = cli("serve", "--home", demo_home, "--host", "0.0.0.0", "--private", check=False)
    assert r.returncode == 2 and "loopback" in r.stderr and "Traceback" not in r.stderr


def test_serve_refuses_a_token_file_others_can_read(demo_home, tmp_path):
    tok = tmp_path / "token"
    tok.write_text("a" * 32)
    tok.chmod(0o644)
    r = cli("serve", "--home", demo_home, "--write-token-file", tok, check=False)
    assert r.returncode == 2 and "chmod 600" in r.stderr


def test_serve_prints_its_address(demo_home):
    s = Server(demo_home)
    err = s.stop()
    assert f"http://127.0.0.1:{s.port}/" in s.stdout and "Traceback" not in err


def test_admin_boundaries_can_be_kept_by_the_browser(server):
    first = server.get("/api/v1/places/admin", params={"level": 1, "country": "MLI"})
    etag = first.headers["etag"]
    assert first.status_code == 200 and "max-age" in first.headers["cache-control"]
    again = server.get("/api/v1/places/admin", params={"level": 1, "country": "MLI"},
                       headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = server.get("/api/v1/places/admin", params={"level": 2, "country": "MLI"},
                       headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


def test_the_dashboard_shell_asks_for_a_blocs_members_with_the_page(server):
    def preloads(query):
        html = server.get("/", params=query).text
        return [h for h in re.findall(r'<link rel="preload" as="fetch"[^>]*href="([^"]+)"', html) if "/blocs/" in h]
    assert preloads({"bloc": "AES"}) == ["/api/v1/blocs/AES/members"]
    # the day the page asks them for: the 28th of the view's last month, or its last day
    assert preloads({"bloc": "AES", "to": "2023-10"}) == ["/api/v1/blocs/AES/members?on=2023-10-28"]
    assert preloads({"bloc": "ECOWAS", "to": "2025-02-01"}) == ["/api/v1/blocs/ECOWAS/members?on=2025-02-01"]
    # nothing without a bloc, and nothing for a value the page would not ask for as such
    for query in ({}, {"country": "MLI"}, {"bloc": "AES/../x"}, {"bloc": "AES", "to": "2023"},
                  {"bloc": "AES", "to": '2023-10"><script>'}):
        assert preloads(query) == [], query


def test_english_answers_name_the_measure_in_words(server):
    r = server.get("/api/v1/trend", params={"bloc": "AES", "period": "month"}).json()
    assert r["answer"][0].startswith("AES: 2023-10: 803 deaths (best estimate); the only complete period")


def test_the_brief_of_a_view_comes_as_html_pdf_and_figures(server, demo_obs):
    params = {"bloc": "AES", "period": "2023-10"}
    want = demo_obs.briefs.build(bloc="AES", period="2023-10").figures
    figs = server.get("/api/v1/brief", params=params | {"format": "json"}).json()
    got = {f["key"]: f["value"] for f in figs["figures"]}
    assert got["cur.events"] == want["cur.events"].value == 125 and got["cur.fatalities_best"] == 803
    html = server.get("/api/v1/brief", params=params | {"lang": "fr"})
    assert html.headers["content-type"].startswith("text/html") and "<script" not in html.text
    assert "script-src" not in html.headers["content-security-policy"]  # a document without script
    assert "octobre 2023" in html.text
    pdf = server.get("/api/v1/brief", params=params | {"format": "pdf"})
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers["content-disposition"]
    bad = server.get("/api/v1/brief", params={"bloc": "NOPE", "period": "2023-10"}).json()["error"]
    assert bad["status"] == 400 and "AES" in bad["details"]["choices"]


def test_bloc_routes_return_the_registry_texts_in_english_and_french(server):
    tl = server.get("/api/v1/blocs/AES/timeline").json()
    charter = next(r for r in tl["rows"] if r["id"] == "AES-charter-2023")
    assert charter["what"].startswith("Liptako-Gourma Charter signed, establishing the Alliance of Sahel States")
    assert charter["what_fr"].startswith("Signature de la Charte du Liptako-Gourma, qui institue l'Alliance des États")
    assert tl["meta"]["not_found_fr"][0].startswith("Aucun fonds de stabilisation de l'AES")
    blocs = {b["id"]: b for b in server.get("/api/v1/blocs").json()["rows"]}
    assert blocs["AES"]["type_fr"] == "alliance de défense collective (2023), puis confédération (2024)"
    fr = server.get("/api/v1/blocs/AES/institutions", params={"on": "2025-12-31", "lang": "fr"}).json()
    en = server.get("/api/v1/blocs/AES/institutions", params={"on": "2025-12-31"}).json()
    assert fr["vega_lite"]["title"]["text"].endswith(" : institutions") and fr["meta"]["lang"] == "fr"
    assert en["vega_lite"]["title"]["text"].endswith(": institutions") and en["meta"]["lang"] == "en"
    bank = next(r for r in fr["rows"] if r["category"] == "investment_bank")
    assert bank["what"].startswith("BCID-AES inaugurated in Bamako") and bank["what_fr"].startswith(
        "Inauguration de la BCID-AES à Bamako")
    assert fr["rows"] == en["rows"]  # rows carry both texts whatever the lang
    assert server.get("/api/v1/blocs/AES/institutions", params={"lang": "de"}).status_code == 400
    coup = server.get("/api/v1/coups", params={"country": "NER"}).json()["rows"][0]
    assert (coup["leader"], coup["leader_fr"]) == ("Gen. Abdourahamane Tiani/Tchiani (CNSP)",
                                                   "général Abdourahamane Tiani/Tchiani (CNSP)")
    fra = next(r for r in server.get("/api/v1/forces", params={"country": "NER"}).json()["rows"] if r["id"] == "FRA-NER")
    assert fra["events"][-1]["what_fr"].startswith("Les derniers militaires français quittent le Niger")
    au = server.get("/api/v1/blocs/AU/members", params={"on": "2024-01-01"}).json()["meta"]
    assert au["notes_fr"][0].startswith("AU : liste de membres partielle")
    assert au["rule_fr"].startswith("Appartenance à une date : un État est membre de sa date d'adhésion (`joined`")


MEMBER_RULE_FR = ("Appartenance à une date : un État est membre de sa date d'adhésion (`joined`, incluse) à sa date "
                  "de départ (`left`, exclue) ; un État suspendu reste membre. Une date connue au mois ou à l'année "
                  "près compte à partir du début de sa période quand elle ouvre une adhésion, et jusqu'à la fin de sa "
                  "période quand elle la clôt.")
INSTITUTION_RULE_FR = ("Un jalon compte à partir du premier jour de sa période (une date connue au mois près, à partir "
                       "du 1er) ; le stade d'une institution est le plus avancé qu'elle ait atteint ; `uncertain` "
                       "signale une date imprécise dont la période contient le jour demandé.")
FORCES_RULE_FR = ("Une présence commence à son déploiement ou, faute de déploiement enregistré, à son premier "
                  "événement enregistré (début inconnu) ; elle prend fin à l'achèvement du retrait ou à la fin de "
                  "l'opération.")


def test_bloc_rules_come_in_english_and_french(server):
    from sahelwatch.blocs.rules import FORCES_RULE, INSTITUTION_RULE, MEMBER_RULE

    for path in ("/api/v1/blocs/AES/members", "/api/v1/blocs/AES/timeline"):
        m = server.get(path, params={"on": "2025-12-31"} if path.endswith("members") else None).json()["meta"]
        assert (m["rule"], m["rule_fr"]) == (MEMBER_RULE, MEMBER_RULE_FR), path
    assert MEMBER_RULE.startswith("Membership on a day: a state is a member from `joined` (inclusive)")
    for lang in ("en", "fr"):  # the spec's words follow lang; the rule comes in both languages either way
        m = server.get("/api/v1/blocs/AES/institutions", params={"on": "2025-12-31", "lang": lang}).json()["meta"]
        assert (m["rule"], m["rule_fr"]) == (INSTITUTION_RULE, INSTITUTION_RULE_FR), lang
    assert INSTITUTION_RULE.startswith("A milestone counts from the first day of its period")
    m = server.get("/api/v1/forces", params={"country": "NER"}).json()["meta"]
    assert (m["rule"], m["rule_fr"]) == (FORCES_RULE, FORCES_RULE_FR)
    assert FORCES_RULE.startswith("A presence opens at its deployment event")
    c = server.get("/api/v1/blocs/compare", params={"blocs": "AES,G5_SAHEL", "months": 6}).json()["meta"]
    assert c["rule_text_fr"].startswith("règle d'appartenance « dynamic » : un État compte pour un mois")
    assert c["population_source"] == "World Bank WDI SP.POP.TOTL (approx., rounded)"
    assert c["population_source_fr"] == "Banque mondiale, WDI SP.POP.TOTL (valeurs approchées, arrondies)"


def test_credits_series_and_country_names_come_in_english_and_french(server):
    m = server.get("/api/v1/meta").json()
    credit = {a["source"]: a for a in m["attribution"]}
    assert credit["GeoNames"]["text"] == "Place names: GeoNames (www.geonames.org)"
    assert credit["GeoNames"]["text_fr"] == "Noms de lieux : GeoNames (www.geonames.org)"
    ne = credit["Natural Earth"]
    assert (ne["licence"], ne["licence_fr"]) == ("public domain", "domaine public")
    assert ne["text_fr"] == "Contours des pays : Made with Natural Earth"  # Natural Earth's own credit line stays
    series = {s["series"]: s for s in m["series"]}
    assert series["ged_cm_251"]["vintage"] == "UCDP GED 25.1, derived by T. Schincariol"
    assert series["ged_cm_251"]["vintage_fr"] == "UCDP GED 25.1, dérivé par T. Schincariol"
    names = {c["iso3"]: c for c in m["country_names"]}
    assert set(names) == set(m["countries"])
    assert (names["TCD"]["name"], names["TCD"]["name_fr"]) == ("Chad", "Tchad")
    snaps = {s["release"]: s for s in server.get("/api/v1/snapshots").json()["rows"]}
    assert snaps["VIEWS challenge 2024 (UCDP GED, ~2024 vintage)"]["release_fr"] == (
        "concours VIEWS 2024 (UCDP GED, millésime de 2024 environ)")
    assert snaps["23.1"]["release_fr"] == "23.1"  # a version number is the same in both languages
    fr = server.get("/", params={"lang": "fr"}).text
    en = server.get("/", params={"lang": "en"}).text
    assert "Noms de lieux : GeoNames" in fr and "Place names:" not in fr
    assert "Place names: GeoNames" in en and "Noms de lieux" not in en
