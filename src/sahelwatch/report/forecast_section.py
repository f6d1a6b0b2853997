"""The forecast outlook of a brief: the one place that asks the forecast layer for numbers.

Plugging forecasts in is replacing the body of :func:`_ask` (and nothing else). It must
return, for the units and months asked, a list of rows::

    {"unit": "BFA",              # ISO3 code (country rows; a bloc brief asks its members)
     "month": "2023-11",         # the month forecast (YYYY-MM)
     "measure": "fatalities_best",
     "median": 410.0,            # median of the predictive distribution
     "low": 120.0, "high": 980.0,  # 90% interval: the 5th and 95th percentiles
     "model": "lgbm-poisson v1", # what made it
     "command": "sahelwatch forecast show --country BFA --month 2023-11",  # reproduces the row
     "snapshot": 2}              # the store snapshot the model was fitted on

or ``[]`` when the store holds no forecast for them. An Observatory without a
``forecast`` attribute has no forecast layer; either way the section says it is
left out, and why.

The forecast layer (``obs.forecast.stored``) answers with the forecast whose origin is the
brief's period (made with data to then only), for the three months after it, fitted on a
snapshot no later than the brief's; rows may also carry ``observed`` (the value the data
hold now for that month, shown as "observed since"), ``observed_snapshot``, ``origin``,
``name``, ``target_text``, ``made_by`` (the command that fits the forecast again) and
``caveats``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KEYS = ("unit", "month", "measure", "median", "low", "high", "model", "command", "snapshot")


@dataclass
class Outlook:
    rows: list[dict] = field(default_factory=list)
    reason: dict | None = None  # lang -> why the section is left out
    note: dict | None = None  # lang -> why the rows come from another source than the brief's figures

    @property
    def available(self) -> bool:
        return bool(self.rows)


def load_forecasts(obs, units, months, *, source=None, as_of=None) -> Outlook:
    """The outlook for the months after the brief's period (``months``: the period's months)."""
    fc = getattr(obs, "forecast", None)
    if getattr(fc, "stored", None) is None:
        # forecasts are written to files by `sahelwatch forecast -o`; the store keeps none to read
        return Outlook(reason={"en": "the store keeps no forecasts (sahelwatch forecast writes them to files)",
                               "fr": "la base ne conserve aucune prévision (sahelwatch forecast les écrit "
                                     "dans des fichiers)"})
    after = _next_months(months[-1], 3)
    origin = f"{months[-1].year:04d}-{months[-1].month:02d}"
    if not units:
        return Outlook(reason={"en": "no member state to forecast in the period",
                               "fr": "aucun État membre à prévoir sur la période"})
    rows = _ask(fc, list(units), after, source=source, as_of=as_of)
    note = None
    if not rows and str(source or "").lower() == "ucdp":
        # no forecast from the brief's own events: one of UCDP deaths from a stored series, said so
        rows = [r for r in _ask(fc, list(units), after, source="series", as_of=as_of)
                if r.get("measure") == "fatalities_all"]
        if rows:
            src = str(rows[0].get("source") or "").split(":", 1)[-1]
            note = {"en": f"The store holds no forecast made from its own UCDP events at {origin}: this outlook "
                          f"is the forecast of the series {src} (UCDP deaths by country and month), another source "
                          "than the figures above.",
                    "fr": f"La base ne contient aucune prévision établie en {origin} à partir de ses propres "
                          f"événements UCDP : ces perspectives sont la prévision de la série {src} (morts UCDP par "
                          "pays et par mois), une autre source que les chiffres ci-dessus."}
    if not rows:
        return Outlook(reason={"en": f"the store holds no forecast for {', '.join(units)} made at {origin} with "
                                     f"data to that month only ({after[0]} to {after[-1]})",
                               "fr": f"la base ne contient aucune prévision pour {', '.join(units)} établie "
                                     f"en {origin} avec les seules données de ce mois et d’avant "
                                     f"({after[0]} à {after[-1]})"})
    for r in rows:
        missing = [k for k in KEYS if k not in r]
        if missing:
            raise ValueError(f"forecast row {r!r} lacks {', '.join(missing)}")
    return Outlook(rows=rows, note=note)


def _ask(fc, units: list[str], months: list[str], *, source=None, as_of=None) -> list[dict]:
    """Stored forecasts from the forecast layer (see the module docstring for the row shape): the
    forecast made at the month before ``months`` (the brief's period), from the data the brief
    reads (``source``), fitted on a snapshot no later than the brief's (``as_of``)."""
    stored = getattr(fc, "stored", None)
    if stored is None:
        return []
    return [dict(r) for r in stored(units=units, months=months, source=source, as_of=as_of)]


WORDS = {
    "intro": {"en": "Forecast made at the end of {origin} with the data to that month only: {what}; median and "
                    "90% interval (5th to 95th percentile) of the predictive distribution, per month. A forecast "
                    "gives probabilities, not certainties: even a well-calibrated 90% interval misses about one month in ten.",
              "fr": "Prévision établie fin {origin} avec les seules données disponibles jusqu’à ce mois : {what} ; "
                    "médiane et intervalle à 90\u202f% (du 5e au 95e centile) de la distribution prédictive, par mois. "
                    "Une prévision donne des probabilités, non des certitudes : même bien calibré, un intervalle à "
                    "90\u202f% manque environ un mois sur dix."},
    "what": {"en": "{text} (target {target}, from {source}, model {model}, forecast {id}, fitted on snapshot {snap})",
             "fr": "{text} (cible {target}, d’après {source}, modèle {model}, prévision {id}, ajustée sur "
                   "l’instantané {snap})"},
    "observed": {"en": "Observed since: what the data now hold for those months (snapshot {snap}), beside what "
                       "was forecast.",
                 "fr": "Observé depuis : ce que les données contiennent désormais pour ces mois (instantané "
                       "{snap}), à côté de ce qui avait été prévu."},
    "made_by": {"en": "Fitted again by", "fr": "Réajustée par"},
    "caveat": {"en": "Caveat", "fr": "Réserve"},
    "cell": {"en": "median (90% interval)", "fr": "médiane (intervalle à 90\u202f%)"},
    "head": {"en": ["country", "month", "median", "90% interval", "observed since", "model"],
             "fr": ["pays", "mois", "médiane", "intervalle à 90\u202f%", "observé depuis", "modèle"]},
}
SOURCES = {"store": {"en": "the event store", "fr": "la base d’événements"}}
TARGETS_FR = {"UCDP best estimate of deaths, all types of violence":
              "estimation centrale UCDP des morts, tous types de violence"}


def _source(source, lang: str) -> str:
    s = str(source or "—")
    if s in SOURCES:
        return SOURCES[s][lang]
    if s.startswith("series:"):
        return ("series " if lang == "en" else "la série ") + s.split(":", 1)[1]
    return s


def render(data, wr) -> str:
    """The outlook: an introduction naming the forecast, a table of median and 90% interval per
    country and month (with what was observed since, where the data hold it), caveats and the
    command that fits the forecast again. Every number is a figure with its footnote."""
    from html import escape

    from ..domain import countries as C
    from .figures import Period
    from .i18n import NNBSP, typography

    lang = data.lang
    out = data.forecast
    rows = out.rows
    first = rows[0]
    origin = Period.parse(first.get("origin") or rows[0]["month"]).text(lang)
    text = first.get("target_text") or first["measure"]
    what = WORDS["what"][lang].format(text=TARGETS_FR.get(text, text) if lang == "fr" else text,
                                      target=first["measure"], source=_source(first.get("source"), lang), model=first["model"],
                                      id=first.get("forecast", "—"), snap=first["snapshot"])
    html = f'<p class="note">{typography(escape(WORDS["intro"][lang].format(origin=origin, what=what)), lang)}</p>'
    if out.note:
        html += f'<p class="note other-source">{typography(escape(out.note[lang]), lang)}</p>'
    seen = any(r.get("observed") is not None for r in rows)
    units = list(dict.fromkeys(r["unit"] for r in rows))
    months = list(dict.fromkeys(r["month"] for r in rows))
    cells: dict = {}
    for i, r in enumerate(rows):
        for k, en, fr in (("median", "median", "médiane"), ("low", "5th percentile", "5e centile"),
                          ("high", "95th percentile", "95e centile")):
            data.figures.add(f"forecast.{i}.{k}", r[k], (f"forecast {en}, {r['unit']} {r['month']} ({r['measure']})",
                                                         f"prévision, {fr}, {r['unit']} {r['month']} ({r['measure']})"),
                             r["command"], r["snapshot"])
        cell = (f"{wr.fig(f'forecast.{i}.median')} "
                f"({wr.fig(f'forecast.{i}.low')}–{wr.fig(f'forecast.{i}.high')})")
        if r.get("observed") is not None:
            snap = r.get("observed_snapshot")
            data.figures.add(f"forecast.{i}.observed", r["observed"],
                             (f"observed since, {r['unit']} {r['month']} ({r['measure']})",
                              f"observé depuis, {r['unit']} {r['month']} ({r['measure']})"),
                             f"{r['command']} --as-of {snap}" if snap is not None else r["command"], snap)
            cell += (f'<br><span class="observed">{escape(WORDS["head"][lang][4])}'
                     f'{NNBSP if lang == "fr" else ""}: {wr.fig(f"forecast.{i}.observed")}</span>')
        cells[(r["unit"], r["month"])] = cell
    names = {}
    for u in units:
        try:
            names[u] = C.name(u, lang)
        except Exception:  # a unit outside the crosswalk (admin1, grid cell) keeps its code
            names[u] = next((r.get("name") for r in rows if r["unit"] == u and r.get("name")), u)
    head = [typography(escape(WORDS["cell"][lang]), lang), *(wr.period(Period.parse(m)) for m in months)]
    body = "".join("<tr><td>" + escape(f"{names[u]} ({u})") + "</td>"
                   + "".join(f"<td>{cells.get((u, m), '—')}</td>" for m in months) + "</tr>" for u in units)
    html += ('<table class="forecast"><thead><tr>' + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>"
             + body + "</tbody></table>")
    if seen:
        snap = next(r.get("observed_snapshot") for r in rows if r.get("observed") is not None)
        html += f'<p class="note">{typography(escape(WORDS["observed"][lang].format(snap=snap)), lang)}</p>'
    colon = NNBSP + ":" if lang == "fr" else ":"
    for c in (first.get("caveats_fr") if lang == "fr" and first.get("caveats_fr") else first.get("caveats")) or []:
        html += f'<p class="note">{escape(WORDS["caveat"][lang])}{colon} {typography(escape(c), lang)}.</p>'
    if first.get("made_by"):
        html += f'<p class="note">{escape(WORDS["made_by"][lang])}{colon} <code>{escape(first["made_by"])}</code></p>'
    return html


def _next_months(first_day, n: int) -> list[str]:
    y, m = first_day.year, first_day.month
    out = []
    for _ in range(n):
        m += 1
        if m > 12:
            y, m = y + 1, 1
        out.append(f"{y:04d}-{m:02d}")
    return out
