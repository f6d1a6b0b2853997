"""The analytics layer's notes (caveats, warnings, rule descriptions) in French.

The analytics speak English; a French brief or page must not. Each note the brief can carry has
its French pattern here, filled with the same values (dates, counts, month lists). A note
with no pattern stays as it is, in English, rather than being guessed at.
"""

from __future__ import annotations

import re

_PATTERNS: list[tuple[re.Pattern, str]] = [(re.compile(p), fr) for p, fr in (
    (r"^a series is never added to events or to another series: it is its own source$",
     "une série ne s'ajoute jamais aux événements ni à une autre série : c'est une source à part"),
    (r"^slope over the last (?P<n>\d+) periods; Poisson GLM \(log link\) on the period index, fitted by IRLS; "
     r"95% Wald interval with standard errors scaled by sqrt\(phi\), phi = Pearson chi2/\(n-2\) floored at 1 "
     r"\(quasi-Poisson\); dispersion phi = (?P<phi>[\d.]+); periods are treated as independent \(serial "
     r"correlation would widen the interval\)$",
     "pente sur les {n} dernières périodes ; GLM de Poisson (lien log) sur l'indice de période, ajusté par IRLS ; "
     "intervalle de Wald à 95 % avec des erreurs types multipliées par sqrt(phi), phi = chi2 de Pearson/(n-2), "
     "au moins 1 (quasi-Poisson) ; dispersion phi = {phi} ; les périodes sont traitées comme indépendantes (une "
     "corrélation sérielle élargirait l'intervalle)"),
    (r"^no trend slope: (?P<n>\d+) complete period\(s\), at least (?P<m>\d+) needed$",
     "pas de pente : {n} période(s) complète(s), il en faut au moins {m}"),
    (r"^no trend slope: fewer than two periods with a non-zero value \(the estimate does not exist\)$",
     "pas de pente : moins de deux périodes avec une valeur non nulle (l'estimation n'existe pas)"),
    (r"^no complete period in the range$", "aucune période complète dans l'intervalle"),
    (r"^left out (?P<n>\d+) incomplete or uncovered period\(s\) \((?P<labels>.*)\): the data cover "
     r"(?P<span>\S+); include_incomplete keeps them$",
     "{n} période(s) incomplète(s) ou non couverte(s) laissée(s) de côté ({labels}) : les données couvrent "
     "{span} ; include_incomplete les garde"),
    (r"^(?P<n>\d+) period\(s\) are incomplete and kept: their values are partial$",
     "{n} période(s) incomplète(s) gardée(s) : leurs valeurs sont partielles"),
    (r"^no ingested UCDP release covers (?P<months>.+?): periods touching those months are left out \(ingest the "
     r"Candidate releases for them\)$",
     "aucune version UCDP intégrée ne couvre {months} : les périodes qui touchent ces mois sont laissées de côté "
     "(intégrez les versions Candidate de ces mois)"),
    (r"^in this sample: (?P<files>.+) is a sample, not a complete record; records and slopes describe the sample, "
     r"not the unit$",
     "dans cet échantillon : {files} est un échantillon, pas un relevé complet ; records et pentes décrivent "
     "l'échantillon, pas l'unité"),
    (r"^membership rule 'dynamic': a state counts for a month if it was a member on the 15th of that month "
     r"\(suspended members count\)$",
     "règle d'appartenance « dynamic » : un État compte pour un mois s'il était membre le 15 de ce mois (les "
     "membres suspendus comptent)"),
    (r"^membership rule 'on:(?P<day>[\d-]+)': the member list of (?P=day) is applied to every month \(a "
     r"counterfactual, fixed membership\)$",
     "règle d'appartenance « on:{day} » : la liste des membres du {day} vaut pour chaque mois (une appartenance "
     "fixe, contrefactuelle)"),
    # how the bloc registry's dates are read (sahelwatch.blocs.rules)
    (r"^Membership on a day: a state is a member from `joined` \(inclusive\) to `left` \(exclusive\); a suspended "
     r"state is still a member\. Month/year-precision dates count from the start of their period when they open a "
     r"membership and to the end of it when they close one\.$",
     "Appartenance à une date : un État est membre de sa date d'adhésion (`joined`, incluse) à sa date de départ "
     "(`left`, exclue) ; un État suspendu reste membre. Une date connue au mois ou à l'année près compte à partir "
     "du début de sa période quand elle ouvre une adhésion, et jusqu'à la fin de sa période quand elle la clôt."),
    (r"^A milestone counts from the first day of its period \(a month-precision date from the 1st\); the state is "
     r"the highest stage reached; 'uncertain' marks a period that contains the day\.$",
     "Un jalon compte à partir du premier jour de sa période (une date connue au mois près, à partir du 1er) ; "
     "le stade d'une institution est le plus avancé qu'elle ait atteint ; `uncertain` signale une date imprécise "
     "dont la période contient le jour demandé."),
    (r"^A presence opens at its deployment event, or when none is recorded at its first recorded event \(start "
     r"unknown\), and closes at its withdrawal-completed or operation-ended event\.$",
     "Une présence commence à son déploiement ou, faute de déploiement enregistré, à son premier événement "
     "enregistré (début inconnu) ; elle prend fin à l'achèvement du retrait ou à la fin de l'opération."),
    (r"^World Bank WDI SP\.POP\.TOTL \(approx\., rounded\)$",
     "Banque mondiale, WDI SP.POP.TOTL (valeurs approchées, arrondies)"),
    # the releases of the bundled series (sahelwatch demo), as the snapshot list names them
    (r"^VIEWS challenge 2024 \(UCDP GED, ~2024 vintage\)$", "concours VIEWS 2024 (UCDP GED, millésime de 2024 environ)"),
    (r"^UCDP GED 25\.1, derived by T\. Schincariol$", "UCDP GED 25.1, dérivé par T. Schincariol"),
    # the notes of the bundled series (sahelwatch demo)
    (r"^views_cm: VIEWS 2024 challenge vintage; UCDP GED best estimates by country-month, 2018-01\.\.2024-04 "
     r"\(2024 holds January-April only\)$",
     "views_cm : millésime du concours VIEWS 2024 ; meilleures estimations UCDP GED par pays et par mois, "
     "2018-01..2024-04 (2024 ne compte que janvier à avril)"),
    (r"^ged_cm_251: a third-party derivation of UCDP GED 25\.1 \(T\. Schincariol\), not official UCDP totals; "
     r"events whose start and end months differ were dropped, so totals run somewhat low$",
     "ged_cm_251 : dérivé de UCDP GED 25.1 par un tiers (T. Schincariol), pas des totaux officiels de l'UCDP ; "
     "les événements dont les mois de début et de fin diffèrent ont été écartés, les totaux sont donc un peu bas"),
    (r"^UCDP Candidate events are preliminary \(monthly releases, revised when the next GED release replaces them\)$",
     "les événements UCDP Candidate sont provisoires (livraisons mensuelles, révisées quand la version suivante du "
     "GED les remplace)"),
    (r"^UCDP GED counts deaths only in conflicts that reach 25 battle-related deaths in a calendar year$",
     "l'UCDP GED ne compte les morts que des conflits qui atteignent 25 morts au combat dans une année civile"),
    (r"^ACLED covers Africa from 1997 and its sourcing has grown since: part of a long-run rise can be reporting"
     r"(?P<early>; periods before 1997 are not covered, not zero)?$",
     "ACLED couvre l'Afrique depuis 1997 et ses sources se sont étoffées depuis : une partie d'une hausse de long "
     "terme peut tenir au signalement{early}"),
    (r"^UCDP Candidate events are preliminary; a GED release replaces them$",
     "les événements UCDP Candidate sont provisoires ; une version du GED les remplace"),
    (r"^no ingested UCDP release covers (?P<months>.+?): those months hold no data, not zero events$",
     "aucune version UCDP intégrée ne couvre {months} : ces mois n'ont pas de données, ce qui ne veut pas "
     "dire zéro événement"),
    (r"^no ingested UCDP release covers it$", "aucune version UCDP intégrée ne le couvre"),
    (r"^the store holds no event from these sources in (?P<n>\d+) of the 13 months up to (?P<day>[\d-]+) "
     r"\((?P<months>[^)]*)\): baselines may miss data \(a sample or a single monthly release\?\) and alerts "
     r"may be spurious$",
     "la base ne contient aucun événement de ces sources pour {n} des 13 mois jusqu'au {day} ({months}) : "
     "les références peuvent manquer de données (un échantillon, ou une seule livraison mensuelle ?) et les "
     "alertes être fausses"),
    (r"^issued on (?P<day>[\d-]+), after the last event in the store \((?P<last>[\d-]+)\): the signal windows "
     r"are partly empty$",
     "émise le {day}, après le dernier événement de la base ({last}) : les fenêtres du signal sont en partie "
     "vides"),
    (r"^as-coded: every event at its given coordinates \(weight 1\)$",
     "telle que codée : chaque événement à ses coordonnées (poids 1)"),
    (r"^exact: only events located to a town or better \(geo_precision 'exact'\)$",
     "exacte : seuls les événements localisés à une ville ou mieux (geo_precision 'exact')"),
    (r"^spread: events located to an admin unit or a country are shared evenly over the PRIO-GRID cells whose "
     r"centre lies in that unit; for admin units each share goes to the unit holding the cell centre$",
     "répartie : les événements localisés à une unité administrative ou à un pays sont partagés à parts égales "
     "entre les cellules PRIO-GRID dont le centre est dans cette unité ; pour les unités administratives, "
     "chaque part va à l'unité qui contient le centre de la cellule"),
    (r"^DejaVu Sans fonts \(Bitstream Vera licence; DejaVu changes in the public domain\), shipped in the "
     r"package\.$",
     "polices DejaVu Sans (licence Bitstream Vera ; modifications DejaVu dans le domaine public), fournies "
     "avec le logiciel."),
)]


def translate(text: str, lang: str) -> str:
    """``text`` in ``lang``: French where a pattern matches, else unchanged."""
    if lang != "fr" or not text:
        return text
    for pattern, fr in _PATTERNS:
        m = pattern.match(text.strip())
        if m:
            values = m.groupdict()
            if "phi" in values:
                values["phi"] = values["phi"].replace(".", ",")
            if "early" in values:
                values["early"] = " ; les périodes avant 1997 ne sont pas couvertes, ce qui ne veut pas dire zéro" \
                    if values["early"] else ""
            return fr.format(**values)
    return text
