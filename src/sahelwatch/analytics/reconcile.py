"""Match events of two sources that describe the same incident (ACLED and UCDP GED...).

Candidates: a left and a right event whose date ranges are at most ``days`` apart and
whose coordinates are at most ``km`` apart (haversine, mean Earth radius), of compatible
types (``COMPATIBILITY``). Each candidate pair gets a score in [0, 1]::

    score = 0.3 * time + 0.3 * distance + 0.2 * type + 0.2 * fatalities
    time       = 1 - gap_days / (days + 1)          (1 on the same day)
    distance   = 1 - km_apart / km                  (1 at the same point)
    type       = COMPATIBILITY[left kind][right kind]
    fatalities = 1 when one side's best lies within the other's low..high range, else
                 1 - |best_l - best_r| / max(best_l, best_r)

Pairs scoring at least ``min_score`` are matched one-to-one, greedily from the highest
score (ties: nearer, then closer in time, then by event keys — deterministic). The union
view lists every event once: a matched incident as one row with the preferred side's
values (``prefer``, default the left side) and both keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from ..domain.errors import UsageError
from ._warning_base import FAMILIES, in_list

EARTH_RADIUS_KM = 6371.0088
WEIGHTS = {"time": 0.3, "distance": 0.3, "type": 0.2, "fatalities": 0.2}
#: Kind of an event: its UCDP type of violence (``ucdp:1`` state-based, ``ucdp:2``
#: non-state, ``ucdp:3`` one-sided) or its harmonised category.
COMPATIBILITY = {
    "battle": {"ucdp:1": 1.0, "ucdp:2": 1.0, "ucdp:3": 0.3, "battle": 1.0, "explosion_remote": 0.5,
               "violence_against_civilians": 0.3, "riot": 0.2},
    "explosion_remote": {"ucdp:1": 1.0, "ucdp:2": 0.7, "ucdp:3": 0.7, "battle": 0.5, "explosion_remote": 1.0,
                         "violence_against_civilians": 0.5},
    "violence_against_civilians": {"ucdp:1": 0.3, "ucdp:2": 0.3, "ucdp:3": 1.0, "battle": 0.3,
                                   "explosion_remote": 0.5, "violence_against_civilians": 1.0, "riot": 0.5},
    "riot": {"ucdp:2": 0.5, "ucdp:3": 0.5, "battle": 0.2, "violence_against_civilians": 0.5, "riot": 1.0},
}
MATCHABLE = ("battle", "explosion_remote", "violence_against_civilians", "riot")
_COLS = ("event_key", "source", "date_start", "date_end", "country_iso3", "admin1", "location", "latitude",
         "longitude", "category", "type_of_violence", "sub_event_type", "actor1", "actor2",
         "fatalities_best", "fatalities_low", "fatalities_high")


@dataclass(frozen=True)
class MatchSettings:
    days: int = 1
    km: float = 25.0
    min_score: float = 0.5
    prefer: str = "left"

    def __post_init__(self):
        if self.days < 0:
            raise UsageError(f"--days must be >= 0, got {self.days}")
        if not self.km > 0:
            raise UsageError(f"--km must be > 0, got {self.km}")
        if not 0 <= self.min_score <= 1:
            raise UsageError(f"--min-score must be within 0..1, got {self.min_score}")
        if self.prefer not in ("left", "right"):
            raise UsageError(f"unknown --prefer {self.prefer!r}", choices=["left", "right"])

    def to_dict(self) -> dict:
        return {**asdict(self), "weights": WEIGHTS}


def side_sources(name: str, present: list[str], flag: str) -> tuple[str, ...]:
    choices = sorted(set(present) | {f for f, n in FAMILIES.items() if set(n) & set(present)})
    if name in FAMILIES:
        names = tuple(s for s in FAMILIES[name] if s in present)
    else:
        names = (name,) if name in present else ()
    if not names:
        raise UsageError(f"{flag} {name!r}: no such source in the store", choices=choices)
    return names


def _kind_sql() -> str:
    return "CASE WHEN type_of_violence IS NOT NULL THEN 'ucdp:' || CAST(type_of_violence AS VARCHAR) ELSE category END"


def _side(sources, start, end, countries) -> str:
    where = [f"source IN {in_list(sources)}", f"category IN {in_list(MATCHABLE)}", "date_start IS NOT NULL"]
    if start:
        where.append(f"COALESCE(date_end, date_start) >= DATE '{start}'")
    if end:
        where.append(f"date_start <= DATE '{end}'")
    if countries:
        where.append(f"country_iso3 IN {in_list(countries)}")
    cols = ", ".join(_COLS)
    return (f"SELECT {cols}, COALESCE(date_end, date_start) AS d_end, {_kind_sql()} AS kind "
            f"FROM events WHERE {' AND '.join(where)}")


def candidates(con, left, right, s: MatchSettings, *, start=None, end=None, countries=()):
    """Every candidate pair within the date window and distance, with its score parts."""
    import polars as pl

    lat_deg = s.km / (EARTH_RADIUS_KM * 3.141592653589793 / 180)
    hav = (f"2 * {EARTH_RADIUS_KM} * ASIN(SQRT(POWER(SIN(RADIANS(r.latitude - l.latitude) / 2), 2) + "
           f"COS(RADIANS(l.latitude)) * COS(RADIANS(r.latitude)) * "
           f"POWER(SIN(RADIANS(r.longitude - l.longitude) / 2), 2)))")
    gap = ("GREATEST(0, DATEDIFF('day', l.d_end, r.date_start), DATEDIFF('day', r.d_end, l.date_start))")
    # The date band is widened by the window so events with long ranges still meet.
    sql = (f"SELECT * FROM (SELECT l.event_key AS left_key, r.event_key AS right_key, l.kind AS left_kind, "
           f"r.kind AS right_kind, {gap} AS gap_days, {hav} AS km_apart, "
           f"l.fatalities_best AS lb, l.fatalities_low AS ll, l.fatalities_high AS lh, "
           f"r.fatalities_best AS rb, r.fatalities_low AS rl, r.fatalities_high AS rh "
           f"FROM ({_side(left, start, end, countries)}) l JOIN ({_side(right, start, end, countries)}) r "
           f"ON r.date_start <= l.d_end + INTERVAL {int(s.days)} DAY "
           f"AND r.d_end >= l.date_start - INTERVAL {int(s.days)} DAY "
           f"AND r.latitude BETWEEN l.latitude - {lat_deg!r} AND l.latitude + {lat_deg!r}) "
           f"WHERE gap_days <= {int(s.days)} AND km_apart <= {float(s.km)!r}")
    df = con.sql(sql).pl()
    compat = pl.DataFrame([(a, b, v) for a, row in COMPATIBILITY.items() for b, v in row.items()],
                          schema={"left_kind": pl.String, "right_kind": pl.String, "type_score": pl.Float64},
                          orient="row")
    # symmetric: UCDP on the left, ACLED on the right
    compat = pl.concat([compat, compat.select(pl.col("right_kind").alias("left_kind"),
                                              pl.col("left_kind").alias("right_kind"), "type_score")]) \
        .unique(["left_kind", "right_kind"], keep="first")
    df = df.join(compat, on=["left_kind", "right_kind"], how="inner").filter(pl.col("type_score") > 0)
    lb, rb = pl.col("lb").fill_null(0), pl.col("rb").fill_null(0)
    ll, lh = pl.coalesce("ll", "lb").fill_null(0), pl.coalesce("lh", "lb").fill_null(0)
    rl, rh = pl.coalesce("rl", "rb").fill_null(0), pl.coalesce("rh", "rb").fill_null(0)
    within = ((lb >= rl) & (lb <= rh)) | ((rb >= ll) & (rb <= lh))
    big = pl.max_horizontal(lb, rb)
    fat = pl.when(within).then(1.0).otherwise(1 - (lb - rb).abs() / pl.when(big > 0).then(big).otherwise(1))
    df = df.with_columns(
        time_score=1 - pl.col("gap_days") / (s.days + 1),
        distance_score=1 - pl.col("km_apart") / s.km,
        fatalities_score=fat.clip(0, 1),
    )
    score = (WEIGHTS["time"] * pl.col("time_score") + WEIGHTS["distance"] * pl.col("distance_score")
             + WEIGHTS["type"] * pl.col("type_score") + WEIGHTS["fatalities"] * pl.col("fatalities_score"))
    return df.with_columns(score=score.round(4), km_apart=pl.col("km_apart").round(3)).select(
        "left_key", "right_key", "score", "gap_days", "km_apart", "left_kind", "right_kind", "time_score",
        "distance_score", "type_score", "fatalities_score")


def greedy(pairs, min_score: float):
    """One-to-one matching: the best-scoring remaining pair first."""
    import polars as pl

    ordered = pairs.filter(pl.col("score") >= min_score).sort(
        ["score", "km_apart", "gap_days", "left_key", "right_key"], descending=[True, False, False, False, False])
    used_l, used_r, keep = set(), set(), []
    for i, (lk, rk) in enumerate(zip(ordered["left_key"].to_list(), ordered["right_key"].to_list())):
        if lk in used_l or rk in used_r:
            continue
        used_l.add(lk)
        used_r.add(rk)
        keep.append(i)
    return ordered[keep]


def reconcile(con, left, right, s: MatchSettings, *, start: dt.date | None = None, end: dt.date | None = None,
              countries=()):
    """``dict`` of Polars frames: ``pairs``, ``left_unmatched``, ``right_unmatched``, ``union``,
    and ``candidates`` (the number of candidate pairs considered)."""
    if set(left) & set(right):
        raise UsageError("--left and --right name the same source: reconcile two different sources")
    if start and end and start > end:
        raise UsageError(f"empty date range: from {start} is after to {end}")
    cand = candidates(con, left, right, s, start=start, end=end, countries=countries)
    matched = greedy(cand, s.min_score)
    ev_l = con.sql(_side(left, start, end, countries)).pl()
    ev_r = con.sql(_side(right, start, end, countries)).pl()
    lcols = {c: f"left_{c}" for c in _COLS if c != "event_key"}
    rcols = {c: f"right_{c}" for c in _COLS if c != "event_key"}
    show = ["date_start", "country_iso3", "admin1", "location", "latitude", "longitude", "category",
            "type_of_violence", "fatalities_best", "actor1", "actor2", "source"]
    pairs = (matched.join(ev_l.select("event_key", *show).rename({c: lcols[c] for c in show}),
                          left_on="left_key", right_on="event_key", how="left")
             .join(ev_r.select("event_key", *show).rename({c: rcols[c] for c in show}),
                   left_on="right_key", right_on="event_key", how="left"))
    lu = ev_l.join(matched.select("left_key"), left_on="event_key", right_on="left_key", how="anti").drop("d_end", "kind")
    ru = ev_r.join(matched.select("right_key"), left_on="event_key", right_on="right_key", how="anti").drop("d_end", "kind")
    return {"pairs": pairs, "left_unmatched": lu.sort("date_start", "event_key"),
            "right_unmatched": ru.sort("date_start", "event_key"),
            "union": union(ev_l, ev_r, matched, s.prefer), "candidates": cand.height}


def union(ev_l, ev_r, matched, prefer: str):
    """Every event once: matched incidents as one row (the preferred side's values)."""
    import polars as pl

    first, second = (ev_l, ev_r) if prefer == "left" else (ev_r, ev_l)
    key_first, key_second = ("left_key", "right_key") if prefer == "left" else ("right_key", "left_key")
    link = matched.select(pl.col(key_first).alias("event_key"), pl.col(key_second).alias("matched_key"), "score")
    other = second.select(pl.col("event_key").alias("matched_key"), pl.col("source").alias("matched_source"),
                          pl.col("fatalities_best").alias("matched_fatalities_best"))
    cols = [c for c in _COLS]
    a = (first.select(cols).join(link, on="event_key", how="left").join(other, on="matched_key", how="left"))
    b = (second.join(matched.select(pl.col(key_second).alias("event_key")), on="event_key", how="anti")
         .select(cols).with_columns(pl.lit(None, pl.String).alias("matched_key"), pl.lit(None, pl.Float64).alias("score"),
                                    pl.lit(None, pl.String).alias("matched_source"),
                                    pl.lit(None, pl.Int64).alias("matched_fatalities_best")))
    out = pl.concat([a, b.select(a.columns)], how="vertical_relaxed")
    return out.with_columns(
        matched=pl.col("matched_key").is_not_null(),
        sources=pl.when(pl.col("matched_key").is_not_null())
        .then(pl.col("source") + pl.lit("+") + pl.col("matched_source")).otherwise(pl.col("source")),
    ).rename({"score": "match_score"}).sort("date_start", "event_key")
