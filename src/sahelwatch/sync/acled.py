"""Keep the store's ACLED events in step with ACLED's API: one snapshot per sync.

First run for a country: a full pull (from ``since``). Later runs: only rows whose
``timestamp`` is at or after the last one seen for that country, plus the deleted-events
list since then, applied together as one snapshot by the store's atomic ingest.

Country groups are planned with count requests (``limit=1&with_total=true``): a group
whose query would return more than ``max_query_rows`` rows is split in two, down to one
country, then by date halves, so no single query pages too deep.

Every page is saved (``sync/acled/pages/``) before the run's record names it done, so a
sync stopped at any point — network loss, Ctrl-C, SIGKILL — resumes from the next page;
repeats are removed before the ingest, and the store is only ever changed by the one
snapshot at the end.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.errors import SyncError, UsageError
from ..sources import _http, acled_api
from ..sources.base import Progress
from ..store.ingest import ingest
from ..store.layout import Layout
from . import state as st

MAX_QUERY_ROWS = 100_000
TIER_GAP_DAYS = 366  # earliest row this much after --since: the account may not see older data


@dataclass
class SyncReport:
    source: str
    snapshot: int | None
    mode: str  # full | incremental | mixed | none
    scope: str
    counts: dict = field(default_factory=dict)
    requests: int = 0
    retries: int = 0
    pages: int = 0
    rows_fetched: int = 0
    deletions_fetched: int = 0
    seconds: float = 0.0
    resumed: bool = False
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


def _numeric(iso3s: list[str]) -> dict[str, int]:
    from ..domain import countries

    inv = {v: k for k, v in countries.numeric_to_iso3().items()}
    out = {}
    for c in iso3s:
        if c not in inv:
            raise UsageError(f"--country {c}: not an ISO3 code sahelwatch knows")
        out[c] = inv[c]
    return out


def _plan(client, groups: list[dict], max_rows: int) -> list[dict]:
    """Split groups until each query's count is at most ``max_rows`` (count requests only)."""
    out, todo = [], list(groups)
    while todo:
        g = todo.pop(0)
        total = g["total"] = client.count(g["filters"])
        if total is None or total <= max_rows:
            out.append(g)
            continue
        isos = g["countries"]
        if len(isos) > 1:
            half = len(isos) // 2
            todo[:0] = [_group(isos[:half], g), _group(isos[half:], g)]
        elif g.get("date_range") and g["date_range"][0] < g["date_range"][1]:
            a, b = (dt.date.fromisoformat(x) for x in g["date_range"])
            mid = a + (b - a) / 2
            todo[:0] = [_group(isos, g, (a.isoformat(), mid.isoformat())),
                        _group(isos, g, ((mid + dt.timedelta(days=1)).isoformat(), b.isoformat()))]
        else:
            out.append(g)
    return out


def _group(isos: list[str], like: dict, date_range=None) -> dict:
    rng = date_range if date_range is not None else like.get("date_range")
    return {"countries": isos, "cutoff": like.get("cutoff"), "date_range": rng, "numeric": like["numeric"],
            "filters": acled_api.filters([like["numeric"][c] for c in isos], since_timestamp=like.get("cutoff"),
                                         date_range=tuple(rng) if rng else None)}


