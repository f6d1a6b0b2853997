"""One function per section of a brief: each runs its queries and records its figures."""

from __future__ import annotations

import datetime as dt

from .compute import (INCIDENTS_N, MEASURES, NOT_ACTORS, TOP_N, TREND_MONTHS, TREND_YEARS, BriefData, Queries,
                      coverage_of, is_sample)
from .figures import Period, command

LABELS = {"events": "events", "fatalities_best": "fatalities (best)", "fatalities_low": "fatalities (low)",
          "fatalities_high": "fatalities (high)"}
LABELS_FR = {"events": "événements", "fatalities_best": "morts (meilleure estimation)",
             "fatalities_low": "morts (basse)", "fatalities_high": "morts (haute)"}
SCORES_FR = {"scored": "évalués", "hits": "réussites", "false_alarms": "fausses alertes", "misses": "manquées"}


def _row_values(frame) -> dict:
    if frame.height == 0:
        return {m: 0 for m in MEASURES}
    return {m: int(frame[m].sum()) if m in frame.columns else None for m in MEASURES}


def _change(cur, other):
    if cur is None or other is None or other == 0:
        return None
    return 100.0 * (cur - other) / other


def headline(q: Queries, data: BriefData) -> None:
    """The period, the one compared and the same period a year before. Values come from the
    trend query when it spans them (one query, not three); each figure's command is the
    period's own query, which the tests run to check it gives the same number."""
    figs, per = data.figures, data.period
    cov_rows = data.meta.get("coverage", [])
    for tag, p in [("cur", per), *data.comparisons()]:
        cov = coverage_of(p, data.snapshots, cov_rows, data.family)
        data.coverage[p.label] = cov
        if not cov.usable:  # no figure, not a zero: the store holds no data for the period
            continue
        cmd = q.command("unit", p.start, p.end, p.kind, complete=True)
        if p.label in data.window:
            vals = {m: int(data.window[p.label][m]) for m in MEASURES}
        else:  # outside the chart's window (an explicit --compare-to)
            res, _ = q.aggregate("unit", p.start, p.end, p.kind, complete=True)
            vals = _row_values(res.to_polars())
        for m in MEASURES:
            figs.add(f"{tag}.{m}", vals[m], (f"{LABELS[m]}, {data.unit.id}, {p.label}",
                                             f"{LABELS_FR[m]}, {data.unit.id}, {p.label}"), cmd, data.as_of)
    if not data.coverage[per.label].usable:
        return
    for tag, p in data.comparisons():
        if f"{tag}.events" not in figs:
            continue
        cmd = q.command("unit", min(p.start, per.start), max(p.end, per.end), per.kind, complete=True)
        for m in ("events", "fatalities_best"):
            figs.add(f"chg_{tag}.{m}", _change(figs.value(f"cur.{m}"), figs.value(f"{tag}.{m}")),
                     (f"change in {LABELS[m]}, {p.label} to {per.label} (%)",
                      f"variation ({LABELS_FR[m]}), de {p.label} à {per.label} (%)"), cmd, data.as_of)
    record(q, data)


def record(q: Queries, data: BriefData) -> None:
    samples = [s for s in data.snapshots if is_sample(s)]
    if samples:
        f = samples[0].file.rsplit("/", 1)[-1]
        data.record_note = {
            "en": f"Record not assessed: the store's UCDP GED data is a sample ({f}), so a highest-ever claim "
                  "would describe the sample, not the violence.",
            "fr": f"Record non évalué : les données UCDP GED de la base sont un échantillon ({f}) ; un record "
                  "décrirait l'échantillon, pas la violence."}
        return
    per = data.period
    scope = q._scope()
    by = "bloc" if data.unit.kind == "bloc" else "country"
    res = q.obs.trend(measure="fatalities_best", period=per.kind, by=by, source=q.source, as_of=q.as_of,
                      end=per.end.isoformat(), **scope)
    cmd = command("trend", measure="fatalities_best", period=per.kind, by=by, **scope, to=per.end.isoformat(),
                  source=q.source, as_of=q.as_of)
    df = res.to_polars()
    if df.height != 1 or df["latest_period"][0] != per.label:
        data.record_note = {"en": f"Record not assessed: {per.label} is not a complete period of the series.",
                            "fr": f"Record non évalué : {per.label} n'est pas une période complète de la série."}
        return
    r = df.row(0, named=True)
    n = r["n_periods"]
    data.figures.add("record.n_periods", n, (f"complete {per.kind}s in the series to {per.label}",
                                              f"périodes complètes de la série jusqu'à {per.label}"), cmd, q.as_of)
    data.record = {"is_record": bool(r.get("is_record")), "since": r.get("record_since"),
                   "first": r.get("first_period")}


