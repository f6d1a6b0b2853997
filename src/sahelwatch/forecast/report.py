"""Charts (Vega-Lite specs) and the offline backtest report.

Specs are plain dicts, so the dashboard can embed the same fan chart with vega-embed;
static output goes through vl-convert (SVG/PNG), which renders without a browser or
network. The report is one HTML file with the SVGs inline: no script, no remote file.
"""

from __future__ import annotations

import html as _html

from .panel import month_date, month_label
from .scoring import SCORE_TEXT

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # an identifier, never fetched


def _records(df):
    import datetime as dt

    out = []
    for r in df.iter_rows(named=True):
        out.append({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()})
    return out


def fan_chart_spec(history, summary, *, title: str, y_title: str = "deaths") -> dict:
    """History (line) and forecast: median line, 50% and 90% bands. ``history``: ``month, value``;
    ``summary``: ``month, q05, q25, q50, q75, q95``."""
    x = {"field": "month", "type": "temporal", "title": None}
    return {
        "$schema": SCHEMA, "title": title, "width": 640, "height": 260,
        "layer": [
            {"data": {"values": _records(summary)}, "mark": {"type": "area", "opacity": 0.25, "color": "#d95f02"},
             "encoding": {"x": x, "y": {"field": "q05", "type": "quantitative", "title": y_title},
                          "y2": {"field": "q95"}}},
            {"data": {"values": _records(summary)}, "mark": {"type": "area", "opacity": 0.45, "color": "#d95f02"},
             "encoding": {"x": x, "y": {"field": "q25", "type": "quantitative"}, "y2": {"field": "q75"}}},
            {"data": {"values": _records(summary)}, "mark": {"type": "line", "color": "#d95f02"},
             "encoding": {"x": x, "y": {"field": "q50", "type": "quantitative"}}},
            {"data": {"values": _records(history)}, "mark": {"type": "line", "color": "#333333"},
             "encoding": {"x": x, "y": {"field": "value", "type": "quantitative"}}},
        ],
    }


def score_by_horizon_spec(df, score: str = "crps") -> dict:
    return {"$schema": SCHEMA, "title": f"Mean {score} by horizon", "width": 560, "height": 260,
            "data": {"values": _records(df.select("model", "horizon", score))},
            "mark": {"type": "line", "point": True},
            "encoding": {"x": {"field": "horizon", "type": "quantitative", "title": "months ahead"},
                         "y": {"field": score, "type": "quantitative", "title": SCORE_TEXT.get(score, score)},
                         "color": {"field": "model", "type": "nominal"}}}


def pit_spec(scores) -> dict:
    import polars as pl

    df = (scores.select("model", (pl.col("pit") * 10).floor().clip(0, 9).cast(pl.Int64).alias("bin"))
          .group_by("model", "bin").len().with_columns(
              (pl.col("len") / pl.col("len").sum().over("model") * 10).alias("density"),
              (pl.col("bin") / 10).alias("pit"), ((pl.col("bin") + 1) / 10).alias("pit_end")))
    return {"$schema": SCHEMA, "title": "Calibration: PIT histogram (flat at 1 is calibrated)",
            "data": {"values": _records(df.select("model", "pit", "pit_end", "density"))},
            "facet": {"field": "model", "type": "nominal", "title": None}, "columns": 3,
            "spec": {"width": 180, "height": 120, "mark": {"type": "rect", "stroke": "white"},
                     "encoding": {"x": {"field": "pit", "type": "quantitative", "title": "PIT",
                                        "scale": {"domain": [0, 1]}}, "x2": {"field": "pit_end"},
                                  "y": {"field": "density", "type": "quantitative", "scale": {"zero": True}},
                                  "y2": {"datum": 0}}}}


def coverage_spec(df) -> dict:
    import polars as pl

    long = df.select("model", "horizon", "cover50", "cover90").unpivot(
        index=["model", "horizon"], variable_name="interval", value_name="coverage").with_columns(
        pl.col("interval").replace({"cover50": "50%", "cover90": "90%"}))
    return {"$schema": SCHEMA, "title": "Interval coverage by horizon (targets 0.5 and 0.9)",
            "data": {"values": _records(long)}, "width": 260, "height": 200,
            "facet": {"field": "interval", "type": "nominal"},
            "spec": {"mark": {"type": "line", "point": True},
                     "encoding": {"x": {"field": "horizon", "type": "quantitative"},
                                  "y": {"field": "coverage", "type": "quantitative", "scale": {"domain": [0, 1]}},
                                  "color": {"field": "model", "type": "nominal"}}}}


def svg(spec: dict) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec)


def png(spec: dict, scale: float = 2.0) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(spec, scale=scale)


