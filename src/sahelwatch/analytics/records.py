"""Honest record claims: what a trend stands on, said in the table, the sentence and the JSON.

:func:`honest` takes a trend's summary frame (one row per unit, from
:mod:`sahelwatch.analytics.trend`), its per-period series and its meta, and adds:

- ``sample`` (bool): the numbers come from a file known to be a sample (the
  bundled 1,000-event GED file, a ``--sample`` or ``--partial`` ingest). Then
  ``record_text`` starts with "In this sample," and a caveat says the figures
  are not the unit's totals;
- ``coverage``: which files, which years, complete or sampled;
- ``complete_years``: complete calendar years of data the claim stands on (the data's
  whole years, or fewer when the unit has fewer complete periods); under :data:`MIN_YEARS`
  the claim says so;
- ``answer_en`` / ``answer_fr``: one sentence per unit ("2024 is the highest of
  36 complete years (1989–2024) …"), French with French number format.

The meta gets ``sample``, ``sample_files``, ``coverage_text``, ``complete_years``
and ``answer_fields``.
"""

from __future__ import annotations

import datetime as dt

MIN_YEARS = 5
IN_SAMPLE_EN = "In this sample"
IN_SAMPLE_FR = "Dans cet échantillon"
NOUN = {"en": {"day": "days", "week": "weeks", "acled-week": "weeks", "month": "months", "quarter": "quarters",
               "year": "years"},
        "fr": {"day": "jours", "week": "semaines", "acled-week": "semaines", "month": "mois",
               "quarter": "trimestres", "year": "années"}}
PER = {"en": {"day": "a day", "week": "a week", "acled-week": "a week", "month": "a month", "quarter": "a quarter",
              "year": "a year"},
       "fr": {"day": "par jour", "week": "par semaine", "acled-week": "par semaine", "month": "par mois",
              "quarter": "par trimestre", "year": "par an"}}
COMPLETE_FR = {"day": "complets", "week": "complètes", "acled-week": "complètes", "month": "complets",
               "quarter": "complets", "year": "complètes"}
MEASURE_FR = {"fatalities_best": "morts (estimation centrale)", "fatalities_all": "morts",
              "fatalities_sb": "morts (violence étatique)", "fatalities_ns": "morts (violence non étatique)",
              "fatalities_os": "morts (violence unilatérale)", "events": "événements",
              "fatalities_low": "morts (estimation basse)", "fatalities_high": "morts (estimation haute)",
              "civilian_fatalities": "civils tués"}
MEASURE_EN = {"fatalities_best": "deaths (best estimate)", "fatalities_all": "deaths",
              "fatalities_sb": "state-based deaths", "fatalities_ns": "non-state deaths",
              "fatalities_os": "one-sided deaths", "events": "events", "civilian_fatalities": "civilian deaths"}


def complete_years(data_start: dt.date | None, data_end: dt.date | None) -> int:
    """Whole calendar years inside ``[data_start, data_end]``."""
    if data_start is None or data_end is None:
        return 0
    first = data_start.year + (data_start != dt.date(data_start.year, 1, 1))
    last = data_end.year - (data_end != dt.date(data_end.year, 12, 31))
    return max(0, last - first + 1)


def num(v, lang: str = "en", decimals: int | None = None) -> str:
    """``1222`` -> ``1,222`` (en) / ``1 222`` (fr, narrow no-break space); decimals with a comma in French."""
    if v is None:
        return "n/a"
    x = float(v)
    d = decimals if decimals is not None else (0 if x.is_integer() else 1)
    s = f"{x:,.{d}f}"
    if lang == "fr":
        s = s.replace(",", "\u202f").replace(".", ",")
    return s


def pct(v, lang: str = "en") -> str:
    if v is None:
        return "n/a"
    if v != v or v == float("inf"):  # the interval of a near-empty series runs off to infinity
        return "non borné" if lang == "fr" else "unbounded"
    s = f"{v:+.1f}"
    return (s.replace(".", ",") + "\u00a0%") if lang == "fr" else s + "%"


