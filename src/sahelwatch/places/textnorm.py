"""Name folding for place names: accents, case, admin words, spelling variants.

Three keys, from strict to loose, used by the gazetteer search and by the
admin-name comparison (``admin1_disagrees``):

- :func:`fold` — accents, case, apostrophes and punctuation removed
  (``"N’Djaména"`` -> ``"ndjamena"``, ``"Ménaka"`` -> ``"menaka"``);
- :func:`admin_key` — :func:`fold` minus admin words and particles
  (``"Province du Kadiogo"`` -> ``"kadiogo"``, ``"Mopti region"`` -> ``"mopti"``,
  ``"Nord Region, Burkina Faso"`` -> ``"nord"``);
- :func:`sound_key` — :func:`fold` with French/English transcription variants
  merged (``ou``/``w``/``u``, ``dj``/``j``, ``tch``/``ch``/``sh``, ``y``/``i``,
  silent ``h``, doubled letters): ``"Ouahigouya"`` and ``"Wahiguya"`` share
  ``"uaiguia"``.

Pure standard library: imported by light code paths.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_APOSTROPHES = re.compile(r"[’'`´ʼ‘]")

#: Words that name the kind of unit rather than the unit (French and English).
ADMIN_WORDS = frozenset(
    """
    region regions province provinces state etat department departement departements
    prefecture cercle commune communes district governorate wilaya moughataa lga
    arrondissement sous prefecture county municipality urban rural
    """.split()
)
_PARTICLES = frozenset("de du des la le les l d of the".split())
#: Whole-name aliases after folding (names that differ beyond spelling).
_ALIASES = {
    "abuja federal capital territory": "fct",
    "federal capital territory": "fct",
    "abuja": "fct",
}


@lru_cache(maxsize=65536)
def fold(text: str | None) -> str:
    """Lower-case ASCII words separated by single spaces; ``""`` for None."""
    if not text:
        return ""
    text = _APOSTROPHES.sub("", text.translate(_LIGATURES))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def admin_key(text: str | None) -> str:
    """A unit's name without the kind of unit, the country or particles."""
    if not text:
        return ""
    # "Nord Region, Burkina Faso": what follows the comma names the country.
    head = text.split(",")[0]
    folded = fold(head)
    if folded in _ALIASES:
        return _ALIASES[folded]
    words = [w for w in folded.split() if w not in ADMIN_WORDS]
    while words and words[0] in _PARTICLES:
        words.pop(0)
    while words and words[-1] in _PARTICLES:
        words.pop()
    key = " ".join(words)
    return _ALIASES.get(key, key) or folded


_SOUND_RULES = (
    ("gui", "gi"),
    ("gue", "ge"),
    ("tch", "x"),
    ("ch", "x"),
    ("sh", "x"),
    ("dj", "j"),
    ("kh", "k"),
    ("gh", "g"),
    ("ph", "f"),
    ("ck", "k"),
    ("ou", "u"),
    ("oo", "u"),
    ("w", "u"),
    ("y", "i"),
    ("q", "k"),
    ("c", "k"),
    ("h", ""),
)
_DOUBLES = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def sound_key(text: str | None) -> str:
    """A loose key merging French/English transcriptions; spaces dropped."""
    key = fold(text).replace(" ", "")
    for old, new in _SOUND_RULES:
        key = key.replace(old, new)
    return _DOUBLES.sub(r"\1", key)


def same_admin_name(ours: str | None, theirs: str | None) -> bool:
    """True when two admin names are the same unit name once normalised."""
    a, b = admin_key(ours), admin_key(theirs)
    if not a or not b:
        return False
    return a == b or sound_key(a) == sound_key(b)


__all__ = ["fold", "admin_key", "sound_key", "same_admin_name", "ADMIN_WORDS"]
