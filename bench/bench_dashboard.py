"""First meaningful paint of the dashboard: the map drawn with the view's data, in headless
Chromium, on the demo store, against a real ``sahelwatch serve`` on 127.0.0.1.

    python bench/bench_dashboard.py [--runs 5]

Each run opens a fresh browser context (no cache) and reads ``performance.now()`` at the
moment the page's map first went idle with the admin-1 choropleth and event points drawn
(the page records it on ``window.sahelwatch.mapDrawnMs``, and on ``.marks`` when its shapes,
the map's set-up and the view's data were ready), and when the whole page was ready (charts,
tables). Target: map drawn under 2 s. Not a timed test.

Baseline, measured in the same run and browser: a bare page that only loads MapLibre and the
same two shape files and draws them (country and admin-1 fills and outlines) on a canvas of the
same size, at the same bounds as the dashboard's map ended on. Its first idle is the floor that
the library and SwiftShader set; the ratio says what the dashboard adds on top.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import OUT, pct

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader", "--disable-background-networking"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BARE_HTML = """<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="maplibre-gl.css">
<style>body{margin:0}</style></head><body><div id="map"></div><script type="module" src="bare.js"></script></body></html>"""

BARE_JS = """import * as ml from './maplibre-gl.mjs';
const q = new URLSearchParams(location.search);
const div = document.getElementById('map');
div.style.width = q.get('w') + 'px'; div.style.height = q.get('h') + 'px';
const [a1, a0] = await Promise.all([fetch('a1.json').then((r) => r.json()), fetch('a0.json').then((r) => r.json())]);
const b = q.get('bounds').split(',').map(Number);
const m = new ml.Map({ container: 'map', bounds: [[b[0], b[1]], [b[2], b[3]]], attributionControl: false,
  style: { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#dbe6ec' } }] } });
m.on('load', () => {
  m.addSource('countries', { type: 'geojson', data: a0 });
  m.addSource('admin1', { type: 'geojson', data: a1 });
  m.addLayer({ id: 'cf', type: 'fill', source: 'countries', paint: { 'fill-color': '#f7f4ee', 'fill-antialias': false } });
  m.addLayer({ id: 'af', type: 'fill', source: 'admin1', paint: { 'fill-color': '#fdae6b', 'fill-opacity': 0.85, 'fill-antialias': false } });
  m.addLayer({ id: 'al', type: 'line', source: 'admin1', paint: { 'line-color': '#8a8f94', 'line-width': 0.5 } });
  m.addLayer({ id: 'cl', type: 'line', source: 'countries', paint: { 'line-color': '#4a4f55', 'line-width': 1.1 } });
  m.once('idle', () => { document.body.dataset.drawn = String(performance.now()); });
});
"""


def bare_site(tmp: Path, api: str) -> Path:
    """The baseline's files: MapLibre from the package, the shapes as the API serves them."""
    import httpx

    site = tmp / "bare"
    site.mkdir()
    vendor = ROOT / "src" / "sahelwatch" / "web" / "static" / "vendor" / "maplibre"
    for f in vendor.iterdir():
        (site / f.name).write_bytes(f.read_bytes())
    (site / "index.html").write_text(BARE_HTML)
    (site / "bare.js").write_text(BARE_JS)
    for level, name in ((1, "a1.json"), (0, "a0.json")):
        (site / name).write_bytes(httpx.get(f"{api}/places/admin", params={"level": level}).content)
    return site


def serve_dir(site: Path):
    """A static file server on 127.0.0.1 for the baseline page (a thread of this process)."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--path", default="/", help="page to open, e.g. '/?country=MLI,BFA,NER'")
    a = ap.parse_args()
    import httpx
    from playwright.sync_api import sync_playwright

    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "demo"
        subprocess.run([sys.executable, "-m", "sahelwatch.cli.main", "demo", "--home", str(home)], env=env,
                       check=True, capture_output=True)
        port = _port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([sys.executable, "-m", "sahelwatch.cli.main", "serve", "--home", str(home),
                                   "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            for _ in range(300):
                try:
                    if httpx.get(url + "/api/v1/meta", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            map_ms, ready_ms, bare_ms, marks = [], [], [], {}
            bare = serve_dir(bare_site(Path(tmp), url + "/api/v1"))
            bare_url = f"http://127.0.0.1:{bare.server_address[1]}/index.html"
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                for i in range(a.runs + 1):  # the first run warms the server's caches; not counted
                    ctx = browser.new_context(viewport={"width": 1300, "height": 900})
                    page = ctx.new_page()
                    page.goto(url + a.path)
                    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=120_000)
                    m = page.evaluate("window.sahelwatch.mapDrawnMs")
                    mk = page.evaluate("window.sahelwatch.marks")
                    r = page.evaluate("performance.now()")
                    drawn = page.evaluate("window.sahelwatch.renderedFeatures(['admin1-fill'])")
                    w, h = page.evaluate("[window.sahelwatch.map.getCanvas().width, window.sahelwatch.map.getCanvas().height]")
                    bounds = page.evaluate("window.sahelwatch.map.getBounds().toArray().flat().join(',')")
                    ctx.close()
                    if drawn <= 0:
                        raise SystemExit("the map drew no admin-1 feature")
                    # the baseline, in the same browser, right after: the same shapes, size and bounds
                    ctx = browser.new_context(viewport={"width": 1300, "height": 900})
                    page = ctx.new_page()
                    page.goto(f"{bare_url}?w={w}&h={h}&bounds={bounds}")
                    page.wait_for_selector("body[data-drawn]", state="attached", timeout=120_000)
                    b = float(page.evaluate("document.body.dataset.drawn"))
                    ctx.close()
                    if i:
                        map_ms.append(m)
                        ready_ms.append(r)
                        bare_ms.append(b)
                        for k, v in mk.items():
                            marks.setdefault(k, []).append(v)
                browser.close()
            bare.shutdown()
        finally:
            server.terminate()
            server.wait(timeout=20)
    res = {"runs": a.runs, "path": a.path,
           "map_drawn_ms": {"p50": round(pct(map_ms, 0.5)), "max": round(max(map_ms))},
           "page_ready_ms": {"p50": round(pct(ready_ms, 0.5)), "max": round(max(ready_ms))},
           # the floor: MapLibre alone drawing the same shapes at the same size and bounds
           "baseline_bare_map_ms": {"p50": round(pct(bare_ms, 0.5)), "max": round(max(bare_ms))},
           "map_drawn_over_bare_map": round(pct(map_ms, 0.5) / pct(bare_ms, 0.5), 2),
           # where the time goes (p50, ms since navigation): shapes and /meta loaded, map style and
           # shapes set up, the view's aggregate loaded
           "marks_p50_ms": {k: round(pct(v, 0.5)) for k, v in sorted(marks.items())},
           "load_avg_1m": round(os.getloadavg()[0], 1),
           "target_map_ms": 2000, "ok": max(map_ms) < 2000}
    OUT.mkdir(exist_ok=True)
    (OUT / "dashboard.json").write_text(json.dumps(res, indent=2))
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
