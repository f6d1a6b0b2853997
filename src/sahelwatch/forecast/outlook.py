"""Stored forecasts read back: the rows a brief prints, what happened since, the fan chart.

- :func:`caveats`: what a reader must know about the data a forecast stands on (a sample;
  months no ingested release covers, which the store's panel counts as 0);
- :func:`observed`: the values the store (or the series) now holds for the months a forecast
  was made for, labelled "observed since" wherever shown: how a past forecast is judged;
- :func:`brief_rows`: the outlook rows in the shape ``report/forecast_section.py`` documents;
- :func:`chart`: history, forecast quantiles, observed values and a Vega-Lite fan chart.
"""

from __future__ import annotations

from .builders import UCDP
from .panel import FATALITY_TARGETS, PanelError, month_date, month_label
from .stored import StoredForecast, effective_params


def _snaps(obs, as_of):
    return [s for s in obs.snapshots() if as_of is None or s.id <= as_of]


def snapshot_read(obs, source: str, target: str, as_of=None) -> int | None:
    """The latest snapshot (no later than ``as_of``) of the data a panel reads: the event store's
    UCDP (or ACLED) snapshots for ``store``, the series' own for ``series:NAME``."""
    snaps = _snaps(obs, as_of)
    if source == "store":
        fams = UCDP if target in FATALITY_TARGETS else ("acled",)
        ids = [s.id for s in snaps if s.source in fams]
    else:
        ids = [s.id for s in snaps if s.source == source]
    return max(ids) if ids else None


def gap_months(obs, as_of=None) -> set[int]:
    """VIEWS month ids no ingested UCDP release covers (the store's panel counts them as 0)."""
    from ..analytics import trend

    snaps = [s for s in _snaps(obs, as_of) if s.source in UCDP]
    gaps = trend.coverage_gaps([(s.source, s.release, s.coverage_end) for s in snaps])
    return {(a.year - 1980) * 12 + a.month for a, _ in gaps}


def caveats(obs, history) -> tuple[list[str], list[str]]:
    """Caveats of a forecast fitted on ``history`` (a panel up to the origin), in English and French."""
    from ..store import samples

    m = history.meta
    en, fr = [], []
    src = str(m.get("source") or "")
    if src.startswith("series:"):
        snap = next((s for s in obs.snapshots() if s.id == m.get("snapshot")), None)
        end = str(getattr(snap, "coverage_end", "") or "")[:7]
        if snap is not None and end > month_label(history.last_month):
            # a release made after the origin, cut at it: the months up to then as revised since
            en.append(f"fitted on {src} ({snap.release}, data to {end}) cut at the origin: the months up to "
                      "the origin as that later release has them, revisions included, not as known then")
            fr.append(f"ajustée sur {src} ({snap.release}, données jusqu’à {end}) coupée à l’origine : les mois "
                      "jusqu’à l’origine tels que cette version ultérieure les donne, révisions comprises, non tels "
                      "qu’on les connaissait alors")
        return en, fr
    if src != "store":
        return en, fr
    as_of = m.get("snapshot")
    fams = set(UCDP) if history.target in FATALITY_TARGETS else {"acled"}
    for f in samples.sample_files(obs.snapshots(), fams, as_of):
        en.append(f"fitted on a sample: {f} (a sample's totals, not the countries')")
        fr.append(f"ajustée sur un échantillon : {f} (les totaux d’un échantillon, non ceux des pays)")
    if history.target in FATALITY_TARGETS:
        gaps = sorted(g for g in gap_months(obs, as_of) if history.first_month <= g <= history.last_month)
        if gaps:
            span = f"{month_label(gaps[0])}..{month_label(gaps[-1])}"
            en.append(f"{len(gaps)} month(s) covered by no ingested UCDP release ({span}) count as 0 in the panel")
            fr.append(f"{len(gaps)} mois couverts par aucune version UCDP intégrée ({span}) comptent pour 0 "
                      "dans le panel")
    return en, fr


def observed(ns, f: StoredForecast, units, *, as_of=None) -> tuple[dict, int | None]:
    """``({(unit, month_id): value}, snapshot)``: what the data (as of ``as_of``, default the latest)
    hold for the forecast's months. Months the data do not reach, or that no release covers, are absent."""
    m = f.manifest
    units = [u for u in units if u in set(m["units"])]
    if not units or m["source"] not in ("store",) and not str(m["source"]).startswith("series:"):
        return {}, None
    snap = snapshot_read(ns._obs, m["source"], m["target"], as_of)
    if snap is None:
        return {}, None
    try:
        p = ns.panel(m["level"], m["target"], as_of=as_of, country=units if m["level"] == "cm" else None,
                     source=m["source"])
    except PanelError:
        return {}, snap
    skip = gap_months(ns._obs, as_of) if m["source"] == "store" and m["target"] in FATALITY_TARGETS else set()
    want = {mid for mid in f.months if mid <= p.last_month and mid not in skip}
    import polars as pl

    rows = p.frame.filter(pl.col("unit").is_in(units) & pl.col("month_id").is_in(list(want)))
    return {(r["unit"], r["month_id"]): r["value"] for r in rows.iter_rows(named=True)}, snap


