"""Vega-Lite specs for bloc charts, shared by the CLI, the dashboard and briefs.

Specs are plain dicts (Vega-Lite v5), data inline under ``datasets``: no
remote data, no ``$schema`` URL (vega-embed and vl-convert default to
Vega-Lite; pass ``mode: "vega-lite"`` to vega-embed). Sources appear as text in
tooltips, never as links.
"""

from __future__ import annotations

import datetime as dt

from .dates import as_day
from .models import INSTITUTIONS, INSTITUTIONS_FR, STAGES, fr

VEGA_LITE_VERSION = "5"

_COLOURS = {
    "announced": "#c6dbef",
    "signed": "#6baed6",
    "established": "#2171b5",
    "operational": "#08306b",
    "defunct": "#969696",
}


#: the chart's own words; field values (stages, kinds, categories) stay the registry's ids
_WORDS = {
    "en": {"title": "{name}: institutions",
           "sub1": "as of {day}; stages: announced > signed > established > operational",
           "sub2": "Source and confidence of each milestone in its tooltip. Empty rows: no fact recorded.",
           "x": "date (month- or year-precision dates are placed at the start of their period)",
           "desc": "Institutions of {id} by stage, as of {day}",
           "stage": "stage", "confidence": "confidence", "date": "date", "troops": "troops", "what": "what",
           "precision": "precision", "kind": "kind", "source": "source", "category": "category",
           "start": "start", "end": "end"},
    "fr": {"title": "{name} : institutions",
           "sub1": "au {day} ; stades : annoncé > signé > établi > opérationnel",
           "sub2": "Source et degré de confiance de chaque jalon dans son infobulle. Lignes vides : aucun fait enregistré.",
           "x": "date (les dates précises au mois ou à l'année sont placées au début de leur période)",
           "desc": "Institutions de {id} par stade, au {day}",
           "stage": "stade", "confidence": "confiance", "date": "date", "troops": "effectifs", "what": "jalon",
           "precision": "précision", "kind": "nature", "source": "source", "category": "catégorie",
           "start": "début", "end": "fin"},
}


_STAGES_FR = {"announced": "annoncé", "signed": "signé", "established": "établi",
              "operational": "opérationnel", "defunct": "disparu"}
_CONFIDENCE_FR = {"high": "élevée", "medium": "moyenne", "low": "faible"}
_PRECISION_FR = {"day": "jour", "month": "mois", "year": "année"}


def _labels(names: dict[str, str]) -> str:
    """A Vega expression that shows ``names[label]`` (the value itself when not named)."""
    pairs = ", ".join(f"'{k}': '{v}'" for k, v in names.items() if "'" not in v)
    return f"({{{pairs}}})[datum.label] || datum.label"


def _named(field: str, names: dict[str, str]) -> dict:
    """A Vega-Lite transform adding ``{field}_label``: ``names[value]``, else the value (the data keep the ids)."""
    pairs = ", ".join(f"'{k}': '{v.replace(chr(39), chr(8217))}'" for k, v in names.items())
    return {"calculate": f"({{{pairs}}})[datum.{field}] || datum.{field}", "as": f"{field}_label"}


def _tooltips(lang: str) -> tuple[list, list, list, list]:
    """The two layers' transforms and tooltips: in French the ids (stage, confidence...) are shown
    by their French names and dates as "3 décembre 2026"."""
    fr = lang == "fr"
    wd = _WORDS["fr" if fr else "en"]
    names = {"category": INSTITUTIONS_FR, "stage": _STAGES_FR, "confidence": _CONFIDENCE_FR,
             "precision": _PRECISION_FR}

    def tip(field: str, title: str, kind: str = "nominal") -> dict:
        shown = f"{field}_label" if fr and field in names else field
        return {"field": shown, "type": kind, "title": title} | ({"format": "%-d %B %Y"} if fr and kind == "temporal" else {})

    seg = [tip("category", wd["category"]), tip("stage", wd["stage"]),
           tip("start", wd["start"], "temporal"), tip("end", wd["end"], "temporal")]
    # the milestone's kind has no French name here (its stage says it): the French tooltip leaves it out
    pts = [tip("what", wd["what"]), tip("date_recorded", wd["date"]), tip("precision", wd["precision"]),
           *([] if fr else [tip("kind", wd["kind"])]), tip("stage", wd["stage"]),
           tip("size_troops", wd["troops"], "quantitative"), tip("source", wd["source"]),
           tip("confidence", wd["confidence"]), tip("milestone", "id")]
    if not fr:
        return [], seg, [], pts
    seg_tf = [_named(f, names[f]) for f in ("category", "stage")]
    pts_tf = [_named(f, names[f]) for f in ("category", "stage", "confidence", "precision")]
    return seg_tf, seg, pts_tf, pts


