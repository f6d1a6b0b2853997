"""A brief as HTML (Jinja template, inline SVG charts and map), and as PDF from the same HTML.

The PDF is WeasyPrint on that HTML with the DejaVu fonts shipped in ``report/fonts``
declared by ``@font-face``, so it never depends on the fonts a machine has.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from pathlib import Path

from ..analytics.notes_fr import translate
from .i18n import NNBSP, date_text, num, typography, w
from .prose import Writer

HERE = Path(__file__).parent
FONT_DIR = HERE / "fonts"
FONT_FILES = {("normal", "normal"): "DejaVuSans.ttf", ("bold", "normal"): "DejaVuSans-Bold.ttf",
              ("normal", "italic"): "DejaVuSans-Oblique.ttf"}
ACLED_ATTRIBUTION = ("Source: Armed Conflict Location & Event Data (ACLED), www.acleddata.com; aggregated by "
                     "sahelwatch. ACLED's terms forbid republishing its raw events: this brief publishes "
                     "aggregates only.")
UCDP_CREDIT = ("Uppsala Conflict Data Program (UCDP), Department of Peace and Conflict Research, Uppsala University "
               "(CC BY 4.0). Sundberg & Melander (2013), Journal of Peace Research 50(4); Davies, Pettersson & "
               "Öberg (2023), Journal of Peace Research 60(4); Hegre et al. (2020), Research & Politics 7(3).")
FONT_CREDIT = "DejaVu Sans fonts (Bitstream Vera licence; DejaVu changes in the public domain), shipped in the package."


def font_css() -> str:
    rules = []
    for (weight, style), f in FONT_FILES.items():
        rules.append(f'@font-face {{ font-family: "DejaVu Sans"; font-weight: {weight}; font-style: {style}; '
                     f'src: url("{(FONT_DIR / f).resolve().as_uri()}") format("truetype"); }}')
    return "\n".join(rules)


def _table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    th = "".join(f"<th>{h}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>'


def render_html(data, *, for_pdf: bool = False, generated: dt.datetime | None = None) -> str:
    import jinja2

    from . import charts, maps

    lang = data.lang
    wr = Writer(data)
    gen = generated or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    ctx: dict = {"lang": lang, "for_pdf": for_pdf, "font_css": font_css() if for_pdf else "",
                 "css": (HERE / "templates" / "brief.css").read_text(encoding="utf-8")}
    title = w("title_bloc" if data.unit.kind == "bloc" else "title_country", lang, name=data.unit.name[lang],
              period=data.period.text(lang))
    ctx["title"] = typography(escape(title), lang)
    ctx["running"] = escape(f"sahelwatch · {data.unit.id} · {data.period.label}")
    ctx["subtitle"] = typography(escape(w("generated", lang, when=gen.strftime("%Y-%m-%d %H:%M UTC"),
                                          version=_version(), snap=data.as_of if data.as_of is not None else "–")),
                                 lang)
    sec: list[tuple[str, str]] = []  # (heading, html)
    if not data.has_data:
        sec.append((w("no_data_brief", lang), wr.no_data()))
    else:
        sec.append((w("headline", lang), _headline_table(data, wr) + "".join(wr.headline())
                    + "".join(wr.by_country())))
        from ..places import BoundarySet

        svg = maps.admin_map_svg(BoundarySet.load(data.home) if data.home else BoundarySet.bundled(),
                                 list(data.unit.countries), data.areas, data.cells, lang)
        sec.append((w("map", lang), f'<figure class="map">{svg}<figcaption>'
                    f'{typography(escape(w("map_caption", lang)), lang)}</figcaption></figure>'
                    + "".join(wr.top_area())))
    if data.trend_rows and any(r["status"] != "none" for r in data.trend_rows):
        spec = charts.trend_spec(data.trend_rows, lang, data.period.kind)
        cap = w("trend_caption", lang, kind=w(data.period.kind, lang))
        sec.append((w("trend", lang), f'<figure class="chart">{charts.to_svg(spec, lang)}<figcaption>'
                    f'{typography(escape(cap), lang)} ({wr.fig("trend.periods")} {escape(w(data.period.kind + "s", lang))})'
                    '</figcaption></figure>'))
    if data.has_data:
        sec.append((w("top_areas", lang) + " · " + w("top_actors", lang), _tops(data, wr)))
        if data.incidents or data.incidents_note:
            body = "".join(wr.incident(i) for i in range(len(data.incidents)))
            if data.incidents_note:
                body += wr.p(escape(data.incidents_note[lang]))
            sec.append((w("incidents", lang), body))
        sec.append((w("alerts", lang), _alerts(data, wr)))
    sec.append((w("forecast", lang), _forecast(data, wr)))
    sec.append((w("bloc" if data.unit.kind == "bloc" else "country_blocs", lang), _bloc(data, wr)))
    sec.append((w("data", lang), _data(data, wr)))
    notes = "".join(
        f'<li id="fn-{n}"><code>{escape(cmd)}</code> — '
        + typography(f'{escape(w("footnote_snapshot", lang, snap=snap))}; '
                     f'<span class="labels">{escape("; ".join(labels))}</span>', lang) + "</li>"
        for n, cmd, snap, labels in data.figures.footnotes(lang))
    sec.append((w("sources_of_figures", lang), f'<ol class="footnotes">{notes}</ol>'))
    ctx["sections"] = [(typography(escape(h), lang), body) for h, body in sec]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=False)
    return env.get_template("brief.html.j2").render(**ctx)


def _version() -> str:
    from ..domain.version import __version__

    return __version__


def _time(text: str, lang: str) -> str:
    """A registry date in ``<time>``: at day precision in words, coarser ones (2024-09) as recorded."""
    t = str(text)
    try:
        words = date_text(dt.date.fromisoformat(t), lang) if len(t) == 10 else t
    except ValueError:
        words = t
    return f'<time datetime="{escape(t)}">{escape(words)}</time>'


def _headline_table(data, wr: Writer) -> str:
    lang = data.lang
    rows = []
    labels = {"cur": w("period", lang), "prev": w("compare", lang), "yb": w("year_before", lang)}
    for tag, p in [("cur", data.period), *data.comparisons()]:
        label = labels[tag]
        name = f"{escape(label)}: {wr.period(p)}" if lang == "en" else f"{escape(label)} : {wr.period(p)}"
        if f"{tag}.events" in data.figures:
            rows.append([name, wr.fig(f"{tag}.events"), wr.fig(f"{tag}.fatalities_best"),
                         f"{wr.fig(f'{tag}.fatalities_low')}–{wr.fig(f'{tag}.fatalities_high')}"])
        else:
            rows.append([name, f'<span class="nodata">{w("no_data", lang)}</span>', "", ""])
    return _table(["", w("events", lang), w("fatalities", lang), w("fatalities_range", lang)], rows, "headline")


def _tops(data, wr: Writer) -> str:
    lang = data.lang
    areas = [[escape(str(r["admin1_name"])), escape(str(r["country_iso3"])), wr.fig(f"area.{i}.events"),
              wr.fig(f"area.{i}.fatalities_best")] for i, r in enumerate(data.areas[:5])]
    actors = [[escape(str(r["actor"])), wr.fig(f"actor.{i}.events"), wr.fig(f"actor.{i}.fatalities_best")]
              for i, r in enumerate(data.actors)]
    # a layout table, not flex: WeasyPrint lays two tables side by side reliably this way
    return ('<table class="layout"><tr><td>'
            + _table([w("area", lang), w("country", lang), w("events", lang), w("fatalities", lang)], areas, "tops")
            + "</td><td>"
            + _table([w("actor", lang), w("events", lang), w("fatalities", lang)], actors, "tops")
            + f'</td></tr></table><p class="note">{typography(escape(w("actors_note", lang)), lang)}</p>')


def _alerts(data, wr: Writer) -> str:
    lang = data.lang
    body = wr.alerts_intro()
    q = "question" if lang == "en" else "question_fr"
    from .prose import KINDS_FR

    kind = (lambda k: k) if lang == "en" else (lambda k: KINDS_FR.get(k, k))
    rows = [[escape(f"{r['unit_name']} ({r['country_iso3']})"), escape(kind(r["kind"])), escape(r[q]),
             wr.fig(f"alert.{i}.probability", "pct").replace("+", "")] for i, r in enumerate(data.alerts[:8])]
    if rows:
        body += _table([w("area", lang), "", w("question", lang), w("probability", lang)], rows, "alerts")
    if len(data.alerts) > 8:
        more = len(data.alerts) - 8
        body += f'<p class="note">+{num(more, lang)} …</p>'
    if data.alert_caveats:
        body += "".join(f'<p class="note">{typography(escape(translate(c, lang)), lang)}</p>'
                        for c in data.alert_caveats)
    body += f'<h3>{typography(escape(w("alerts_past", lang)), lang)}</h3>' + "".join(wr.alert_scores())
    return body


def _forecast(data, wr: Writer) -> str:
    lang = data.lang
    out = data.forecast
    if out is None or not out.available:
        why = out.reason[lang] if out is not None and out.reason else "—"
        # the months named are dates: in <time>, as everywhere in a brief
        text = re.sub(r"\b(\d{4}-\d{2})\b", r'<time datetime="\1">\1</time>', escape(w("left_out", lang, why=why)))
        return wr.p(text + ".")
    from .forecast_section import render

    return render(data, wr)


def _bloc(data, wr: Writer) -> str:
    lang, info = data.lang, data.bloc_info
    en = lang == "en"
    if data.unit.kind == "bloc":
        members = ", ".join(
            f'{escape(m["name"])} ({escape(w("joined", lang, date="@")).replace("@", _time(m["joined"], lang))}, '
            f'<a href="{escape(m["source"])}">{"source"}</a>)' for m in info.get("members", []))
        rule = info.get("membership_rule", "")
        html = wr.p(f"{escape(w('members', lang))}: {members or '—'}." if en else
                    f"{escape(w('members', lang))} : {members or '—'}.")
        html += f'<p class="note">{escape("Membership rule" if en else "Règle d’appartenance")}' \
                f'{":" if en else NNBSP + ":"} <code>{escape(rule)}</code> — ' + escape(
                    "the member states on that date are counted in every period of this brief, the comparisons "
                    "included." if en else
                    "les États membres à cette date sont comptés sur toutes les périodes de cette note, "
                    "comparaisons comprises.") + "</p>"
        ms = info.get("milestones", [])
        html += f"<h3>{typography(escape(w('milestones', lang)), lang)}</h3>"
        html += ("<ul>" + "".join(f'<li><time>{escape(m["date"])}</time> — {typography(escape(m["what"]), lang)} '
                                  f'(<a href="{escape(m["source"])}">source</a>, {escape(m["confidence"])})</li>'
                                  for m in ms) + "</ul>") if ms else f"<p>{escape(w('none_in_period', lang))}</p>"
        inst = info.get("institutions", [])
        if inst:
            html += f"<h3>{typography(escape(w('institutions', lang)), lang)}</h3><ul>" + "".join(
                f'<li>{typography(escape(i["category"] + ": " + i["state"]), lang)} (<time>{escape(str(i["since"]))}</time>)'
                + (f' — {typography(escape(i["what"]), lang)}' if i.get("what") else "") + "</li>"
                for i in inst) + "</ul>"
        html += f'<p class="note"><code>{escape(info.get("command", ""))}</code></p>'
        return html
    blocs = ", ".join(escape(b["bloc"]) + (" (suspended)" if b["suspended"] and en else
                                           " (suspendu)" if b["suspended"] else "") for b in info.get("blocs", []))
    html = wr.p((f"Member of: {blocs or '—'}." if en else f"Membre de : {blocs or '—'}."))
    coups = info.get("coups", [])
    if coups:
        word = "coup" if en else "coup d'État"
        html += "<ul>" + "".join(f'<li><time>{escape(c["date"])}</time> — {typography(escape(word + ":"), lang)} '
                                 f'{escape(str(c["leader"] or ""))} (<a href="{escape(c["source"])}">source</a>)</li>'
                                 for c in coups) + "</ul>"
    return html


def _data(data, wr: Writer) -> str:
    lang = data.lang
    en = lang == "en"
    rows = [[str(s.id), escape(s.source), escape(str(s.release or "")), escape(Path(str(s.file)).name),
             f"<code>{escape(s.sha256[:12])}</code>", escape(str(s.time)[:19])] for s in data.snapshots]
    html = _table(["snapshot", "source", "release" if en else "version", "file" if en else "fichier", "sha256",
                   "ingested" if en else "intégré"], rows, "snapshots") if rows else ""
    m = data.meta or {}
    items = []
    if m.get("precision_rule"):
        items.append(("Precision policy" if en else "Règle de précision", translate(m["precision_rule"], lang)))
    if data.unit.membership:
        items.append(("Membership" if en else "Appartenance", data.unit.membership))
    for wmsg in data.warnings:
        items.append(("Caveat" if en else "Réserve", translate(wmsg, lang)))
    if data.family == "acled" or any(s.source == "acled" for s in data.all_snapshots):
        items.append(("ACLED", ACLED_ATTRIBUTION))
    if data.family == "ucdp":
        items.append(("UCDP", UCDP_CREDIT))
    items.append(("Boundaries" if en else "Limites", "geoBoundaries CGAZ (CC BY 4.0): Runfola et al. (2020), "
                  "PLoS ONE 15(4): e0231866; country outlines: Natural Earth (public domain)." if en else
                  "geoBoundaries CGAZ (CC BY 4.0) : Runfola et al. (2020), PLoS ONE 15(4) : e0231866 ; "
                  "contours des pays : Natural Earth (domaine public)."))
    items.append(("Fonts" if en else "Polices", translate(FONT_CREDIT, lang)))
    items.append(("Regenerate" if en else "Régénérer", f"<code>{escape(data.regenerate)}</code>"))
    keep = ("Regenerate", "Régénérer")  # already HTML
    html += "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{v if k in keep else typography(escape(v), lang)}</dd>"
                             for k, v in items) + "</dl>"
    return html


def render_pdf(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html, base_url=str(HERE)).write_pdf()