def brief_rows(ns, f: StoredForecast, units, month_ids, *, as_of=None) -> list[dict]:
    """One row per unit (in ``units`` order) and month: median, 90% interval, what reproduces it,
    and the value observed since where the data now hold it."""
    import polars as pl

    m = f.manifest
    summ = f.summary(units).filter(pl.col("month_id").is_in(list(month_ids)))
    seen, seen_snap = observed(ns, f, units, as_of=as_of)
    by = {(r["unit"], r["month_id"]): r for r in summ.iter_rows(named=True)}
    out = []
    for u in units:
        for mid in month_ids:
            r = by.get((u, mid))
            if r is None:
                continue
            out.append({"unit": u, "name": r["name"], "month": month_label(mid), "measure": m["target"],
                        "median": float(r["q50"]), "low": float(r["q05"]), "high": float(r["q95"]),
                        "model": m["model"], "command": f.show_command(u), "snapshot": m["snapshot"],
                        "forecast": f.id, "origin": m["origin_month"], "source": m["source"],
                        "target_text": m.get("target_text"), "made_by": m["command"],
                        "caveats": m.get("caveats", []), "caveats_fr": m.get("caveats_fr", []),
                        "observed": seen.get((u, mid)),
                        "observed_snapshot": seen_snap})
    return out


def chart(ns, f: StoredForecast, unit: str, *, lang: str = "en", history_months: int = 48, as_of=None) -> dict:
    """History (the data the model saw, as of its snapshot), forecast quantiles, observed since,
    and the fan chart spec."""
    import polars as pl

    from .report import stored_fan_spec

    m = f.manifest
    if unit not in set(m["units"]):
        from ..domain.errors import UsageError

        raise UsageError(f"forecast {f.id} has no unit {unit}", choices=m["units"][:40])
    p = ns.panel(m["level"], m["target"], as_of=m.get("snapshot"), country=[unit] if m["level"] == "cm" else None,
                 source=m["source"]).until(f.origin)
    hist = (p.frame.filter((pl.col("unit") == unit) & (pl.col("month_id") > f.origin - history_months))
            .sort("month_id"))
    skip = gap_months(ns._obs, m.get("snapshot")) if m["source"] == "store" and m["target"] in FATALITY_TARGETS \
        else set()
    history = [{"month": month_date(r["month_id"]).isoformat(), "value": r["value"],
                "covered": r["month_id"] not in skip} for r in hist.iter_rows(named=True)]
    seen, seen_snap = observed(ns, f, [unit], as_of=as_of)
    summ = f.summary([unit]).sort("month_id")
    rows = [{"month": month_date(r["month_id"]).isoformat(), "horizon": r["horizon"], "mean": r["mean"],
             "q05": r["q05"], "q25": r["q25"], "q50": r["q50"], "q75": r["q75"], "q95": r["q95"],
             "p_ge25": r["p_ge25"], "observed": seen.get((unit, r["month_id"]))} for r in summ.iter_rows(named=True)]
    name = summ["name"][0] if summ.height and summ["name"][0] else unit
    if m["level"] == "cm":
        from ..domain import countries as C
        from ..domain.errors import UsageError

        try:
            name = C.name(unit, lang)
        except UsageError:
            pass  # a code outside the crosswalk keeps the forecast's own name
    spec = stored_fan_spec([h for h in history if h["covered"]], rows, lang=lang, title=f"{name} ({unit})")
    return {"rows": rows, "history": history, "vega_lite": spec,
            "meta": {"forecast": f.id, "unit": unit, "name": name, "model": m["model"], "target": m["target"],
                     "target_text": m.get("target_text"), "source": m["source"], "snapshot": m["snapshot"],
                     "origin": m["origin_month"], "months": m["months"], "draws": m["draws"], "seed": m["seed"],
                     "model_params": effective_params(m), "model_revision": m.get("model_revision"),
                     "created": m["created"], "command": m["command"], "show_command": f.show_command(unit),
                     "caveats": m.get("caveats", []), "caveats_fr": m.get("caveats_fr", []), "citation": m.get("citation"),
                     "observed_snapshot": seen_snap, "observed_months": sum(r["observed"] is not None for r in rows),
                     "lang": lang}}