def countries(q: Queries, data: BriefData) -> None:
    if data.unit.kind != "bloc":
        return
    per = data.period
    scope = {"country": ",".join(data.unit.countries)}
    res, cmd = q.aggregate("country", per.start, per.end, per.kind, complete=True, scope=scope)
    df = res.to_polars()
    rows = []
    for c in data.unit.countries:
        sub = df.filter(df["country_iso3"] == c)
        vals = _row_values(sub)
        for m in MEASURES:
            data.figures.add(f"country.{c}.{m}", vals[m], (f"{LABELS[m]}, {c}, {per.label}",
                                                           f"{LABELS_FR[m]}, {c}, {per.label}"), cmd, q.as_of)
        rows.append({"iso3": c, **vals})
    data.countries_rows = sorted(rows, key=lambda r: (-r["events"], r["iso3"]))


def areas_and_cells(q: Queries, data: BriefData) -> None:
    per = data.period
    res, cmd = q.aggregate("admin1", per.start, per.end, per.kind, measures=("events", "fatalities_best"))
    df = res.to_polars().sort(["events", "fatalities_best", "admin1_code"], descending=[True, True, False],
                              nulls_last=True)
    data.areas = df.to_dicts()
    for i, r in enumerate(data.areas[:TOP_N]):
        for m in ("events", "fatalities_best"):
            where = f"admin1 {r['admin1_code']} {r['admin1_name']}, {per.label}"
            data.figures.add(f"area.{i}.{m}", r[m], (f"{LABELS[m]}, {where}", f"{LABELS_FR[m]}, {where}"), cmd,
                             q.as_of)
    cells, ccmd = q.aggregate("priogrid", per.start, per.end, per.kind, measures=("events", "fatalities_best"))
    data.cells = cells.to_polars().to_dicts()
    data.figures.add("cells.n", len({r["priogrid_gid"] for r in data.cells}),
                     (f"PRIO-GRID cells with events, {per.label}", f"cellules PRIO-GRID avec événements, {per.label}"),
                     ccmd, q.as_of)


def actors(q: Queries, data: BriefData) -> None:
    per = data.period
    res, cmd = q.aggregate("unit", per.start, per.end, per.kind, measures=("events", "fatalities_best"),
                           breakdown="actor")
    df = res.to_polars()
    rows = [r for r in df.to_dicts() if r.get("actor") and not str(r["actor"]).lower().startswith(NOT_ACTORS)]
    rows.sort(key=lambda r: (-r["events"], -r["fatalities_best"], r["actor"]))
    data.actors = rows[:TOP_N]
    for i, r in enumerate(data.actors):
        for m in ("events", "fatalities_best"):
            data.figures.add(f"actor.{i}.{m}", r[m], (f"{LABELS[m]} in events naming {r['actor']}, {per.label}",
                                                       f"{LABELS_FR[m]}, événements nommant {r['actor']}, "
                                                       f"{per.label}"), cmd, q.as_of)


