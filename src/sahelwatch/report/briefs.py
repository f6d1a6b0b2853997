"""``obs.briefs``: situation briefs of a bloc or a country for a month or a year::

    obs = sahelwatch.open("demo-home")
    b = obs.briefs.build(bloc="AES", period="2023-10", lang="fr")
    b.figures["cur.events"].value, b.figures["cur.events"].command   # 125, 'sahelwatch aggregate ...'
    b.write("aes-2023-10.pdf", "pdf")
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..domain.errors import UsageError

FORMATS = ("html", "pdf", "json")


class Brief:
    """One computed brief. ``.figures`` holds every number it prints, each with the command
    that reproduces it and its snapshot; ``.html()`` and ``.pdf()`` render it."""

    def __init__(self, data, generated: dt.datetime | None = None):
        self.data = data
        self.generated = generated or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        self._html: dict[bool, str] = {}

    def __repr__(self) -> str:
        d = self.data
        return f"<Brief {d.unit.id} {d.period.label} ({d.lang}): {len(d.figures)} figures>"

    @property
    def figures(self):
        # rendering adds the forecast figures and numbers the footnotes: render once first
        self.html()
        return self.data.figures

    @property
    def has_data(self) -> bool:
        return self.data.has_data

    def html(self, *, for_pdf: bool = False) -> str:
        """The brief as one HTML page (inline SVG; ``for_pdf`` adds the package's @font-face)."""
        if for_pdf not in self._html:
            from .render import render_html

            self._html[for_pdf] = render_html(self.data, for_pdf=for_pdf, generated=self.generated)
        return self._html[for_pdf]

    def pdf(self) -> bytes:
        """A4 PDF rendered by WeasyPrint from the same HTML, fonts from the package."""
        from .render import render_pdf

        return render_pdf(self.html(for_pdf=True))

    def to_dict(self) -> dict:
        d = self.data
        self.html()
        return {"unit": {"kind": d.unit.kind, "id": d.unit.id, "countries": list(d.unit.countries)},
                "period": d.period.label, "lang": d.lang, "source": d.source, "as_of": d.as_of,
                "generated": self.generated.isoformat(), "has_data": d.has_data,
                "coverage": {k: {"status": v.status, "reason": v.reason.get(d.lang)} for k, v in d.coverage.items()},
                "figures": d.figures.to_dicts(), "regenerate": d.regenerate}

    def write(self, path: str | Path, fmt: str | None = None) -> Path:
        """Write as ``html``, ``pdf`` or ``json`` (the figures); ``fmt`` defaults to the suffix."""
        p = Path(path)
        fmt = (fmt or p.suffix.lstrip(".") or "html").lower()
        if fmt not in FORMATS:
            raise UsageError(f"unknown brief format {fmt!r}", choices=list(FORMATS))
        if fmt == "pdf":
            p.write_bytes(self.pdf())
        elif fmt == "html":
            p.write_text(self.html(), encoding="utf-8")
        else:
            p.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        return p


class Briefs:
    """The ``obs.briefs`` namespace."""

    def __init__(self, obs):
        self._obs = obs

    def __repr__(self) -> str:
        return f"<Briefs of {self._obs!r}>"

    def build(self, bloc: str | None = None, country: str | None = None, period: str = "2023-10",
              compare_to: str | None = None, lang: str = "en", source: str | None = None,
              as_of: int | None = None) -> Brief:
        """A brief of one bloc or one country for ``period`` (``YYYY-MM`` or ``YYYY``), compared with
        ``compare_to`` (default: the period before) and the same period a year before."""
        from .compute import compute
        from .i18n import check_lang

        lang = check_lang(lang)
        return Brief(compute(self._obs, bloc=bloc, country=country, period=period, compare_to=compare_to,
                             lang=lang, source=source, as_of=as_of))
