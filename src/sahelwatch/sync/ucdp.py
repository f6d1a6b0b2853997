"""Keep the store's UCDP events in step with UCDP's API: a GED release, then its Candidate months.

Each version (GED ``25.1``; Candidate ``25.0.1``, ``25.0.2``...) is fetched page by page
(saved as it comes, so an interrupted or quota-stopped sync resumes) and ingested as one
snapshot of the matching kind, so the store's rules apply unchanged: a GED release
replaces the previous one and supersedes the Candidate events of the months it covers;
Candidate releases add up. Versions already in the store are skipped.

The daily quota (5,000 requests per token, failed requests included) is counted in
``sync/state.json`` per UTC day; a sync stops before it would go over and says when to
resume.
"""

from __future__ import annotations

import time

from ..domain.errors import QuotaExceeded, UsageError
from ..sources import _http, ucdp_api
from ..sources.base import Progress
from ..store import manifest
from ..store.ingest import ingest
from ..store.layout import Layout
from . import state as st
from .acled import SyncReport


def sync(layout: Layout, token: str, *, release: str, candidate: bool = False, ged: bool = True,
         countries=None, base_url: str = ucdp_api.DEFAULT_BASE, policy: _http.RetryPolicy | None = None,
         quota: int = ucdp_api.DAILY_QUOTA, progress: Progress | None = None, every: str | None = None,
         pagesize: int = ucdp_api.PAGE_SIZE) -> SyncReport:
    from ..domain import countries as ctry

    t0 = time.perf_counter()
    if not release or len(release.split(".")) != 2:
        raise UsageError(f"--release {release!r}: a GED release like 25.1")
    if every:
        st.parse_every(every)
    layout.check()
    gw = []
    for c in sorted(set(countries or [])):
        if c not in ctry.iso3_to_gwno():
            raise UsageError(f"--country {c}: no Gleditsch-Ward number known")
        gw.append(ctry.iso3_to_gwno()[c])
    filters = {"Country": ",".join(str(g) for g in gw)} if gw else {}
    state = st.load(layout)
    ust = state.setdefault("ucdp", {})
    today = st.now().date().isoformat()
    q = ust.get("quota") or {}
    if q.get("day") != today:
        q = {"day": today, "used": 0}
    q["limit"] = quota
    ust["quota"] = q
    scope = ",".join(sorted(set(countries or []))) or "all countries"
    report = SyncReport("ucdp", None, "release", f"{release} ({scope})")

    def spend():
        if q["used"] >= quota:
            st.save(layout, state)
            raise QuotaExceeded("UCDP", f"the daily quota of {quota:,} requests is spent ({q['used']:,} used today)",
                                "rerun after midnight UTC; the sync resumes where it stopped")
        q["used"] += 1

    snaps = manifest.read_all(layout)
    have = {(s.kind, s.release) for s in snaps if s.file.startswith("ucdp-api-")}
    versions = ([("ucdp", release)] if ged else []) + \
        ([("ucdp-candidate", v) for v in ucdp_api.candidate_versions(release)] if candidate else [])
    totals: dict[str, int] = {}
    snapshots = []
    client = ucdp_api.UcdpClient(token, base_url=base_url, policy=policy or _http.RetryPolicy(),
                                 on_request=spend, pagesize=pagesize)
    try:
        for kind, version in versions:
            if (kind, version) in have and ust.get("scope") == scope:
                continue
            params = {"version": version, "kind": kind, "filters": filters, "base": base_url, "pagesize": pagesize}
            run, resumed, _ = st.Run.open(layout, "ucdp", params)
            report.resumed |= resumed
            found = _fetch(run, client, version, filters, progress)
            st.save(layout, state)  # the quota spent so far survives a crash
            if not found:
                if kind == "ucdp":
                    raise UsageError(f"UCDP has no GED release {version} (HTTP 404 at gedevents/{version})")
                run.finish()
                break  # the next Candidate month is not published yet
            spool = run.dir / f"ucdp-api-{'ged' if kind == 'ucdp' else 'candidate'}-{version}.csv"
            files = [run.page_path(n) for n in run.data["pages"]]
            report.rows_fetched += run.data["rows"]
            report.pages += len(files)
            if not run.data["rows"]:
                report.warnings.append(f"UCDP {version}: the release holds no events for {scope}")
                run.finish()
                continue
            if run.data["phase"] == "fetch":
                _write_spool(files, spool)
                run.data["phase"] = "spooled"
                run.save()
            rep = ingest(layout, kind, spool, release=version, partial=bool(filters) and kind == "ucdp",
                         progress=progress)
            sid = rep.snapshot if rep.snapshot is not None else rep.duplicate_of
            snapshots.append(sid)
            counts = rep.counts if rep.snapshot is not None else next(s.counts for s in manifest.read_all(layout)
                                                                      if s.id == sid)
            for k in ("new", "changed", "deleted", "unchanged", "superseded_candidates"):
                totals[k] = totals.get(k, 0) + int(counts.get(k, 0))
            report.warnings += [w for w in rep.warnings if not w.startswith(("same file", "partial file"))]
            done = ust.setdefault("versions", {})
            done[version] = {"kind": kind, "snapshot": sid, "rows": run.data["rows"]}
            st.save(layout, state)
            run.finish()
    finally:
        client.close()
        report.requests, report.retries = client.stats.requests, client.stats.retries
        st.save(layout, state)
    report.snapshot = snapshots[-1] if snapshots else None
    report.counts = {**totals, "snapshots": len(snapshots)}
    if filters:
        report.warnings.append("a country filter makes each GED release partial: events outside it are kept")
    report.mode = "release" + ("+candidate" if candidate else "")
    ust.update(last_sync=st.now().isoformat(), snapshot=report.snapshot, counts=report.counts, scope=scope,
               release=release, requests=report.requests, base_url=base_url, **({"every": every} if every else {}))
    st.save(layout, state)
    report.seconds = round(time.perf_counter() - t0, 3)
    return report


def _fetch(run: st.Run, client, version: str, filters: dict, progress) -> bool:
    """Fetch the version's remaining pages; False when the version does not exist."""
    d = run.data
    d.setdefault("pages", [])
    d.setdefault("rows", 0)
    page = d.setdefault("next_page", 0)
    while d.get("total_pages") is None or page < d["total_pages"]:
        res = client.page(version, page, filters)
        if res is None:
            return False
        d["total_pages"] = res.total_pages
        if res.rows:
            name = f"p{page:05d}"
            run.write_page(name, _frame(res.rows))
            d["pages"].append(name)
            d["rows"] += len(res.rows)
        page = d["next_page"] = page + 1
        run.save()
        st.crash_point("page", len(d["pages"]))
        if progress:
            progress("download", page, res.total_pages or None)
        if not res.rows:
            break
    return True


def _frame(rows: list[dict]):
    from ..sources.acled_api import rows_frame

    return rows_frame(rows)


def _write_spool(files, out) -> None:
    import os

    import polars as pl

    df = pl.concat([pl.read_parquet(p) for p in files], how="diagonal")
    # a Candidate row may come with ``id`` written as 123.0 by some exports: the source handles it
    tmp = out.with_name(out.name + ".tmp")
    df.write_csv(tmp)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, out)
