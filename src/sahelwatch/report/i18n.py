"""Words, numbers and dates in English and French, with French typography.

French: a narrow no-break space (U+202F) before ; : ! ? and inside « », a decimal
comma, a narrow no-break space as thousands separator, French month names. Every
number a brief prints goes through :func:`num` or :func:`pct`, so a test can turn
the printed text back into the value (:func:`parse_num`).

    >>> num(1210, "en"), num(1210, "fr") == "1\u202f210", num(12.5, "fr", 1)
    ('1,210', True, '12,5')
    >>> pct(12.0, "en"), pct(-3.5, "fr", 1) == "\u22123,5\u202f%"
    ('+12%', True)
    >>> typography("Record non évalué: voir « note »!", "fr") == "Record non évalué\u202f: voir «\u202fnote\u202f»\u202f!"
    True
    >>> parse_num("1\u202f210"), parse_num("1,210"), parse_num("12,5"), date_text(dt.date(2023, 10, 1), "fr")
    (1210.0, 1210.0, 12.5, '1er octobre 2023')
"""

from __future__ import annotations

import datetime as dt
import re

LANGS = ("en", "fr")
NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
}


def check_lang(lang: str | None) -> str:
    from ..domain.errors import UsageError

    lang = (lang or "en").strip().lower()
    if lang not in LANGS:
        raise UsageError(f"unknown language {lang!r}", choices=list(LANGS))
    return lang


def num(value, lang: str, decimals: int = 0) -> str:
    """1210 -> '1,210' (en) / '1 210' (fr, narrow no-break space); 12.5 -> '12.5' / '12,5'."""
    if value is None:
        return "–"
    text = f"{float(value):,.{decimals}f}" if decimals else f"{round(float(value)):,d}"
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text.replace("-", "\u2212")


def pct(value, lang: str, decimals: int = 0, signed: bool = True) -> str:
    """+12 % (fr, narrow no-break space before %) / +12% (en)."""
    if value is None:
        return "–"
    sign = "+" if signed and value > 0 else ""
    return f"{sign}{num(value, lang, decimals)}{NNBSP if lang == 'fr' else ''}%"


def parse_num(text: str) -> float:
    """The value of a number printed by :func:`num` (either language)."""
    t = text.replace("\u2212", "-").replace("+", "").replace("%", "").strip()
    t = t.replace(NNBSP, "").replace(NBSP, "").replace(" ", "")
    if "," in t and "." not in t and re.fullmatch(r"-?\d+,\d+", t) and not re.fullmatch(r"-?\d{1,3}(,\d{3})+", t):
        t = t.replace(",", ".")  # French decimal comma
    return float(t.replace(",", ""))


def month_name(month: int, lang: str) -> str:
    return MONTHS[lang][month - 1]


def date_text(day: dt.date, lang: str) -> str:
    """11 October 2023 / 11 octobre 2023 (1er for the first day in French)."""
    d = "1er" if lang == "fr" and day.day == 1 else str(day.day)
    return f"{d} {month_name(day.month, lang)} {day.year}"


def typography(text: str, lang: str) -> str:
    """French spacing: narrow no-break space before ; : ! ? and inside guillemets.

    Leaves URLs, times (10:05) and CLI flags alone: only a colon after a letter,
    digit, closing mark or tag and followed by a space or the end of the text is spaced.
    """
    if lang != "fr":
        return text
    # HTML entities (&amp;) end in ';' too: hidden while spacing, put back after
    text = re.sub(r"&(#?\w+);", "\x00\\1\x01", text)
    text = re.sub(r"[ \u00a0\u202f]*([;!?])(?=\s|$|<)", NNBSP + r"\1", text)
    text = re.sub(r"(?<=[\w»)\]>])[ \u00a0\u202f]*:(?=\s|$|<)", NNBSP + ":", text)
    text = re.sub(r"«[ \u00a0\u202f]*", "«" + NNBSP, text)
    text = re.sub(r"[ \u00a0\u202f]*»", NNBSP + "»", text)
    return re.sub("\x00(#?\\w+)\x01", r"&\1;", text)