def incidents(obs, data: BriefData) -> None:
    """The deadliest events, each with its event id. Never for ACLED: its terms allow
    publishing aggregates only."""
    if data.family == "acled":
        data.incidents_note = {
            "en": "Event-level rows are not published from ACLED data (ACLED's terms allow attributed "
                  "aggregates only).",
            "fr": "Aucun événement individuel n'est publié à partir des données ACLED (les conditions d'ACLED "
                  "n'autorisent que des agrégats attribués)."}
        return
    per = data.period
    from ..analytics.cube import expand_sources

    srcs = expand_sources(data.source, tuple(sorted({s.source for s in data.snapshots})))
    df = obs.events(country=",".join(data.unit.countries), start=per.start.isoformat(), end=per.end.isoformat(),
                    source=",".join(srcs), as_of=data.as_of).to_polars()
    if df.height == 0:
        return
    df = df.sort(["fatalities_best", "date_start", "event_key"], descending=[True, False, False]).head(INCIDENTS_N)
    for i, r in enumerate(df.iter_rows(named=True)):
        d = r["date_start"].isoformat()
        cmd = command("events", country=r["country_iso3"], from_=d, to=d, source=r["source"], as_of=data.as_of,
                      format="json")
        for m in ("fatalities_best", "fatalities_low", "fatalities_high"):
            data.figures.add(f"incident.{i}.{m}", r[m], (f"{LABELS[m]}, event {r['event_key']}",
                                                         f"{LABELS_FR[m]}, événement {r['event_key']}"), cmd,
                             data.as_of, note=r["event_key"])
        data.incidents.append({k: r[k] for k in ("event_key", "date_start", "country_iso3", "location", "admin1",
                                                  "actor1", "actor2", "fatalities_best", "fatalities_low",
                                                  "fatalities_high", "source")})


def alerts(obs, data: BriefData) -> None:
    per = data.period
    last = _data_end(data)
    on = min(per.end, last) if last else per.end
    data.alerts_on = on
    cs = ",".join(data.unit.countries)
    res = obs.alerts(unit="admin1", on=on.isoformat(), source=data.source, as_of=data.as_of, country=cs)
    cmd = command("alerts", on=on.isoformat(), unit="admin1", source=data.source, country=cs, as_of=data.as_of)
    df = res.to_polars().sort(["probability", "signal_events", "unit"], descending=[True, True, False])
    data.alerts = df.to_dicts()
    # the coverage caveat (baselines over months without data), not the method notes
    data.alert_caveats = [c for c in res.meta.get("caveats", []) if "holds no event" in c or "after the last" in c]
    data.figures.add("alerts.n", df.height, (f"alerts issued on {on.isoformat()}",
                                             f"alertes levées le {on.isoformat()}"), cmd, data.as_of)
    for i, r in enumerate(data.alerts):
        data.figures.add(f"alert.{i}.probability", 100.0 * r["probability"],
                         (f"stated probability (%), {r['kind']} alert, {r['unit']}",
                          f"probabilité annoncée (%), alerte {r['kind']}, {r['unit']}"), cmd, data.as_of)
    first = per.shift(-12 if per.kind == "month" else -1)
    s, e = first.start.strftime("%Y-%m"), per.end.strftime("%Y-%m")
    sc = obs.score_alerts(unit="admin1", start=s, end=e, source=data.source, as_of=data.as_of, country=cs)
    scmd = command("alerts score", from_=s, to=e, unit="admin1", source=data.source, country=cs, as_of=data.as_of)
    rows = [r for r in sc.to_polars().to_dicts() if r["method"] == "alert rule"]
    data.alert_scores = rows
    for r in rows:
        for k in ("scored", "hits", "false_alarms", "misses"):
            data.figures.add(f"score.{r['kind']}.{k}", r[k], (f"{k.replace('_', ' ')}, {r['kind']} alerts, {s} to {e}",
                                                              f"{SCORES_FR[k]}, alertes {r['kind']}, de {s} à {e}"),
                             scmd, data.as_of)
    if not any(r["scored"] for r in rows):
        left = sum(c.get("left_out_unresolved", 0) for c in sc.meta.get("counts", {}).values())
        data.figures.add("score.unresolved", left, (f"alert unit-days left out (unresolved), {s} to {e}",
                                                    f"jours-unités d'alerte sans issue, de {s} à {e}"), scmd,
                         data.as_of)


def _data_end(data: BriefData) -> dt.date | None:
    ends = [dt.date.fromisoformat(str(r["last_date"])[:10]) for r in data.meta.get("coverage", [])]
    return max(ends) if ends else None