def _peak(series, keys, key_vals, measure):
    """(previous high value, its period label) among included periods before the latest."""
    import polars as pl

    g = series
    for k, v in zip(keys, key_vals):
        g = g.filter(pl.col(k).is_null() if v is None else pl.col(k) == v)
    if "included" in g.columns:
        g = g.filter(pl.col("included"))
    g = g.sort("period_start")
    if g.height < 2:
        return None, None
    prior = g.head(g.height - 1)
    i = prior[measure].arg_max()
    return prior[measure][i], prior["period"][i]


def sentence(row: dict, lang: str, *, unit: str, period: str, measure: str, peak, sample: bool,
             years: int, coverage_years: str) -> str:
    noun, per, cpl = NOUN[lang][period], PER[lang][period], COMPLETE_FR[period]
    mname = (MEASURE_FR if lang == "fr" else MEASURE_EN).get(measure, measure)
    lab, n, v = row.get("latest_period"), row.get("n_periods") or 0, row.get("latest_value")
    span = f"{row.get('first_period')}–{lab}"
    if lab is None:
        return (f"{unit} : aucune période complète." if lang == "fr" else f"{unit}: no complete period.")
    if lang == "fr":
        if row.get("is_record"):
            core = (f"{lab} est un record : le niveau le plus élevé en {n} {noun} {cpl} ({span}), {num(v, 'fr')} {mname}"
                    + (f", au-dessus du précédent sommet de {num(peak[0], 'fr')} en {peak[1]}" if peak[0] is not None
                       else ""))
        elif row.get("record_since"):
            core = (f"{lab} n'est pas un record : {num(v, 'fr')} {mname}, rang {row.get('rank')} sur {n} {noun} "
                    f"{cpl} ({span}) ; " + (
                        f"en dessous de {row['previous_period']} ({num(row.get('previous_value'), 'fr')})"
                        if row["record_since"] == row.get("previous_period")
                        else f"le niveau le plus élevé depuis {row['record_since']}"))
            if peak[0] is not None and peak[1] != row.get("previous_period"):
                core += f" (sommet : {num(peak[0], 'fr')} en {peak[1]})"
        elif n == 1:
            core = f"{lab} : {num(v, 'fr')} {mname} ; seule période complète, donc pas de comparaison possible"
        else:
            core = f"{lab} : {num(v, 'fr')} {mname} ({n} {noun} {cpl})"
        if row.get("slope_pct") is not None:
            core += (f" ; tendance {pct(row['slope_pct'], 'fr')} {per} (IC 95 % {pct(row['slope_low_pct'], 'fr')} "
                     f"à {pct(row['slope_high_pct'], 'fr')})")
        text = f"{unit} : {core}."
        if sample:
            text = f"{IN_SAMPLE_FR}, {unit} : {core} (un échantillon, pas le total)."
        if years < MIN_YEARS:
            span_fr = f"{years} année(s) complète(s)" if years else "moins d'une année complète"
            text += f" Attention : cela ne repose que sur {span_fr} (données {coverage_years})."
        return text
    if row.get("is_record"):
        core = (f"{lab} is a record, the highest of {n} complete {noun} ({span}): {num(v)} {mname}"
                + (f", above the previous high of {num(peak[0])} in {peak[1]}" if peak[0] is not None else ""))
    elif row.get("record_since"):
        core = (f"{lab} is not a record: {num(v)} {mname}, rank {row.get('rank')} of {n} complete {noun} ({span}), "
                + (f"below {row['previous_period']} ({num(row.get('previous_value'))})"
                   if row["record_since"] == row.get("previous_period")
                   else f"the highest since {row['record_since']}"))
        if peak[0] is not None and peak[1] != row.get("previous_period"):
            core += f" (peak {num(peak[0])} in {peak[1]})"
    elif n == 1:
        core = f"{lab}: {num(v)} {mname}; the only complete period, so no comparison is possible"
    else:
        core = f"{lab}: {num(v)} {mname} ({n} complete {noun})"
    if row.get("slope_pct") is not None:
        core += (f"; trend {pct(row['slope_pct'])} {per} (95% CI {pct(row['slope_low_pct'])} to "
                 f"{pct(row['slope_high_pct'])})")
    text = f"{unit}: {core}."
    if sample:
        text = f"{IN_SAMPLE_EN}, {unit}: {core} (a sample, not the total)."
    if years < MIN_YEARS:
        span_en = f"{years} complete year(s)" if years else "less than one complete year"
        text += f" Caution: this stands on only {span_en} (data {coverage_years})."
    return text


