"""HTTP API latency under load: 1,000,000 generated events, 8 concurrent clients for 30 s.

    PYTHONPATH=src python bench/bench_api.py [--seconds 30] [--clients 8] [--workers 1]

Builds (once; cached under /tmp) a store of 1,000,000 generated ACLED-format events, starts
``sahelwatch serve --private`` on 127.0.0.1 in its own process (``--private``: the rows are
ACLED-format, and the events page is one of the measured calls), then runs a bounded async
client (httpx.AsyncClient, one connection per client) that cycles through three calls:

- ``aggregate``: events and fatalities per country and month, three Sahel countries, a year;
- ``events``: a page of 100 events of one country, newest first;
- ``admin1``: the admin1 choropleth (GeoJSON with counts) of one country for a year.

The floor is the same calls made in-process in the same run (the Observatory call plus the
same JSON serialisation), once one at a time and once from 8 threads. The server's RSS is
sampled every second of the measured run (summed over the worker processes with
``--workers``), after 10 s of the same load as warm-up, right before it (every worker
thread opens its store and caches then; run before the floor, the warm-up's memory was given
back while the server idled): growth = last 5 s vs first 5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import pct  # noqa: E402

HOME = Path(os.environ.get("SW_BENCH_API_HOME", "/tmp/sahelwatch-bench-api-1m"))
ROWS = 1_000_000
COUNTRIES = ["MLI", "BFA", "NER", "NGA", "TCD", "MRT"]
YEARS = [2019, 2020, 2021, 2022, 2023, 2024]


def build() -> None:
    from _common import build_store

    if (HOME / "BUILT").exists():
        return
    print(f"building {ROWS:,} generated events in {HOME} (once)", flush=True)
    build_store(HOME, 1, ROWS)
    (HOME / "BUILT").write_text(f"{ROWS}\n")


def calls(i: int) -> dict[str, tuple[str, dict]]:
    """The three calls, their parameters varied with ``i`` (the same sequence for every run)."""
    c, y = COUNTRIES[i % len(COUNTRIES)], YEARS[i % len(YEARS)]
    return {
        "aggregate": ("/api/v1/aggregate", {"by": "country", "period": "month", "country": "MLI,BFA,NER",
                                            "from": f"{y}-01-01", "to": f"{y}-12-31"}),
        "events": ("/api/v1/events", {"country": c, "limit": 100, "sort": "-date_start"}),
        "admin1": ("/api/v1/aggregate", {"by": "admin1", "period": "year", "country": c, "from": f"{y}-01-01",
                                         "to": f"{y}-12-31", "format": "geojson"}),
    }


def in_process(obs, name: str, i: int) -> int:
    """The same call through the Python API, serialised as the server does; bytes produced."""
    import polars as pl

    from sahelwatch.web.formats import dumps, rows

    _, p = calls(i)[name]
    if name == "events":
        page = obs.events_page(country=p["country"], limit=100, sort="-date_start")
        body = {"rows": rows(pl.from_arrow(page.table)), "total": page.total}
    else:
        res = obs.aggregate(by=p["by"], period=p["period"], country=p["country"], start=p["from"], end=p["to"])
        body = res.to_geojson() if name == "admin1" else {"rows": rows(res.to_polars()), "meta": res.meta}
    return len(dumps(body))


def floor(obs, threads: int, seconds: float) -> dict[str, list[float]]:
    lat: dict[str, list[float]] = {k: [] for k in ("aggregate", "events", "admin1")}
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    counter = iter(range(10**9))

    def work():
        while time.monotonic() < stop:
            with lock:
                i = next(counter)
            for name in lat:
                t = time.perf_counter()
                in_process(obs, name, i)
                with lock:
                    lat[name].append(time.perf_counter() - t)

    ts = [threading.Thread(target=work) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return lat


async def load(url: str, clients: int, seconds: float) -> tuple[dict[str, list[float]], int, int]:
    import httpx

    lat: dict[str, list[float]] = {k: [] for k in ("aggregate", "events", "admin1")}
    errors = 0
    counter = iter(range(10**9))
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def worker():
            nonlocal errors
            while time.monotonic() < stop:
                i = next(counter)
                for name, (path, params) in calls(i).items():
                    t = time.perf_counter()
                    r = await client.get(path, params=params)
                    await r.aread()
                    lat[name].append(time.perf_counter() - t)
                    if r.status_code != 200:
                        errors += 1

        await asyncio.gather(*(worker() for _ in range(clients)))
    return lat, errors, sum(len(v) for v in lat.values())


def rss_sampler(pid: int, out: list[tuple[float, int]], stop: threading.Event) -> None:
    import psutil

    p = psutil.Process(pid)
    t0 = time.monotonic()
    while not stop.is_set():
        procs = [p] + p.children(recursive=True)  # with --workers: the supervisor and its workers
        out.append((time.monotonic() - t0, sum(q.memory_info().rss for q in procs if q.is_running())))
        stop.wait(1.0)


def summary(lat: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    return {k: {"n": len(v), "p50_ms": 1000 * pct(v, 0.5), "p95_ms": 1000 * pct(v, 0.95)} for k, v in lat.items() if v}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--workers", type=int, default=1, help="server processes (sahelwatch serve --workers)")
    a = ap.parse_args()
    build()
    import httpx

    import sahelwatch

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1] / "src"))
    srv = subprocess.Popen([sys.executable, "-m", "sahelwatch.cli.main", "serve", "--home", str(HOME), "--port",
                            str(a.port), "--private", "--workers", str(a.workers)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{a.port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/api/v1/openapi.json", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        # warm-up: caches (rollups, admin lookup) are built once per snapshot, not measured
        for i in range(len(COUNTRIES)):
            for path, params in calls(i).values():
                httpx.get(url + path, params=params, timeout=600).raise_for_status()
        obs = sahelwatch.open(HOME, create=False)
        for i in range(len(COUNTRIES)):
            for name in ("aggregate", "events", "admin1"):
                in_process(obs, name, i)
        seq = floor(obs, 1, min(a.seconds, 15))
        par = floor(obs, a.clients, min(a.seconds, 15))
        # steady state: every worker thread has opened its store and caches before RSS is watched;
        # right before the measured run (the server idles while the floor runs, and gives memory back)
        asyncio.run(load(url, a.clients, 10))
        samples: list[tuple[float, int]] = []
        stop = threading.Event()
        sampler = threading.Thread(target=rss_sampler, args=(srv.pid, samples, stop))
        sampler.start()
        load0 = round(os.getloadavg()[0], 1)
        t0 = time.perf_counter()
        http, errors, n = asyncio.run(load(url, a.clients, a.seconds))
        wall = time.perf_counter() - t0
        stop.set()
        sampler.join()
    finally:
        srv.terminate()
        srv.wait(30)
    first = [r for t, r in samples if t <= 5]
    last = [r for t, r in samples if t >= samples[-1][0] - 5]
    growth = (sum(last) / len(last)) / (sum(first) / len(first)) - 1
    res = {"load_avg_1m_start": load0, "events_in_store": ROWS, "clients": a.clients, "workers": a.workers, "seconds": round(wall, 1), "requests": n,
           "errors": errors, "throughput_rps": round(n / wall, 1), "http": summary(http),
           "floor_sequential": summary(seq), f"floor_{a.clients}_threads": summary(par),
           "rss_mb_start": round(first[0] / 2**20, 1), "rss_mb_end": round(samples[-1][1] / 2**20, 1),
           "rss_growth_pct": round(100 * growth, 1), "rss_mb_max": round(max(r for _, r in samples) / 2**20, 1),
           "rss_mb_samples": [round(r / 2**20) for _, r in samples], "cpus": os.cpu_count(),
           "load_avg_1m_end": round(os.getloadavg()[0], 1)}
    for k, v in res["http"].items():
        f1, f8 = res["floor_sequential"][k], res[f"floor_{a.clients}_threads"][k]
        v["overhead_vs_sequential_p50"] = round(v["p50_ms"] / f1["p50_ms"], 2)
        v[f"overhead_vs_{a.clients}_threads_p50"] = round(v["p50_ms"] / f8["p50_ms"], 2)
        v[f"overhead_vs_{a.clients}_threads_p95"] = round(v["p95_ms"] / f8["p95_ms"], 2)
    print(json.dumps(res, indent=1))
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "bench_api.json").write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
