"""Template sentences of a brief, in English and French.

A number enters a sentence only through :meth:`Writer.fig`, which prints a
:class:`~.figures.Figure` and its footnote mark; dates go in ``<time>`` and event ids
in ``<code>``. Tests read every ``<p class="prose">`` back and check each number in it.
"""

from __future__ import annotations

from html import escape

from .i18n import date_text, num, pct, typography

KINDS_FR = {"surge": "poussée", "threat": "menace", "convergence": "convergence"}
SOURCE_NAMES = {"ucdp": "UCDP", "acled": "ACLED"}
FR_IN = {"BFA": "au", "MLI": "au", "NER": "au", "TCD": "au", "SEN": "au", "NGA": "au", "BEN": "au", "TGO": "au",
         "GHA": "au", "CMR": "au", "SDN": "au", "MRT": "en", "GIN": "en", "CIV": "en", "DZA": "en", "LBY": "en",
         "GMB": "en", "GNB": "en", "CAF": "en"}


class Writer:
    def __init__(self, data):
        self.d = data
        self.lang = data.lang
        self.figs = data.figures

    # -- pieces -------------------------------------------------------------------------------
    def fig(self, key: str, style: str = "num") -> str:
        f = self.figs[key]
        text = pct(f.value, self.lang) if style == "pct" else num(f.value, self.lang)
        n = self.figs.footnote(key)
        return (f'<span class="fig" data-key="{escape(key)}">{text}</span>'
                f'<sup class="fn"><a href="#fn-{n}">{n}</a></sup>')

    def when(self, day) -> str:
        return f'<time datetime="{day.isoformat()}">{date_text(day, self.lang)}</time>'

    def period(self, p) -> str:
        return f'<time datetime="{p.label}">{p.text(self.lang)}</time>'

    def plural(self, key: str, one: str, many: str) -> str:
        v = self.figs.value(key)
        return one if v is not None and abs(v) == 1 else many

    def events_word(self, key: str) -> str:
        return self.plural(key, "event", "events") if self.lang == "en" else self.plural(key, "événement",
                                                                                          "événements")

    def deaths_word(self, key: str) -> str:
        return self.plural(key, "fatality", "fatalities") if self.lang == "en" else self.plural(key, "mort", "morts")

    def source(self) -> str:
        return SOURCE_NAMES.get(self.d.family, str(self.d.source))

    def where(self) -> str:
        u = self.d.unit
        if u.kind == "bloc":
            names = ", ".join(escape(m.name) for m in u.members)
            return (f"in the member states of {escape(u.id)} ({names})" if self.lang == "en"
                    else f"dans les États membres de l'{escape(u.id)} ({names})" if u.id[0] in "AEIOU"
                    else f"dans les États membres de la {escape(u.id)} ({names})")
        name = escape(u.name[self.lang])
        if self.lang == "en":
            return f"in {name}"
        return f"{FR_IN[u.id]} {name}" if u.id in FR_IN else f"pour {name}"

    def p(self, html: str) -> str:
        return f'<p class="prose">{typography(html, self.lang)}</p>'

    # -- sentences ------------------------------------------------------------------------------
    def headline(self) -> list[str]:
        d, en = self.d, self.lang == "en"
        out = []
        if en:
            s = (f"In {self.period(d.period)}, {self.source()} recorded {self.fig('cur.events')} "
                 f"{self.events_word('cur.events')} and {self.fig('cur.fatalities_best')} "
                 f"{self.deaths_word('cur.fatalities_best')} (best estimate; low {self.fig('cur.fatalities_low')}, "
                 f"high {self.fig('cur.fatalities_high')}) {self.where()}.")
        else:
            s = (f"En {self.period(d.period)}, {self.source()} a enregistré {self.fig('cur.events')} "
                 f"{self.events_word('cur.events')} et {self.fig('cur.fatalities_best')} "
                 f"{self.deaths_word('cur.fatalities_best')} (meilleure estimation ; basse "
                 f"{self.fig('cur.fatalities_low')}, haute {self.fig('cur.fatalities_high')}) {self.where()}.")
        cov = d.coverage[d.period.label]
        if cov.status == "partial":
            s += (f" The period is only partly covered: {cov.reason['en']}." if en else
                  f" La période n'est couverte qu'en partie : {cov.reason['fr']}.")
        out.append(self.p(s))
        for tag, p in d.comparisons():
            out.append(self.p(self.comparison(tag, p)))
        out.append(self.p(self.record()))
        return out

    def comparison(self, tag: str, p) -> str:
        en = self.lang == "en"
        cov = self.d.coverage[p.label]
        if not cov.usable:
            return (f"No comparison with {self.period(p)}: {cov.reason['en']}." if en else
                    f"Pas de comparaison avec {self.period(p)} : {cov.reason['fr']}.")
        head = (f"In {self.period(p)}: {self.fig(f'{tag}.events')} {self.events_word(f'{tag}.events')} and "
                f"{self.fig(f'{tag}.fatalities_best')} {self.deaths_word(f'{tag}.fatalities_best')}" if en else
                f"En {self.period(p)} : {self.fig(f'{tag}.events')} {self.events_word(f'{tag}.events')} et "
                f"{self.fig(f'{tag}.fatalities_best')} {self.deaths_word(f'{tag}.fatalities_best')}")
        ce, cf = self.figs.value(f"chg_{tag}.events"), self.figs.value(f"chg_{tag}.fatalities_best")
        if ce is None and cf is None:
            tail = ("; no percentage change from zero." if en else " ; pas de variation en pourcentage depuis zéro.")
            return head + tail
        parts = []
        if ce is not None:
            parts.append(f"{self.fig(f'chg_{tag}.events', 'pct')} " + ("events" if en else "d'événements"))
        if cf is not None:
            parts.append(f"{self.fig(f'chg_{tag}.fatalities_best', 'pct')} " + ("fatalities" if en else "de morts"))
        return head + (f"; change since then: {', '.join(parts)}." if en else
                       f" ; variation depuis : {', '.join(parts)}.")

    def record(self) -> str:
        d, en = self.d, self.lang == "en"
        if d.record is None:
            return escape(d.record_note[self.lang])
        kind = d.period.kind
        kinds = ({"month": "months", "year": "years"} if en else {"month": "mois", "year": "années"})[kind]
        if d.record["is_record"]:
            return (f"It is a record: no earlier {kind} of the {self.fig('record.n_periods')} complete {kinds} "
                    f"of the series had as many fatalities." if en else
                    f"C'est un record : aucun des {self.fig('record.n_periods')} {kinds} complets de la série "
                    "n'avait compté autant de morts.")
        from .figures import Period

        since = self.period(Period.parse(d.record["since"]))
        return (f"It is not a record: {since} had at least as many fatalities (series of "
                f"{self.fig('record.n_periods')} complete {kinds})." if en else
                f"Ce n'est pas un record : {since} avait compté au moins autant de morts (série de "
                f"{self.fig('record.n_periods')} {kinds} complets).")

    def by_country(self) -> list[str]:
        d, en = self.d, self.lang == "en"
        if d.unit.kind != "bloc" or not d.countries_rows:
            return []
        names = {m.iso3: m.name for m in d.unit.members}
        parts = []
        for r in d.countries_rows:
            k = "country." + r["iso3"]
            parts.append(f"{escape(names.get(r['iso3'], r['iso3']))} {self.fig(k + '.events')} "
                         f"{self.events_word(k + '.events')}, {self.fig(k + '.fatalities_best')} "
                         f"{self.deaths_word(k + '.fatalities_best')}")
        return [self.p(("By member state: " if en else "Par État membre : ") + "; ".join(parts) + ".")]

    def top_area(self) -> list[str]:
        d, en = self.d, self.lang == "en"
        if not d.areas:
            return []
        r = d.areas[0]
        name, c = escape(str(r["admin1_name"])), escape(str(r["country_iso3"]))
        s = (f"The most events were recorded in {name} ({c}): {self.fig('area.0.events')} "
             f"{self.events_word('area.0.events')} and {self.fig('area.0.fatalities_best')} "
             f"{self.deaths_word('area.0.fatalities_best')}. Events fell in {self.fig('cells.n')} PRIO-GRID cells."
             if en else
             f"L'unité admin1 où le plus d'événements ont été enregistrés est « {name} » ({c}) : "
             f"{self.fig('area.0.events')} "
             f"{self.events_word('area.0.events')} et {self.fig('area.0.fatalities_best')} "
             f"{self.deaths_word('area.0.fatalities_best')}. Les événements se répartissent sur "
             f"{self.fig('cells.n')} cellules PRIO-GRID.")
        return [self.p(s)]

    def incident(self, i: int) -> str:
        r, en = self.d.incidents[i], self.lang == "en"
        k = f"incident.{i}"
        place = ", ".join(escape(str(x)) for x in (r["location"], r["admin1"]) if x)
        actors = " – ".join(escape(str(x)) for x in (r["actor1"], r["actor2"]) if x)
        ref = f'<code class="event-id">{escape(r["event_key"])}</code>'
        return self.p(
            f"{self.fig(f'{k}.fatalities_best')} {self.deaths_word(f'{k}.fatalities_best')} (best estimate; "
            f"{self.fig(f'{k}.fatalities_low')}–{self.fig(f'{k}.fatalities_high')}) on {self.when(r['date_start'])} "
            f"at {place} ({escape(r['country_iso3'])}); {actors}. Event {ref}." if en else
            f"{self.fig(f'{k}.fatalities_best')} {self.deaths_word(f'{k}.fatalities_best')} (meilleure estimation ; "
            f"{self.fig(f'{k}.fatalities_low')}–{self.fig(f'{k}.fatalities_high')}) le {self.when(r['date_start'])} "
            f"à {place} ({escape(r['country_iso3'])}) ; {actors}. Événement {ref}.")

    def alerts_intro(self) -> str:
        d, en = self.d, self.lang == "en"
        n = "alerts.n"
        return self.p(
            f"On {self.when(d.alerts_on)}, the alert rules raised {self.fig(n)} "
            f"{self.plural(n, 'alert', 'alerts')} for admin1 areas {self.where()}." if en else
            f"Le {self.when(d.alerts_on)}, les règles d'alerte ont levé {self.fig(n)} "
            f"{self.plural(n, 'alerte', 'alertes')} pour des unités admin1 {self.where()}.")

    def alert_scores(self) -> list[str]:
        d, en = self.d, self.lang == "en"
        out = []
        if "score.unresolved" in self.figs:
            out.append(self.p(
                f"No past alert could be scored: {self.fig('score.unresolved')} alert unit-days had no resolved "
                "outcome in the store." if en else
                f"Aucune alerte passée n'a pu être évaluée : {self.fig('score.unresolved')} jours-unités d'alerte "
                "n'ont pas d'issue connue dans la base."))
            return out
        for r in d.alert_scores:
            k = f"score.{r['kind']}"
            out.append(self.p(
                f"{escape(r['kind'].capitalize())} alerts: {self.fig(k + '.scored')} unit-days scored, "
                f"{self.fig(k + '.hits')} hits, {self.fig(k + '.false_alarms')} false alarms, "
                f"{self.fig(k + '.misses')} misses." if en else
                f"Alertes « {escape(KINDS_FR.get(r['kind'], r['kind']))} » : {self.fig(k + '.scored')} "
                "jours-unités évalués, "
                f"{self.fig(k + '.hits')} réussites, {self.fig(k + '.false_alarms')} fausses alertes, "
                f"{self.fig(k + '.misses')} manquées."))
        window = [r for r in d.trend_rows[-13:] if r["status"] in ("none", "sample")]
        if window:
            out.append(self.p(
                "The scoring window includes months the store holds no data for, or only a sample of: these "
                "scores describe the store more than the rules." if en else
                "La fenêtre d'évaluation comprend des mois sans données, ou seulement un échantillon : ces "
                "scores décrivent la base plus que les règles."))
        return out

    def no_data(self) -> str:
        d, en = self.d, self.lang == "en"
        why = d.coverage[d.period.label].reason[self.lang]
        name = escape(d.unit.name[self.lang])
        return self.p(
            f"The store holds no data for {name} in {self.period(d.period)}: {escape(why)}. This brief therefore "
            "gives no figures and no map for the period (the trend, where shown, covers the months before it); "
            "ingest a release that covers it and regenerate."
            if en else
            f"La base ne contient pas de données pour {name} en {self.period(d.period)} : {escape(why)}. Cette note "
            "ne donne donc ni chiffres ni carte pour la période (la tendance, si elle figure, couvre les mois "
            "précédents) ; intégrez une version qui la couvre et régénérez-la.")
