"""The map of a brief: admin1 choropleth and PRIO-GRID cells drawn to SVG from shapely geometries.

No tiles, no network: the bundled (or the store's own) boundaries become SVG paths in an
equirectangular projection scaled by the cosine of the mid latitude. Greys only, so the
map reads in black and white.
"""

from __future__ import annotations

import math
from html import escape

from .i18n import num

WIDTH = 480
CLASSES = ((1, 2), (3, 5), (6, 10), (11, 20), (21, None))
GREYS = ("#ffffff", "#e0e0e0", "#bdbdbd", "#8c8c8c", "#595959", "#262626")
NEIGHBOUR_FILL = "#f7f7f7"
MIN_HOLE_DEG2 = 0.005


def _grey(events: int) -> str:
    if not events:
        return GREYS[0]
    for i, (lo, hi) in enumerate(CLASSES, start=1):
        if events >= lo and (hi is None or events <= hi):
            return GREYS[i]
    return GREYS[-1]


def admin_map_svg(bset, countries, areas: list[dict], cells: list[dict], lang: str) -> str:
    """SVG of the countries' admin1 units shaded by events, with the cells that hold events."""
    from shapely.geometry import Polygon, box

    from ..places import grid

    polys = []  # (country, code, name, geom, is_admin1)
    for c in countries:
        if (c, 1) in bset.layers:
            ly = bset.layer(c, 1)
            polys += [(c, code, name, g, True) for code, name, g in zip(ly.codes, ly.names, ly.geoms)]
        elif (c, 0) in bset.layers:
            ly = bset.layer(c, 0)
            polys += [(c, c, c, g, False) for g in ly.geoms]
    if not polys:
        return ""
    minx = min(p[3].bounds[0] for p in polys)
    miny = min(p[3].bounds[1] for p in polys)
    maxx = max(p[3].bounds[2] for p in polys)
    maxy = max(p[3].bounds[3] for p in polys)
    pad = 0.3
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    kx = math.cos(math.radians((miny + maxy) / 2))
    scale = WIDTH / ((maxx - minx) * kx)
    height = (maxy - miny) * scale
    frame = box(minx, miny, maxx, maxy)

    def pt(x, y):
        return f"{(x - minx) * kx * scale:.1f},{(maxy - y) * scale:.1f}"

    def path(geom) -> str:
        geom = geom.simplify(0.5 / scale * 2, preserve_topology=True)
        parts = []
        for poly in getattr(geom, "geoms", [geom]):
            if poly.geom_type != "Polygon":
                continue
            # the bundled boundaries carry sliver holes (gaps between source polygons): drawn, they
            # speckle the map; holes under ~50 km2 are left out
            holes = [r for r in poly.interiors if Polygon(r).area >= MIN_HOLE_DEG2]
            for ring in (poly.exterior, *holes):
                xs = [pt(x, y) for x, y in ring.coords]
                parts.append("M" + "L".join(xs) + "Z")
        return "".join(parts)

    events = {(r.get("country_iso3"), r.get("admin1_code")): int(r.get("events") or 0) for r in areas}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 {WIDTH} {height + 46:.0f}" '
           f'width="{WIDTH}" height="{height + 46:.0f}" font-family="DejaVu Sans" font-size="9">',
           f'<rect x="0" y="0" width="{WIDTH}" height="{height:.1f}" fill="#ffffff" stroke="#000" '
           'stroke-width="0.5"/>']
    # neighbours for context, clipped to the frame
    for (c, lv), ly in sorted(bset.layers.items()):
        if lv == 0 and c not in countries:
            for g in ly.geoms:
                if g.intersects(frame):
                    out.append(f'<path d="{path(g.intersection(frame))}" fill="{NEIGHBOUR_FILL}" stroke="#999" '
                               'stroke-width="0.4"/>')
    for c, code, name, g, is_admin in polys:
        n = events.get((c, code), 0) if is_admin else 0
        title = f"{name} ({c}): {num(n, lang)}"
        out.append(f'<path d="{path(g)}" fill="{_grey(n)}" stroke="#000" stroke-width="0.4">'
                   f'<title>{escape(title)}</title></path>')
    for c in countries:
        if (c, 0) in bset.layers:
            for g in bset.layer(c, 0).geoms:
                out.append(f'<path d="{path(g)}" fill="none" stroke="#000" stroke-width="1.2"/>')
    top = max((int(r.get("fatalities_best") or 0) for r in cells), default=0)
    for r in cells:
        gid = r.get("priogrid_gid")
        if gid is None:
            continue
        x0, y0, x1, y1 = grid.bounds(int(gid))
        (ax, ay), (bx, by) = [tuple(map(float, pt(x, y).split(","))) for x, y in ((x0, y1), (x1, y0))]
        out.append(f'<rect x="{ax:.1f}" y="{ay:.1f}" width="{bx - ax:.1f}" height="{by - ay:.1f}" fill="none" '
                   'stroke="#000" stroke-width="0.7"/>')
        f = int(r.get("fatalities_best") or 0)
        if f and top:
            rad = 1.0 + 5.0 * math.sqrt(f / top)
            out.append(f'<circle cx="{(ax + bx) / 2:.1f}" cy="{(ay + by) / 2:.1f}" r="{rad:.1f}" fill="#000" '
                       'stroke="#fff" stroke-width="0.5"/>')
    # legend
    y = height + 10
    labels = ["0"] + [f"{lo}–{hi}" if hi else f"{lo}+" for lo, hi in CLASSES]
    x = 4
    for grey, lab in zip(GREYS, labels):
        out.append(f'<rect x="{x}" y="{y:.1f}" width="14" height="10" fill="{grey}" stroke="#000" '
                   'stroke-width="0.5"/>')
        out.append(f'<text x="{x + 18}" y="{y + 8.5:.1f}">{lab}</text>')
        x += 56
    word = "événements par unité admin1" if lang == "fr" else "events per admin1 area"
    out.append(f'<text x="{x + 4}" y="{y + 8.5:.1f}">{word}</text>')
    y += 18
    out.append(f'<rect x="4" y="{y:.1f}" width="12" height="12" fill="none" stroke="#000" stroke-width="0.7"/>')
    cell_word = ("cellule PRIO-GRID (0,5°) avec événements ; point : morts" if lang == "fr"
                 else "PRIO-GRID cell (0.5°) with events; dot: fatalities")
    out.append(f'<circle cx="10" cy="{y + 6:.1f}" r="3" fill="#000"/>')
    out.append(f'<text x="22" y="{y + 9.5:.1f}">{escape(cell_word)}</text>')
    out.append("</svg>")
    return "".join(out)
