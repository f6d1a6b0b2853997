"""The analytics layer's notes (caveats, warnings, rule descriptions) in French.

The analytics speak English; a French brief must not. Each note the brief can carry has
its French pattern here, filled with the same values (dates, counts, month lists). A note
with no pattern stays as it is, in English, rather than being guessed at.
"""

from __future__ import annotations

import re

_PATTERNS: list[tuple[re.Pattern, str]] = [(re.compile(p), fr) for p, fr in (
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
            return fr.format(**m.groupdict())
    return text
