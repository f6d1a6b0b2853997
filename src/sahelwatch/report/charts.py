"""The trend chart of a brief: a Vega-Lite spec, rendered to SVG by vl-convert (offline).

Black, grey and white only, so it reads in black and white: black bars for periods a
release covers, grey bars for periods only a sample covers, a light band with a dashed
outline for periods no release covers (no data, not zero).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .i18n import w

FONT_DIR = Path(__file__).parent / "fonts"
FONT = "DejaVu Sans"
STATUS = ("full", "partial", "sample", "none")
STATUS_TEXT = {
    "en": {"full": "covered by a release", "partial": "partly covered", "sample": "a sample only",
           "none": "no data (not zero)"},
    "fr": {"full": "couvert par une version", "partial": "couvert en partie", "sample": "échantillon seulement",
           "none": "pas de données (et non zéro)"},
}
FILLS = {"full": "#1a1a1a", "partial": "#555555", "sample": "#a6a6a6", "none": "#f0f0f0"}


def trend_spec(rows: list[dict], lang: str, kind: str) -> dict:
    """Two panels over the same periods: events, then fatalities (best, low–high range)."""
    st = STATUS_TEXT[lang]
    values = [{"period": r["period"], "status": st[r["status"]], "events": r["events"],
               "best": r["fatalities_best"], "low": r["fatalities_low"], "high": r["fatalities_high"],
               "band": 1 if r["status"] == "none" else None} for r in rows]
    order = [r["period"] for r in rows]
    used = [s for s in STATUS if any(r["status"] == s for r in rows)]
    color = {"field": "status", "type": "nominal", "title": None,
             "scale": {"domain": [st[s] for s in used], "range": [FILLS[s] for s in used]},
             "legend": {"orient": "bottom", "direction": "horizontal", "symbolStrokeColor": "#000",
                        "symbolStrokeWidth": 0.6}}
    x0 = {"field": "period", "type": "ordinal", "sort": order, "title": None,
         "axis": {"labelAngle": -90 if kind == "month" else 0, "labelFontSize": 8}}

    def panel(field: str, title: str, with_range: bool, labels: bool = True) -> dict:
        x = dict(x0, axis={**x0["axis"], "labels": labels, "ticks": labels})
        band = {"mark": {"type": "bar", "fill": FILLS["none"], "stroke": "#777", "strokeDash": [2, 2],
                         "strokeWidth": 0.6},
                "transform": [{"filter": "datum.band != null"}],
                "encoding": {"x": x}}  # no y: the bar spans the panel
        bars = {"mark": {"type": "bar", "stroke": "#000", "strokeWidth": 0.4},
                "transform": [{"filter": f"datum.{field} != null"}],
                "encoding": {"x": x, "y": {"field": field, "type": "quantitative", "title": title},
                             "color": color}}
        layers = [band, bars]
        if with_range:
            layers.append({"mark": {"type": "rule", "color": "#000", "strokeWidth": 1},
                           "transform": [{"filter": "datum.low != null"}],
                           "encoding": {"x": x, "y": {"field": "low", "type": "quantitative"}, "y2": {"field": "high"}}})
        return {"width": 470, "height": 110, "layer": layers}

    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "vconcat": [panel("events", w("events", lang), False, labels=False), panel("best", w("fatalities", lang), True)],
        "resolve": {"scale": {"color": "shared"}},
        "config": {"font": FONT, "view": {"stroke": None}, "axis": {"labelFont": FONT, "titleFont": FONT,
                                                                    "titleFontSize": 9, "grid": False},
                   "legend": {"labelFont": FONT, "labelFontSize": 9}, "background": "white"},
    }


@lru_cache(maxsize=1)
def _fonts_registered() -> bool:
    import vl_convert

    vl_convert.register_font_directory(str(FONT_DIR))
    return True


def to_svg(spec: dict, lang: str) -> str:
    """SVG text of a Vega-Lite spec, numbers in the language's locale, fonts from the package."""
    import vl_convert

    _fonts_registered()
    svg = vl_convert.vegalite_to_svg(spec, format_locale="fr-FR" if lang == "fr" else "en-US",
                                     time_format_locale="fr-FR" if lang == "fr" else "en-US")
    return svg.split("?>", 1)[-1].strip() if svg.startswith("<?xml") else svg