def sync(layout: Layout, email: str, password: str, *, countries, since: str | None = None,
         base_url: str = acled_api.DEFAULT_BASE, policy: _http.RetryPolicy | None = None,
         token_cache=None, progress: Progress | None = None, full: bool = False,
         max_query_rows: int = MAX_QUERY_ROWS, limit: int = acled_api.PAGE_LIMIT,
         every: str | None = None) -> SyncReport:
    t0 = time.perf_counter()
    iso3s = sorted(set(countries))
    if not iso3s:
        raise UsageError("sync acled needs --country (ISO3 codes, e.g. MLI,BFA,NER)")
    numeric = _numeric(iso3s)
    if every:
        st.parse_every(every)
    layout.check()
    state = st.load(layout)
    prev = state.get("acled", {}).get("countries", {})
    today = (dt.date.today() + dt.timedelta(days=1)).isoformat()  # events dated "today" in any time zone
    per = {}
    for c in iso3s:
        p = prev.get(c) or {}
        c_since = since or p.get("since") or "1997-01-01"
        incremental = (not full and p.get("cutoff") is not None
                       and (since is None or since >= p.get("since", "9999")))
        per[c] = {"cutoff": p["cutoff"] if incremental else None, "since": c_since}
    params = {"countries": iso3s, "per": per, "base": base_url, "limit": limit}
    run, resumed, note = st.Run.open(layout, "acled", params)
    report = SyncReport("acled", None, "", ",".join(iso3s), resumed=resumed)
    if note:
        report.warnings.append(note)
    with acled_api.AcledClient(email, password, base_url=base_url, policy=policy or _http.RetryPolicy(),
                               token_cache=token_cache, limit=limit) as client:
        try:
            _fetch(run, client, per, numeric, today, max_query_rows, progress, report)
        finally:
            report.requests, report.retries = client.stats.requests, client.stats.retries
            report.requests += run.data.get("requests_before", 0)
            run.data["requests_before"] = report.requests
            run.save()
    modes = {"full" if q["cutoff"] is None else "incremental" for q in run.data["queries"]}
    report.mode = modes.pop() if len(modes) == 1 else "mixed"
    files = [run.page_path(n) for q in run.data["queries"] for n in q["pages"]]
    report.pages = len(files) + run.data.get("deleted_pages", 0)
    seen = {c: run.data["seen"].get(c) for c in iso3s}
    try:
        _check_access(run.data["queries"], seen, per, report)
    except SyncError:
        run.finish()  # nothing to resume: the answer was complete, and empty
        raise
    dels = [tuple(d) for d in run.data.get("deletions", [])]
    report.rows_fetched = sum(q["rows"] for q in run.data["queries"])
    report.deletions_fetched = len(dels)
    snapshot, counts = None, {}
    spool = run.dir / f"acled-api-{run.data['started'][:19].replace(':', '').replace('-', '')}Z.zip"
    if run.data["phase"] == "fetch" and (report.rows_fetched or dels):
        known, dels, skipped = _known(layout, dels)
        info = acled_api.write_spool(files, dels, spool, known=known)
        run.data.update(phase="spooled" if info["rows"] or dels else "nothing", spool=spool.name,
                        spool_info={**info, **skipped})
        run.save()
    info = run.data.get("spool_info", {})
    if run.data["phase"] == "spooled":
        st.crash_point("spooled")
        rep = ingest(layout, "acled-sync", spool, progress=progress)
        snapshot = rep.snapshot if rep.snapshot is not None else rep.duplicate_of
        counts = rep.counts if rep.snapshot is not None else _snapshot_counts(layout, snapshot)
        report.warnings += [w for w in rep.warnings if not w.startswith("same file")]
        st.crash_point("committed")
    if info:  # rows and deletions the store already held never reached the ingest
        counts = {**counts, "unchanged": counts.get("unchanged", 0) + info.get("unique", 0) - info.get("rows", 0),
                  "deletions_not_in_store": info.get("deletions_not_in_store", 0),
                  "deletions_already_applied": info.get("deletions_already_applied", 0)}
    report.snapshot, report.counts = snapshot, counts
    # the commit is done: advance the cut-offs (a short query keeps its old one: re-read next time)
    acled_state = state.setdefault("acled", {})
    cstate = acled_state.setdefault("countries", {})
    for c in iso3s:
        s = seen[c] or {}
        old = (prev.get(c) or {}).get("cutoff")
        short = any(q.get("short") and c in q["countries"] for q in run.data["queries"])
        new_cut = old if short else max([x for x in (s.get("max_ts"), per[c]["cutoff"]) if x is not None],
                                        default=None)
        cstate[c] = {"since": per[c]["since"], "cutoff": new_cut, "last_sync": st.now().isoformat()}
    acled_state.update(
        last_sync=st.now().isoformat(), snapshot=snapshot or acled_state.get("snapshot"), counts=counts,
        requests=report.requests, scope=report.scope, mode=report.mode, base_url=base_url,
        **({"every": every} if every else {}))
    st.save(layout, state)
    run.finish()
    report.seconds = round(time.perf_counter() - t0, 3)
    return report


