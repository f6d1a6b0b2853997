"""The numbers of a brief, each with the CLI command that reproduces it and its snapshot.

A brief never prints a number that is not a :class:`Figure` here (tests check the
prose against ``Brief.figures``); footnotes are numbered per distinct command.
"""

from __future__ import annotations

import datetime as dt
import shlex
from dataclasses import asdict, dataclass, field

from ..domain.errors import UsageError


@dataclass(frozen=True)
class Period:
    """A calendar month (``2023-10``) or year (``2023``)."""

    kind: str  # month | year
    start: dt.date
    end: dt.date
    label: str

    @classmethod
    def parse(cls, text) -> Period:
        t = str(text or "").strip()
        try:
            if len(t) == 7 and t[4] == "-":
                y, m = int(t[:4]), int(t[5:])
                start = dt.date(y, m, 1)
                return cls("month", start, _month_end(start), t)
            if len(t) == 4 and t.isdigit():
                y = int(t)
                return cls("year", dt.date(y, 1, 1), dt.date(y, 12, 31), t)
        except ValueError:
            pass
        raise UsageError(f"period {text!r}: use YYYY-MM (a month) or YYYY (a year)")

    def shift(self, n: int) -> Period:
        """The period ``n`` months (month) or years (year) later (negative: earlier)."""
        if self.kind == "year":
            return Period.parse(str(self.start.year + n))
        k = self.start.year * 12 + self.start.month - 1 + n
        return Period.parse(f"{k // 12:04d}-{k % 12 + 1:02d}")

    def months(self) -> list[dt.date]:
        out, d = [], self.start
        while d <= self.end:
            out.append(d)
            d = _month_end(d) + dt.timedelta(days=1)
        return out

    def text(self, lang: str) -> str:
        from .i18n import month_name

        if self.kind == "year":
            return str(self.start.year)
        name = month_name(self.start.month, lang)
        return f"{name} {self.start.year}"


def _month_end(start: dt.date) -> dt.date:
    nxt = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


@dataclass
class Figure:
    key: str
    value: float | int | None
    label: str
    command: str
    snapshot: int | None
    note: str = ""
    label_fr: str | None = None

    def label_in(self, lang: str) -> str:
        return self.label_fr if lang == "fr" and self.label_fr else self.label

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Figures:
    """Ordered figures by key, plus the footnote number of each command."""

    items: dict[str, Figure] = field(default_factory=dict)
    _notes: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, value, label, command: str, snapshot: int | None, note: str = "") -> Figure:
        """``label``: English text, or ``(english, french)``."""
        en, fr = label if isinstance(label, tuple) else (label, None)
        f = Figure(key, value, en, command, snapshot, note, fr)
        self.items[key] = f
        return f

    def __getitem__(self, key: str) -> Figure:
        return self.items[key]

    def __contains__(self, key: str) -> bool:
        return key in self.items

    def __iter__(self):
        return iter(self.items.values())

    def __len__(self) -> int:
        return len(self.items)

    def value(self, key: str):
        f = self.items.get(key)
        return None if f is None else f.value

    def footnote(self, key: str) -> int:
        """The footnote number of a figure's command (numbered in order of first use)."""
        cmd = self.items[key].command
        if cmd not in self._notes:
            self._notes[cmd] = len(self._notes) + 1
        return self._notes[cmd]

    def footnotes(self, lang: str = "en") -> list[tuple[int, str, int | None, list[str]]]:
        """(number, command, snapshot, labels) in number order."""
        out = []
        for cmd, n in sorted(self._notes.items(), key=lambda kv: kv[1]):
            figs = [f for f in self.items.values() if f.command == cmd]
            out.append((n, cmd, figs[0].snapshot if figs else None, [f.label_in(lang) for f in figs]))
        return out

    def to_dicts(self) -> list[dict]:
        return [f.to_dict() for f in self.items.values()]


def command(name: str, **opts) -> str:
    """``sahelwatch NAME --opt value ...`` with values quoted for a POSIX shell; None/False left out."""
    parts = ["sahelwatch", *name.split()]
    for k, v in opts.items():
        if v is None or v is False:
            continue
        k = k.rstrip("_")
        flag = ("-" + k) if len(k) == 1 else "--" + k.replace("_", "-")
        if v is True:
            parts.append(flag)
        else:
            parts += [flag, str(v)]
    return " ".join(shlex.quote(p) for p in parts)