def _table(df, floats: int = 3) -> str:
    head = "".join(f"<th>{_html.escape(c)}</th>" for c in df.columns)
    rows = []
    for r in df.iter_rows():
        cells = []
        for v in r:
            s = f"{v:,.{floats}f}" if isinstance(v, float) else ("" if v is None else f"{v}")
            cells.append(f"<td>{_html.escape(s)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


CSS = """body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}
table{border-collapse:collapse;font-size:13px;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}.note{color:#555;font-size:13px}"""


def backtest_html(result) -> str:
    import polars as pl

    m = result.meta
    overall = result.overall()
    by_h = result.by_horizon()
    worst = result.worst_misses().with_columns(
        pl.col("month_id").map_elements(month_label, return_dtype=pl.String).alias("month"),
        pl.col("origin").map_elements(month_label, return_dtype=pl.String))
    ors = m["origins"]
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>sahelwatch backtest: {_html.escape(m['target'])}</title><style>{CSS}</style></head><body>",
        f"<h1>Backtest: {_html.escape(m['level'])} {_html.escape(m['target'])}</h1>",
        f"<p>{len(ors)} origin(s) {month_label(ors[0])} .. {month_label(ors[-1])}; horizons "
        f"{m['horizons'][0]}-{m['horizons'][-1]} months; {m['draws']} draws; seed {m['seed']}. "
        f"Models: {', '.join(m['models'])}.</p>",
        f"<p class='note'>{_html.escape(m['vintage_note'])}.</p>",
        "<h2>Overall</h2>", _table(overall),
        f"<p class='note'>Best baseline on CRPS: {_html.escape(str(m.get('best_baseline', '-')))}. "
        + " ".join(f"{k}: {_html.escape(v)}." for k, v in SCORE_TEXT.items()) + "</p>",
        "<h2>Score by horizon</h2>", svg(score_by_horizon_spec(by_h, "crps")), svg(score_by_horizon_spec(by_h, "ign")),
        "<h2>Calibration</h2>", svg(pit_spec(result.scores)), svg(coverage_spec(by_h)),
        f"<h2>Worst misses ({_html.escape(result._main_model())})</h2>", _table(worst),
    ]
    cites = [c for c in [m.get("citation")] if c]
    if cites:
        parts.append(f"<p class='note'>{_html.escape(' '.join(cites))}</p>")
    parts.append("<p class='note'>Made by sahelwatch. Scores as in the 2023/24 VIEWS prediction challenge "
                 "(Hegre et al.).</p></body></html>")
    return "\n".join(parts)


def fan_chart_for(panel, summary, unit: str, *, history_months: int = 48) -> dict:
    import polars as pl

    h = (panel.frame.filter((pl.col("unit") == unit) & (pl.col("month_id") > panel.last_month - history_months))
         .with_columns(pl.col("month_id").map_elements(month_date, return_dtype=pl.Date).alias("month")))
    s = summary.filter(pl.col("unit") == unit)
    name = s["name"][0] if s.height and s["name"][0] else unit
    return fan_chart_spec(h.select("month", "value"), s, title=f"{name}: {panel.target}, median, 50% and 90% intervals")


#: the fan chart's words, by language (the dashboard and the API's ``lang``)
FAN_WORDS = {
    "en": {"seen": "observed, as the model saw it", "since": "observed since", "median": "forecast: median",
           "i50": "50% interval", "i90": "90% interval", "y": "deaths per month", "x": "month"},
    "fr": {"seen": "observé, tel que le modèle l’a vu", "since": "observé depuis", "median": "prévision : médiane",
           "i50": "intervalle à 50\u202f%", "i90": "intervalle à 90\u202f%", "y": "morts par mois", "x": "mois"},
}
FAN_COLOURS = {"seen": "#333333", "since": "#1b7837", "median": "#d95f02", "i50": "#f4a261", "i90": "#fbd3b0"}


def stored_fan_spec(history: list[dict], rows: list[dict], *, lang: str = "en", title: str = "") -> dict:
    """A fan chart of a stored forecast: the history the model saw, the 90% and 50% bands, the
    median, and the values observed since (where the data now reach). ``history``: ``month,
    value``; ``rows``: ``month, q05, q25, q50, q75, q95, observed``. No width: the page sizes it."""
    w = FAN_WORDS.get(lang, FAN_WORDS["en"])
    since = [r for r in rows if r.get("observed") is not None]
    keys = ["seen", *(["since"] if since else []), "median", "i50", "i90"]
    colour = {"scale": {"domain": [w[k] for k in keys], "range": [FAN_COLOURS[k] for k in keys]},
              "legend": {"title": None, "orient": "bottom", "columns": 2, "labelLimit": 260}}
    x = {"field": "month", "type": "temporal", "title": None, "axis": {"format": "%Y-%m", "labelAngle": 0}}
    y = {"type": "quantitative", "title": w["y"]}
    tip = [{"field": "month", "type": "temporal", "title": w["x"], "format": "%Y-%m"}]
    layers = [
        {"data": {"values": rows}, "mark": {"type": "area", "opacity": 0.8},
         "encoding": {"x": x, "y": {**y, "field": "q05"}, "y2": {"field": "q95"}, "color": {"datum": w["i90"], **colour},
                      "tooltip": [*tip, {"field": "q05", "title": "5%", "format": ",.0f"},
                                  {"field": "q95", "title": "95%", "format": ",.0f"}]}},
        {"data": {"values": rows}, "mark": {"type": "area", "opacity": 0.9},
         "encoding": {"x": x, "y": {**y, "field": "q25"}, "y2": {"field": "q75"}, "color": {"datum": w["i50"]}}},
        {"data": {"values": rows}, "mark": {"type": "line", "point": True},
         "encoding": {"x": x, "y": {**y, "field": "q50"}, "color": {"datum": w["median"]},
                      "tooltip": [*tip, {"field": "q50", "title": w["median"], "format": ",.0f"}]}},
        {"data": {"values": history}, "mark": {"type": "line"},
         "encoding": {"x": x, "y": {**y, "field": "value"}, "color": {"datum": w["seen"]},
                      "tooltip": [*tip, {"field": "value", "title": w["seen"], "format": ",.0f"}]}},
    ]
    if since:
        layers.append({"data": {"values": since}, "mark": {"type": "line", "point": True, "strokeDash": [4, 3]},
                       "encoding": {"x": x, "y": {**y, "field": "observed"}, "color": {"datum": w["since"]},
                                    "tooltip": [*tip, {"field": "observed", "title": w["since"], "format": ",.0f"}]}})
    return {"$schema": SCHEMA, "title": title, "height": 240, "layer": layers}