def _unit_label(row: dict, keys: list[str], lang: str) -> str:
    from ..domain import countries as C
    from ..domain.errors import UsageError

    if "bloc" in row and row["bloc"]:
        return str(row["bloc"])
    iso = row.get("country_iso3")
    if iso:
        try:
            return C.name(iso, lang)
        except UsageError:
            return iso
    return " ".join(str(row[k]) for k in keys if row.get(k) is not None) or ("tout" if lang == "fr" else "all")


def honest(summary, series, meta: dict, *, keys: list[str], measure: str, period: str, sample_files=(),
           coverage_text: str = "", notes=()):
    """Add ``sample``, ``coverage``, ``complete_years``, ``answer_en``, ``answer_fr`` (see the module doc)."""
    import polars as pl

    sample = bool(sample_files)
    ds, de = meta.get("data_start"), meta.get("data_end")
    years = complete_years(ds, de)
    cov_years = f"{ds:%Y-%m}..{de:%Y-%m}" if ds and de else "no data"
    meta |= {"sample": sample, "sample_files": list(sample_files), "coverage_text": coverage_text,
             "complete_years": years,
             "answer_fields": "answer_en and answer_fr columns of the summary rows (one sentence per unit)"}
    if not summary.height:
        return summary, meta
    extra_caveats = []
    if sample:
        extra_caveats.append(f"{IN_SAMPLE_EN.lower()}: {', '.join(sample_files)} is a sample, not a complete "
                             "record; records and slopes describe the sample, not the unit")
    extra_caveats += [str(n) for n in notes]
    from .periods import PER_YEAR

    rows = []
    for r in summary.iter_rows(named=True):
        key_vals = [r.get(k) for k in keys]
        peak = _peak(series, keys, key_vals, measure) if series is not None and series.height else (None, None)
        r = dict(r)
        # the years this unit's claim stands on: the data's complete years, or fewer when the unit's
        # complete periods are fewer (a bloc that exists for part of the span, periods left out)
        ry = min(years, int(r.get("n_periods") or 0) // PER_YEAR[period])
        span = f"{ry} complete year(s)" if ry else "less than one complete year"
        short = ([f"the record claim stands on {span} of coverage ({cov_years}), fewer than "
                  f"{MIN_YEARS} complete years"] if ry < MIN_YEARS else [])
        if sample and r.get("record_text"):
            r["record_text"] = f"{IN_SAMPLE_EN}, {r['record_text'][0].lower()}{r['record_text'][1:]}"
        if ry < MIN_YEARS and r.get("record_text"):
            r["record_text"] += f" (only {span} of coverage)"
        r["caveats"] = extra_caveats + short + list(r.get("caveats") or [])
        r["sample"] = sample
        r["coverage"] = coverage_text
        r["complete_years"] = ry
        for lang in ("en", "fr"):
            r[f"answer_{lang}"] = sentence(r, lang, unit=_unit_label(r, keys, lang), period=period,
                                           measure=measure, peak=peak, sample=sample, years=ry,
                                           coverage_years=cov_years)
        rows.append(r)
    return pl.DataFrame(rows, infer_schema_length=None), meta


__all__ = ["MIN_YEARS", "complete_years", "honest", "num", "pct", "sentence"]
