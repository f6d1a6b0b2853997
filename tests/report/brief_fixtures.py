"""Shared helpers for the brief tests: the demo store, and readers that turn a brief's
HTML and PDF back into text and numbers.

Expected values are computed here from the UCDP Candidate file with the ``csv`` module,
never by calling the code under test.
"""

from __future__ import annotations

import csv
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
CANDIDATE = TESTS / "data" / "GEDEvent_v23_0_10.csv"
AES = {"Burkina Faso": "BFA", "Mali": "MLI", "Niger": "NER"}


def candidate_totals(month: str = "2023-10") -> dict:
    """{iso3: {events, best, low, high}} for AES countries, events starting in ``month``."""
    out = {c: {"events": 0, "best": 0, "low": 0, "high": 0} for c in AES.values()}
    with open(CANDIDATE, newline="", encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            c = AES.get(r["country"])
            if c and r["date_start"][:7] == month:
                t = out[c]
                t["events"] += 1
                for k in ("best", "low", "high"):
                    t[k] += int(r[k])
    return out


class ProseReader(HTMLParser):
    """Collects each ``<p class="prose">``: its text with figures, dates, ids and footnote
    marks taken out, and the (key, printed text) of each figure span in it."""

    SKIP = {"time", "code", "sup"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[dict] = []
        self._in_p = 0
        self._skip = 0
        self._fig: str | None = None
        self._fig_text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "p" and a.get("class") == "prose":
            self._in_p = 1
            self.paragraphs.append({"rest": "", "figs": []})
        elif self._in_p and tag in self.SKIP:
            self._skip += 1
        elif self._in_p and tag == "span" and a.get("class") == "fig":
            self._fig, self._fig_text = a["data-key"], ""

    def handle_endtag(self, tag):
        if tag == "p" and self._in_p:
            self._in_p = 0
        elif self._in_p and tag in self.SKIP:
            self._skip -= 1
        elif self._in_p and tag == "span" and self._fig is not None:
            self.paragraphs[-1]["figs"].append((self._fig, self._fig_text))
            self._fig = None

    def handle_data(self, data):
        if not self._in_p or self._skip:
            return
        if self._fig is not None:
            self._fig_text += data
        else:
            self.paragraphs[-1]["rest"] += data


def prose(html: str) -> list[dict]:
    r = ProseReader()
    r.feed(html)
    return r.paragraphs


def stray_numbers(text: str, allowed: list[str]) -> list[str]:
    """Digits left in prose once identifiers (file names, releases, ISO dates, admin1) are removed."""
    for a in sorted(allowed, key=len, reverse=True):
        text = text.replace(a, " ")
    text = re.sub(r"\d{4}-\d{2}-\d{2}", " ", text)
    text = re.sub(r"\badmin1\b", " ", text)
    return re.findall(r"\d[\d.,\u202f\u00a0]*", text)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_info(path: Path) -> dict:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def pdf_fonts(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