def institutions_timeline_spec(registry, bloc: str, on=None, lang: str = "en") -> dict:
    """Institutions of ``bloc`` over time, up to ``on`` (default today): one row per
    standard category; bars show the stage reached, points the milestones (shape
    = confidence, tooltip = what, date and precision, source). ``lang="fr"``: titles
    and milestone texts in French (``what`` holds the French text, ``what_en`` the English)."""
    wd = _WORDS["fr" if lang == "fr" else "en"]
    org = registry.organisation(bloc)
    end = as_day(on, name="on") if on is not None else dt.date.today()
    diss = registry.dissolution(org.id)
    diss_day = diss.date.opens if diss else None
    rank = {s: i for i, s in enumerate(STAGES)}
    segments, points = [], []
    for cat in INSTITUTIONS:
        hist = sorted(
            (ms for ms in org.milestones if ms.institution == cat and ms.date.opens <= end),
            key=lambda ms: ms.date.opens,
        )
        best = -1
        for i, ms in enumerate(hist):
            best = max(best, rank[ms.reached_stage])
            start = ms.date.opens
            stop = hist[i + 1].date.opens if i + 1 < len(hist) else end
            if diss_day is not None and diss_day < stop:
                stop = max(diss_day, start)
            if stop > start:
                segments.append({"category": cat, "stage": STAGES[best], "start": start.isoformat(), "end": stop.isoformat()})
            points.append(
                {
                    "category": cat, "stage": ms.reached_stage, "date": ms.date.opens.isoformat(),
                    "date_recorded": str(ms.date), "precision": ms.date.precision, "kind": ms.kind,
                    "milestone": ms.id, "what": fr(ms.what, ms.what_fr) if lang == "fr" else ms.what,
                    "what_en": ms.what, "what_fr": fr(ms.what, ms.what_fr), "size_troops": ms.size_troops,
                    "source": ms.source, "confidence": ms.confidence,
                }
            )
        if hist and diss_day is not None and diss_day < end:
            segments.append({"category": cat, "stage": "defunct", "start": diss_day.isoformat(), "end": end.isoformat()})
    stages = [*STAGES, "defunct"]
    y = {"field": "category", "type": "nominal", "title": None, "scale": {"domain": list(INSTITUTIONS)}}
    stage_legend, conf_legend = {}, {}
    if lang == "fr":  # the values stay the registry's ids (tooltips, data); axis and legends name them in French
        y["axis"] = {"labelExpr": _labels({k: v.replace("'", "’") for k, v in INSTITUTIONS_FR.items()})}
        stage_legend = {"legend": {"labelExpr": _labels(_STAGES_FR)}}
        conf_legend = {"legend": {"labelExpr": _labels(_CONFIDENCE_FR)}}
    x_title = wd["x"]
    seg_tf, seg_tips, pts_tf, pts_tips = _tooltips(lang)
    name = (fr(org.name, org.name_fr) if lang == "fr" else org.name) or org.id
    return {
        "description": wd["desc"].format(id=org.id, day=end.isoformat()),
        "title": {
            "text": wd["title"].format(name=name),
            "subtitle": [wd["sub1"].format(day=end.isoformat()), wd["sub2"]],
        },
        "width": 640,
        "height": {"step": 24},
        "datasets": {"segments": segments, "milestones": points},
        "layer": [
            {
                "data": {"name": "segments"},
                **({"transform": seg_tf} if seg_tf else {}),
                "mark": {"type": "bar", "height": 12, "opacity": 0.85},
                "encoding": {
                    "y": y,
                    "x": {"field": "start", "type": "temporal", "title": x_title},
                    "x2": {"field": "end"},
                    "color": {
                        "field": "stage", "type": "nominal", "title": wd["stage"],
                        "scale": {"domain": stages, "range": [_COLOURS[s] for s in stages]},
                        **stage_legend,
                    },
                    "tooltip": seg_tips,
                },
            },
            {
                "data": {"name": "milestones"},
                **({"transform": pts_tf} if pts_tf else {}),
                "mark": {"type": "point", "filled": True, "size": 90, "color": "#d94801"},
                "encoding": {
                    "y": y,
                    "x": {"field": "date", "type": "temporal"},
                    "shape": {
                        "field": "confidence", "type": "nominal", "title": wd["confidence"],
                        "scale": {"domain": ["high", "medium", "low"], "range": ["circle", "square", "triangle-up"]},
                        **conf_legend,
                    },
                    "tooltip": pts_tips,
                },
            },
        ],
        "usermeta": {
            "generator": "sahelwatch.blocs.charts.institutions_timeline_spec",
            "vega_lite_version": VEGA_LITE_VERSION,
            "bloc": org.id,
            "as_of": end.isoformat(),
            "lang": "fr" if lang == "fr" else "en",
        },
    }


__all__ = ["institutions_timeline_spec", "VEGA_LITE_VERSION"]