def trend(q: Queries, data: BriefData) -> None:
    per = data.period
    if per.kind == "month":
        first = per.shift(-(TREND_MONTHS - 1))
    else:
        first = per.shift(-(TREND_YEARS - 1))
    res, cmd = q.aggregate("unit", first.start, per.end, per.kind, complete=True)
    df = res.to_polars().sort("period_start")
    data.meta = res.meta
    data.warnings = list(res.meta.get("warnings", []))
    cov_rows = res.meta.get("coverage", [])
    rows = []
    for r in df.iter_rows(named=True):
        data.window[r["period"]] = r
        p = Period.parse(r["period"])
        cov = coverage_of(p, data.snapshots, cov_rows, data.family)
        rows.append({"period": r["period"], "status": cov.status,
                     **{m: (r[m] if cov.status != "none" else None) for m in MEASURES}})
    data.trend_rows = rows
    data.figures.add("trend.periods", len(rows), (f"{per.kind}s in the trend chart, {first.label} to {per.label}",
                                                  f"périodes du graphique, de {first.label} à {per.label}"),
                     cmd, q.as_of)


#: confidence and stages in a French brief (the registry's ids in an English one)
CONFIDENCE_FR = {"high": "confiance élevée", "medium": "confiance moyenne", "low": "confiance faible"}
#: stages as nouns (a noun agrees with every institution: "force conjointe : en fonctionnement")
STATES_FR = {"announced": "annonce", "signed": "signature", "established": "création",
             "operational": "en fonctionnement", "defunct": "disparition (organisation dissoute)"}


def bloc_info(obs, data: BriefData) -> None:
    """The registry's facts for the brief, their texts in the brief's language."""
    from ..blocs.models import INSTITUTIONS_FR

    per = data.period
    reg = obs.blocs
    info: dict = {}
    fr = data.lang == "fr"
    if data.unit.kind == "bloc":
        bid = data.unit.id
        info["members"] = [{"iso3": m.iso3, "name": m.name, "joined": m.joined, "suspended": m.suspended,
                            "source": m.joined_fact.source} for m in data.unit.members]
        info["milestones"] = [{"date": t.date, "what": t.what_fr if fr else t.what, "kind": t.kind, "source": t.fact.source,
                               "confidence": CONFIDENCE_FR.get(t.fact.confidence, t.fact.confidence) if fr
                               else t.fact.confidence}
                              for t in reg.timeline(bid) if per.start <= t.day <= per.end]
        on = min(per.end, dt.date.today())
        info["institutions"] = [{"category": INSTITUTIONS_FR.get(i.category, i.category) if fr else i.category,
                                 "state": STATES_FR.get(i.state, i.state) if fr else i.state, "since": i.since,
                                 "what": i.what_fr if fr else i.what}
                                for i in reg.institutions(bid, on=on) if i.state != "none_recorded"]
        info["membership_rule"] = data.unit.membership
        info["command"] = f"sahelwatch blocs timeline {bid}"
    else:
        c = data.unit.id
        on = min(per.end, dt.date.today())
        info["blocs"] = [{"bloc": o.id, "name": o.name, "suspended": reg.is_suspended(o.id, c, on)}
                         for o in reg.organisations() if reg.is_member(o.id, c, on)]
        info["coups"] = [{"date": str(k.date), "leader": (k.leader_fr or k.leader) if fr else k.leader,
                          "ousted": (k.ousted_fr or k.ousted) if fr else k.ousted, "source": k.source}
                         for k in reg.coups(country=c, start=per.start, end=per.end)]
    data.bloc_info = info


def forecast(obs, data: BriefData) -> None:
    from .forecast_section import load_forecasts

    data.forecast = load_forecasts(obs, data.unit.countries if data.unit.kind == "bloc" else (data.unit.id,),
                                   data.period.months(), source=data.source, as_of=data.as_of)
    # the snapshots the outlook read (a series' own, when it comes from one) join the data section's
    used = {r.get("snapshot") for r in data.forecast.rows} | {r.get("observed_snapshot") for r in data.forecast.rows}
    have = {s.id for s in data.snapshots}
    data.snapshots = list(data.snapshots) + [s for s in data.all_snapshots if s.id in used - have]
