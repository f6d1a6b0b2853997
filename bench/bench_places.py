"""Places benchmark (issue 3): admin1/admin2 + PRIO-GRID gid for 1,000,000 Sahel events.

    .venv/bin/python bench/bench_places.py [--events 1000000] [--naive 5000] [--seed 1] [--repeat 3]

Events: seeded numpy. 70% are drawn near real GeoNames towns of MLI, BFA, NER and
MRT (Gaussian jitter, sd 0.05°), 30% uniformly inside the Natural Earth outline
of one of the six countries (TCD and NGA have no bundled gazetteer, so theirs are
all uniform); 1% are given a wrong stated country, 0.1% no coordinates.

1. sahelwatch: ``places.with_places`` (gid via a Polars expression + vectorised
   STRtree point-in-polygon at both levels + border tolerance + country check);
   the first run includes loading the bundled boundaries, the others are warm.
2. naive: for each point, loop over the admin2 polygons and then the admin1
   polygons calling ``polygon.contains(Point)`` until one holds it (unprepared
   shapely geometries; no tolerance, no country check: it does less work).
   Run on a subsample of ``--naive`` points and extrapolated linearly to the
   full count: the per-point cost does not depend on the sample size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time


def generate(n: int, seed: int):
    import numpy as np
    import polars as pl
    import shapely

    from sahelwatch.places import gazetteer
    from sahelwatch.places.boundaries import BoundarySet

    rng = np.random.default_rng(seed)
    countries = np.array(["MLI", "BFA", "NER", "NGA", "TCD", "MRT"])
    share = np.array([0.28, 0.30, 0.14, 0.18, 0.06, 0.04])
    iso = rng.choice(countries, size=n, p=share)
    lat = np.empty(n)
    lon = np.empty(n)
    towns = gazetteer.places().select("country_iso3", "latitude", "longitude")
    outlines = BoundarySet.bundled().index(0)
    near_town = rng.random(n) < 0.7
    for c in countries:
        sel = np.flatnonzero(iso == c)
        t = towns.filter(pl.col("country_iso3") == c)
        use_town = near_town[sel] & (t.height > 0)
        k = int(use_town.sum())
        if k:
            pick = rng.integers(0, t.height, size=k)
            lat[sel[use_town]] = t["latitude"].to_numpy()[pick] + rng.normal(0, 0.05, k)
            lon[sel[use_town]] = t["longitude"].to_numpy()[pick] + rng.normal(0, 0.05, k)
        rest = sel[~use_town]
        ids, _ = outlines.by_country[c]
        outline = shapely.union_all(outlines.geoms[ids])
        shapely.prepare(outline)
        x0, y0, x1, y1 = outline.bounds
        filled = 0
        while filled < len(rest):
            m = (len(rest) - filled) * 3
            xs, ys = rng.uniform(x0, x1, m), rng.uniform(y0, y1, m)
            ok = shapely.contains_xy(outline, xs, ys)
            xs, ys = xs[ok][: len(rest) - filled], ys[ok][: len(rest) - filled]
            lon[rest[filled: filled + len(xs)]] = xs
            lat[rest[filled: filled + len(xs)]] = ys
            filled += len(xs)
    wrong = rng.random(n) < 0.01
    iso = iso.astype(object)
    iso[wrong] = rng.choice(countries, size=int(wrong.sum()))
    missing = rng.random(n) < 0.001
    lat[missing] = np.nan
    lon[missing] = np.nan
    return pl.DataFrame({"latitude": lat, "longitude": lon, "country_iso3": iso.astype(str)}).with_columns(
        pl.col("latitude").fill_nan(None), pl.col("longitude").fill_nan(None)
    )


def naive(df, bset) -> float:
    """Seconds per point of the polygon loop."""
    from shapely.geometry import Point

    import shapely

    # Unprepared copies: the index's prepared geometries would make the naive loop faster than naive.
    polys2 = list(shapely.from_wkb(shapely.to_wkb(bset.index(2).geoms)))
    polys1 = list(shapely.from_wkb(shapely.to_wkb(bset.index(1).geoms)))
    rows = df.drop_nulls(["latitude", "longitude"]).select("latitude", "longitude").rows()
    t = time.perf_counter()
    hits = 0
    for lat, lon in rows:
        p = Point(lon, lat)
        for polys in (polys2, polys1):
            for poly in polys:
                if poly.contains(p):
                    hits += 1
                    break
    return (time.perf_counter() - t) / len(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--naive", type=int, default=5_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    from sahelwatch import places
    from sahelwatch.places.boundaries import BoundarySet, _bundled

    t = time.perf_counter()
    df = generate(args.events, args.seed)
    print(f"generated {df.height:,} events in {time.perf_counter() - t:.1f} s (seed {args.seed})")
    _bundled.cache_clear()
    runs = []
    for i in range(args.repeat):
        t = time.perf_counter()
        out = places.with_places(df)
        runs.append(time.perf_counter() - t)
        print(f"  run {i + 1}: {runs[-1]:.2f} s{' (cold: includes loading the bundled boundaries)' if i == 0 else ''}")
    warm = statistics.median(runs[1:]) if len(runs) > 1 else runs[0]
    print(f"sahelwatch with_places: cold {runs[0]:.2f} s, warm median {warm:.2f} s "
          f"-> {df.height / warm:,.0f} events/s (target < 10 s)")
    counts = out.group_by("admin_match").len().sort("admin_match")
    print("admin_match:", ", ".join(f"{r['admin_match']}={r['len']:,}" for r in counts.iter_rows(named=True)))
    print(f"gid null: {out['priogrid_gid'].null_count():,}")
    sample = df.sample(n=min(args.naive, df.height), seed=args.seed)
    per_point = naive(sample, BoundarySet.bundled())
    naive_total = per_point * df.height
    print(f"naive polygon loop: {per_point * 1e6:.0f} us/point on {sample.height:,} points "
          f"-> {1 / per_point:,.0f} events/s; extrapolated to {df.height:,}: {naive_total:,.0f} s")
    print(f"speed-up (warm): {naive_total / warm:,.0f}x; (cold): {naive_total / runs[0]:,.0f}x (target >= 20x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
