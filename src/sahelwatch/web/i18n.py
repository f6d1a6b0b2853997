"""The dashboard's two languages, English and French: message catalogues and the choice
of language for the first render.

The catalogues are ``static/i18n/en.json`` and ``static/i18n/fr.json``, one flat
``key -> text`` object each, with the same keys. The server renders the page in the
language of the browser's ``Accept-Language`` header; the page's script then applies the
language remembered in the browser (``localStorage``) and switches without a reload.

    >>> t("fr", "nav.dashboard")
    'Tableau de bord'
    >>> pick_lang("fr-FR,fr;q=0.9,en;q=0.8")
    'fr'
    >>> pick_lang("de-DE,en;q=0.5")
    'en'
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LANGS = ("en", "fr")
DEFAULT = "en"
CATALOGUES = Path(__file__).with_name("static") / "i18n"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """The ``key -> text`` messages of ``lang`` (``en`` or ``fr``)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (valid: {', '.join(LANGS)})")
    return json.loads((CATALOGUES / f"{lang}.json").read_text(encoding="utf-8"))


def t(lang: str, key: str, **values) -> str:
    """The message ``key`` in ``lang``, else in English, else the key itself."""
    text = catalogue(lang if lang in LANGS else DEFAULT).get(key)
    if text is None:
        text = catalogue(DEFAULT).get(key, key)
    return text.format(**values) if values else text


def pick_lang(accept_language: str | None) -> str:
    """The first of our languages named in an ``Accept-Language`` header, by weight."""
    prefs = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for p in params.split(";"):
            k, _, v = p.strip().partition("=")
            if k == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        prefs.append((-q, i, tag.strip().lower()[:2]))
    for _, _, base in sorted(prefs):
        if base in LANGS:
            return base
    return DEFAULT
