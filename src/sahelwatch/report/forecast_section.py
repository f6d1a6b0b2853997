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
"""

from __future__ import annotations

from dataclasses import dataclass, field

KEYS = ("unit", "month", "measure", "median", "low", "high", "model", "command", "snapshot")


@dataclass
class Outlook:
    rows: list[dict] = field(default_factory=list)
    reason: dict | None = None  # lang -> why the section is left out

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
    rows = _ask(fc, list(units), after, source=source, as_of=as_of)
    if not rows:
        return Outlook(reason={"en": f"the store holds no forecast for {', '.join(units)} "
                                     f"({after[0]} to {after[-1]})",
                               "fr": f"la base ne contient aucune prévision pour {', '.join(units)} "
                                     f"({after[0]} à {after[-1]})"})
    for r in rows:
        missing = [k for k in KEYS if k not in r]
        if missing:
            raise ValueError(f"forecast row {r!r} lacks {', '.join(missing)}")
    return Outlook(rows=rows)


def _ask(fc, units: list[str], months: list[str], *, source=None, as_of=None) -> list[dict]:
    """Stored forecasts from the forecast layer (see the module docstring for the row shape)."""
    stored = getattr(fc, "stored", None)
    if stored is None:
        return []
    return list(stored(units=units, months=months, source=source, as_of=as_of))


def _next_months(first_day, n: int) -> list[str]:
    y, m = first_day.year, first_day.month
    out = []
    for _ in range(n):
        m += 1
        if m > 12:
            y, m = y + 1, 1
        out.append(f"{y:04d}-{m:02d}")
    return out