# -- fixed words --------------------------------------------------------------------------------
WORDS = {
    "title_bloc": {"en": "{name}: situation brief, {period}", "fr": "{name} : note de situation, {period}"},
    "title_country": {"en": "{name}: situation brief, {period}", "fr": "{name} : note de situation, {period}"},
    "generated": {"en": "Generated {when} by sahelwatch {version} from snapshot {snap} of the store. "
                         "A first draft written from templates: every figure links to the command that reproduces it.",
                  "fr": "Produite le {when} par sahelwatch {version} à partir de l'instantané {snap} de la base. "
                         "Premier jet rédigé par gabarits : chaque chiffre renvoie à la commande qui le reproduit."},
    "headline": {"en": "Headline figures", "fr": "Chiffres clés"},
    "events": {"en": "Events", "fr": "Événements"},
    "fatalities": {"en": "Fatalities (best)", "fr": "Morts (meilleure estimation)"},
    "fatalities_range": {"en": "Fatalities low–high", "fr": "Morts bas–haut"},
    "period": {"en": "Period", "fr": "Période"},
    "previous": {"en": "Previous period", "fr": "Période précédente"},
    "year_before": {"en": "A year before", "fr": "Un an plus tôt"},
    "compare": {"en": "Compared with", "fr": "Comparé à"},
    "no_data": {"en": "no data", "fr": "pas de données"},
    "map": {"en": "Map of the period", "fr": "Carte de la période"},
    "map_caption": {"en": "Events per admin1 area (shading) and PRIO-GRID cells with events (squares; dot area "
                           "proportional to fatalities, best estimate). Boundaries: geoBoundaries (CC BY 4.0).",
                    "fr": "Événements par unité admin1 (trame) et cellules PRIO-GRID ayant des événements "
                           "(carrés ; surface du point proportionnelle aux morts, meilleure estimation). "
                           "Limites : geoBoundaries (CC BY 4.0)."},
    "trend": {"en": "Trend", "fr": "Tendance"},
    "trend_caption": {"en": "Events and fatalities (best, with the low–high range) per {kind}. "
                             "Light dashed bands: no ingested release covers the {kind}, which holds no data (not zero); "
                             "grey bars: only a sample covers it.",
                      "fr": "Événements et morts (meilleure estimation, avec la fourchette basse–haute) par {kind}. "
                             "Bandes claires en pointillé : aucune version intégrée ne couvre la période, qui n'a "
                             "pas de données (et non zéro) ; barres grises : seul un échantillon la couvre."},
    "month": {"en": "month", "fr": "mois"},
    "months": {"en": "months", "fr": "mois"},
    "years": {"en": "years", "fr": "années"},
    "year": {"en": "year", "fr": "année"},
    "top_areas": {"en": "Top admin areas", "fr": "Principales unités administratives"},
    "top_actors": {"en": "Top actors", "fr": "Principaux acteurs"},
    "actors_note": {"en": "An event counts once for each side it names; civilians (victims) are not listed.",
                    "fr": "Un événement compte une fois pour chaque partie qu'il nomme ; les civils (victimes) "
                          "ne sont pas listés."},
    "area": {"en": "Admin1 area", "fr": "Unité admin1"},
    "country": {"en": "Country", "fr": "Pays"},
    "actor": {"en": "Actor", "fr": "Acteur"},
    "incidents": {"en": "Deadliest events", "fr": "Événements les plus meurtriers"},
    "alerts": {"en": "Alerts", "fr": "Alertes"},
    "alerts_past": {"en": "How past alerts fared", "fr": "Bilan des alertes passées"},
    "question": {"en": "Question", "fr": "Question"},
    "probability": {"en": "Stated probability", "fr": "Probabilité annoncée"},
    "forecast": {"en": "Forecast outlook", "fr": "Prévisions"},
    "bloc": {"en": "The bloc in the period", "fr": "Le bloc sur la période"},
    "country_blocs": {"en": "Regional blocs", "fr": "Organisations régionales"},
    "members": {"en": "Members", "fr": "Membres"},
    "milestones": {"en": "Milestones in the period", "fr": "Jalons de la période"},
    "institutions": {"en": "Institutions at the end of the period", "fr": "Institutions en fin de période"},
    "data": {"en": "Data", "fr": "Données"},
    "sources_of_figures": {"en": "Where each figure comes from", "fr": "Origine de chaque chiffre"},
    "footnote_snapshot": {"en": "snapshot {snap}", "fr": "instantané {snap}"},
    "by_country": {"en": "By member state", "fr": "Par État membre"},
    "joined": {"en": "joined {date}", "fr": "membre depuis le {date}"},  # date in words
    "none_in_period": {"en": "None recorded in the period.", "fr": "Aucun enregistré sur la période."},
    "no_data_brief": {"en": "No data for this period", "fr": "Pas de données pour cette période"},
    "left_out": {"en": "Left out: {why}", "fr": "Section omise : {why}"},
}


def w(key: str, lang: str, **kw) -> str:
    return WORDS[key][lang].format(**kw)