def _fetch(run: st.Run, client, per: dict, numeric: dict, today: str, max_rows: int, progress, report) -> None:
    """Plan (once), then fetch every query's remaining pages and the deletions, saving as it goes."""
    d = run.data
    d.setdefault("seen", {})
    if not d["queries"]:
        # full pulls grouped by their start date; every incremental country in one query from the
        # earliest cut-off (rows already held are dropped before the ingest): requests follow the
        # changes, not the number of countries
        groups: dict = {}
        inc = [p["cutoff"] for p in per.values() if p["cutoff"] is not None]
        for c, p in per.items():  # the event-date window keeps revisions of older events out of scope
            key = (min(inc) if p["cutoff"] is not None else None, p["since"])
            groups.setdefault(key, []).append(c)
        base = []
        for (cutoff, since), isos in sorted(groups.items(), key=lambda kv: str(kv[0])):
            base.append(_group(isos, {"cutoff": cutoff, "numeric": numeric, "date_range": [since, today]}))
        planned = _plan(client, base, max_rows)
        d["queries"] = [{"countries": g["countries"], "cutoff": g["cutoff"], "filters": g["filters"],
                         "total": g["total"], "next_page": 1, "pages": [], "rows": 0, "done": False}
                        for g in planned]
        run.save()
    total_pages = sum(-(-(q["total"] or 0) // client.limit) for q in d["queries"])
    done_pages = sum(len(q["pages"]) for q in d["queries"])
    for qi, q in enumerate(d["queries"]):
        while not q["done"]:
            rows, _ = client.read_page(q["filters"], q["next_page"])
            name = f"q{qi:03d}-p{q['next_page']:05d}"
            if rows:
                df = acled_api.rows_frame(rows)
                run.write_page(name, df)
                q["pages"].append(name)
                q["rows"] += len(rows)
                _note_seen(d["seen"], df)
            q["next_page"] += 1
            fetched = q["rows"]
            # with a count, a short page is not the end (pages can move while ACLED edits data):
            # read on until the count is reached or a page comes back empty
            q["done"] = (not rows or (q["total"] is None and len(rows) < client.limit)
                         or (q["total"] is not None and fetched >= q["total"]))
            if q["done"] and q["total"] is not None and fetched < q["total"]:
                q["short"] = True
                report.warnings.append(
                    f"ACLED counted {q['total']:,} rows for {','.join(q['countries'])} but sent {fetched:,} "
                    "(data changed during the sync?); the next sync re-reads from the same cut-off")
            run.save()
            done_pages += 1
            st.crash_point("page", done_pages)
            if progress:
                progress("download", done_pages, total_pages or None)
    cutoffs = [p["cutoff"] for p in per.values() if p["cutoff"] is not None]
    if cutoffs and not d.get("deletions_done"):
        prefixes = set(per)
        page = d.get("deleted_next", 1)
        dels = d.setdefault("deletions", [])
        while True:
            rows = client.deleted_page(min(cutoffs), page)
            for r in rows:
                eid = str(r.get("event_id_cnty", "")).strip()
                if eid and (not eid[:3].isalpha() or eid[:3].upper() in prefixes):
                    dels.append([eid, int(r["deleted_timestamp"])])
            page += 1
            d["deleted_next"], d["deleted_pages"] = page, d.get("deleted_pages", 0) + 1
            run.save()
            if len(rows) < client.limit:
                break
        d["deletions_done"] = True
        run.save()


def _note_seen(seen: dict, df) -> None:
    """Per country (from the numeric `iso` field): highest timestamp, earliest event date."""
    import polars as pl

    from ..domain import countries

    iso3 = pl.col("iso").cast(pl.Int64, strict=False).replace_strict(
        countries.numeric_to_iso3(), default=None, return_dtype=pl.String)
    agg = (df.select(iso3.alias("c"), pl.col("timestamp").cast(pl.Int64, strict=False).alias("ts"),
                     pl.col("event_date").str.slice(0, 10).alias("d"))
           .group_by("c").agg(pl.col("ts").max(), pl.col("d").min()))
    for c, ts, d in agg.iter_rows():
        if c is None:
            continue
        s = seen.setdefault(c, {})
        if ts is not None:
            s["max_ts"] = max(ts, s.get("max_ts", ts))
        if d is not None:
            s["min_date"] = min(d, s.get("min_date", d))


def _check_access(queries: list[dict], seen: dict, per: dict, report: SyncReport) -> None:
    """Never an empty table without a word: explain empty full pulls and missing early years."""
    full = [c for q in queries if q["cutoff"] is None for c in q["countries"]]
    empty = [c for c in full if not (seen.get(c) or {}).get("max_ts")]
    if full and len(empty) == len(full):
        since = min(per[c]["since"] for c in full)
        raise SyncError(
            "ACLED", f"no events came back for {','.join(empty)} since {since}",
            "if you expected events, your account's access level may not cover these countries or this "
            "period (some tiers see only recent years); check your access on acleddata.com (myACLED) or "
            "try a later --since. Nothing was changed.")
    for c in empty:
        report.warnings.append(f"{c}: ACLED sent no events since {per[c]['since']}; the account may not "
                               "have access to this country or period")
    for c in full:
        first = (seen.get(c) or {}).get("min_date")
        if first and (dt.date.fromisoformat(first) - dt.date.fromisoformat(per[c]["since"])).days > TIER_GAP_DAYS:
            report.warnings.append(
                f"{c}: the earliest event ACLED sent is {first}, long after --since {per[c]['since']}; your "
                "account's access level may cover only recent years (check myACLED), or there were no events")


def _known(layout: Layout, dels: list[tuple]):
    """Versions the store holds now (left out of the spool) and the deletions still to apply."""
    import duckdb
    import polars as pl

    from ..store import manifest, state as store_state

    con = duckdb.connect()
    try:
        cur = store_state.current_keys(con, layout, manifest.read_all(layout), "acled")
    finally:
        con.close()
    ids = cur["event_key"].str.slice(len("acled:"))
    live = cur.filter(~cur["is_deleted"])
    known = pl.DataFrame({"event_id_cnty": live["event_key"].str.slice(len("acled:")),
                          "timestamp": live["source_release"]})
    held = dict(zip(ids.to_list(), cur["is_deleted"].to_list()))
    keep = [d for d in dels if held.get(d[0]) is False]
    skipped = {"deletions_not_in_store": sum(1 for d in dels if d[0] not in held),
               "deletions_already_applied": sum(1 for d in dels if held.get(d[0]) is True)}
    return known, keep, skipped


def _snapshot_counts(layout: Layout, snap_id: int) -> dict:
    from ..store import manifest

    for s in manifest.read_all(layout):
        if s.id == snap_id:
            return dict(s.counts)
    return {}


def spool_dir(layout: Layout) -> Path:
    return st.sync_dir(layout) / "acled"
