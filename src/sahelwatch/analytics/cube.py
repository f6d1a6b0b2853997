"""The aggregation cube: unit x period x breakdown x measure, over a DuckDB ``events`` view.

:func:`make_spec` validates a request (every bad choice is a one-line
``UsageError`` listing the valid ones); :func:`run_cube` registers the helper
tables the request needs on the connection it is given (bloc membership months,
H3 cells, spread shares), runs the portable SQL of :mod:`.sqlcore`, and returns a
Polars frame plus a dict describing how the numbers were made. This module opens
no files: the caller (``Observatory.aggregate``) builds the connection.
"""

from __future__ import annotations

import datetime as dt

from ..domain.args import actor_list, category_list, choice, date_range, iso3_list, split_list
from ..domain.errors import UsageError
from . import periods as P
from . import sqlcore as S
from .sqlcore import CubeSpec

DEFAULT_MEASURES = ("events", "fatalities_best")
#: Source families: sources within a family complement each other (UCDP Candidate fills
#: the months after the latest GED release); different families describe the same violence.
FAMILIES = {"acled": "acled", "ucdp_ged": "ucdp", "ucdp_candidate": "ucdp"}
SHORTHANDS = {"ucdp": ("ucdp_ged", "ucdp_candidate")}
CITATIONS = {
    "acled": "Source: ACLED (aggregated by sahelwatch)",
    "ucdp": "Source: UCDP GED/Candidate, CC BY 4.0",
}
MEASURE_TEXT = {
    "events": "number of events (under precision 'spread': the sum of each event's shares)",
    "fatalities_best": "sum of the best fatality estimate (ACLED's single figure; UCDP 'best')",
    "fatalities_low": "sum of the low estimate (ACLED: equal to best; UCDP 'low')",
    "fatalities_high": "sum of the high estimate (ACLED: equal to best; UCDP 'high')",
    "civilian_fatalities": (
        "fatalities_best of events that target civilians: ACLED civilian_targeting = 'Civilian targeting' "
        "(all deaths in those events), UCDP one-sided violence (type_of_violence 3)"
    ),
    "actors": (
        "distinct named actors among actor1/actor2 (UCDP side_a/side_b), not counting unorganised groups "
        "named Civilians..., Protesters..., Rioters...; not additive: cells do not sum to their country"
    ),
}
PRECISION_TEXT = {
    "as-coded": "as-coded: every event at its given coordinates (weight 1)",
    "exact": "exact: only events located to a town or better (geo_precision 'exact')",
    "spread": (
        "spread: events located to an admin unit or a country are shared evenly over the PRIO-GRID cells "
        "whose centre lies in that unit; for admin units each share goes to the unit holding the cell centre"
    ),
}
MAX_COMPLETE_ROWS = 5_000_000


def expand_sources(sources, known: tuple[str, ...] = ()) -> tuple[str, ...]:
    """``ucdp`` -> ucdp_ged, ucdp_candidate; unknown names are refused (choices: the store's sources)."""
    out: list[str] = []
    for s in split_list(sources):
        s = s.lower()
        names = SHORTHANDS.get(s, (s,))
        if known and not any(n in known for n in names):
            valid = sorted(set(known) | {k for k, v in SHORTHANDS.items() if any(n in known for n in v)})
            raise UsageError(f"unknown source {s!r} (not in the store)", choices=valid)
        out += [n for n in names if n not in out]
    return tuple(out)


def make_spec(*, by: str = "country", period: str = "month", measures=None, breakdown=None, country=None,
              bloc=None, start=None, end=None, source=None, precision: str = "as-coded",
              membership: str = "dynamic", complete: bool = False, h3_resolution: int = 5,
              registry=None, known_sources: tuple[str, ...] = (), category=None, actor=None) -> CubeSpec:
    """Validate an aggregation request. ``registry`` is needed only when blocs are named."""
    from ..places.precision import check_policy

    unit = choice("unit", by or "country", S.UNITS)
    per = P.check_period(period or "month")
    ms = tuple(dict.fromkeys(m.lower() for m in split_list(measures))) or DEFAULT_MEASURES
    for m in ms:
        choice("measure", m, S.MEASURES)
    bd = tuple(dict.fromkeys(b.lower().replace("-", "_") for b in split_list(breakdown)))
    for b in bd:
        choice("breakdown", b, S.BREAKDOWNS)
    cs = iso3_list(country)
    s, e = date_range(start, end)
    pol = check_policy(precision or "as-coded")
    if pol == "spread" and unit == "h3":
        raise UsageError("precision 'spread' shares events over PRIO-GRID cells; with --by h3 use",
                         choices=["exact", "as-coded"])
    blocs: tuple[str, ...] = ()
    if split_list(bloc):
        if registry is None:
            raise UsageError("--bloc needs the bloc registry")
        blocs = tuple(dict.fromkeys(registry.organisation(b).id for b in split_list(bloc)))
    if unit == "bloc" and not blocs:
        choices = sorted(o.id for o in registry.organisations()) if registry is not None else None
        raise UsageError("--by bloc needs --bloc NAME", choices=choices)
    from ..blocs.membership import parse_rule

    parse_rule(membership or "dynamic")
    res = int(h3_resolution)
    if not 0 <= res <= 15:
        raise UsageError(f"H3 resolution {res} outside 0..15")
    return CubeSpec(unit=unit, period=per, measures=ms, breakdown=bd, countries=cs, blocs=blocs, start=s, end=e,
                    sources=expand_sources(source, known_sources), precision=pol,
                    membership=(membership or "dynamic").strip(), complete=bool(complete), h3_resolution=res,
                    store_sources=tuple(sorted(known_sources)), categories=category_list(category),
                    actors=actor_list(actor))


# -- helpers registered on the connection ------------------------------------------------------


def coverage(con, sources: tuple[str, ...] = (), table: str = "events"):
    """Per source: first and last event date in the store (Polars)."""
    sql, params = S.coverage_sql(sources, table)
    return con.sql(sql, params=params).pl()


def _register(con, name: str, frame) -> None:
    con.register(name, frame.to_arrow())


def _bloc_tables(con, spec: CubeSpec, registry, first: dt.date, last: dt.date):
    """Register member months of the asked blocs; returns the membership frame (member rows)."""
    import polars as pl

    from ..blocs.membership import membership_months

    if spec.period in ("week", "acled-week"):
        first = P.start_of(first, spec.period)
    frames = [membership_months(registry, b, first, last, spec.membership) for b in spec.blocs]
    mm = pl.concat(frames).filter(pl.col("member"))
    _register(con, S.BLOC_MONTHS, mm.select("bloc", "country_iso3", "month"))
    _register(con, S.BLOC_FILTER, mm.select("country_iso3", "month").unique())
    return mm


ADMIN_COLUMNS = ("country_key", "latitude", "longitude", "admin1_code", "admin1_name", "admin2_code",
                 "admin2_name", "admin_match")


def admin_lookup(con, bset, known=None):
    """Admin units of every distinct place (stated country, latitude, longitude) of the
    ``events`` view, by :func:`sahelwatch.places.assign_admin`. Places already in ``known``
    (an earlier lookup with the same boundary set) are not computed again."""
    import polars as pl

    from ..places import assign_admin

    places = con.sql(S.places_sql()).pl()
    schema = {"country_iso3": pl.String, "latitude": pl.Float64, "longitude": pl.Float64}
    places = places.cast(schema) if places.height else pl.DataFrame(schema=schema)
    places = places.with_columns(pl.col("country_iso3").fill_null("").alias("country_key"))
    keys = ["country_key", "latitude", "longitude"]
    if known is not None and known.height:
        known = known.select(ADMIN_COLUMNS).join(places, on=keys, how="semi")
        places = places.join(known, on=keys, how="anti")
    new = None
    if places.height:
        stated = places.with_columns(pl.when(pl.col("country_key") == "").then(None)
                                     .otherwise(pl.col("country_key")).alias("country_iso3"))
        new = assign_admin(stated, bset).select(ADMIN_COLUMNS)
    parts = [f for f in (known, new) if f is not None and f.height]
    if not parts:
        return pl.DataFrame(schema={c: (pl.Float64 if c in ("latitude", "longitude") else pl.String)
                                    for c in ADMIN_COLUMNS})
    return pl.concat(parts, how="vertical_relaxed")


def _h3_table(con, spec: CubeSpec) -> None:
    import polars as pl

    from ..places.grid import h3_expr

    sql, params = S.distinct_coords_sql(spec)
    coords = con.sql(sql, params=params).pl()
    if coords.height == 0:
        coords = pl.DataFrame(schema={"latitude": pl.Float64, "longitude": pl.Float64})
    cells = coords.with_columns(h3_expr(pl.col("latitude"), pl.col("longitude"), spec.h3_resolution).alias("h3_cell"))
    _register(con, S.H3, cells)


def _cell_admin(bset):
    """Per PRIO-GRID cell: the admin1 and admin2 unit holding its centre (per country)."""
    import polars as pl

    from ..places.spread import unit_cells

    def level(lv: int):
        cells = unit_cells(bset, lv)
        parts = cells["unit_key"].str.split_exact(":", 2).struct.rename_fields(["lv", "iso", "code"]).alias("k")
        cells = cells.with_columns(parts).unnest("k")
        names = [(c, code, nm) for (c, l_), ly in bset.layers.items() if l_ == lv for code, nm in zip(ly.codes, ly.names)]
        nm = pl.DataFrame(names, schema={"iso": pl.String, "code": pl.String, "name": pl.String}, orient="row")
        return cells.join(nm, on=["iso", "code"], how="left").select(
            "priogrid_gid", pl.col("iso").alias("country_iso3"),
            pl.col("code").alias(f"admin{lv}_code"), pl.col("name").alias(f"admin{lv}_name"))

    return level(1).join(level(2), on=["priogrid_gid", "country_iso3"], how="full", coalesce=True)


def _spread_table(con, spec: CubeSpec, bset) -> None:
    """Each event's shares under ``spread``: cell, admin unit of the share, weight."""
    import polars as pl

    from ..places import spread_weights

    sql, params = S.spread_input_sql(spec)
    ev = con.sql(sql, params=params).pl()
    w = spread_weights(ev.drop("event_key"), "spread", bset)
    own = ev.with_row_index("row_nr").with_columns(pl.col("row_nr").cast(pl.Int64)).select(
        "row_nr", "event_key", "country_iso3", "admin1_code", "admin1_name", "admin2_code", "admin2_name")
    w = w.join(own, on="row_nr", how="left")
    stays = w.filter(pl.col("spread_over") == "cell")
    moves = w.filter(pl.col("spread_over") != "cell").drop("admin1_code", "admin1_name", "admin2_code", "admin2_name")
    moves = moves.join(_cell_admin(bset), on=["priogrid_gid", "country_iso3"], how="left")
    cols = ["event_key", "priogrid_gid", "admin1_code", "admin1_name", "admin2_code", "admin2_name", "weight"]
    out = pl.concat([stays.select(cols), moves.select(cols)], how="vertical_relaxed")
    _register(con, S.SPREAD, out)


# -- the query ----------------------------------------------------------------------------------


def _int_or_float(df, measures, weighted: bool):
    import polars as pl

    casts = []
    for m in measures:
        if m in df.columns:
            t = pl.Float64 if (weighted and m != "actors") else pl.Int64
            casts.append(pl.col(m).cast(t).fill_null(0))
    return df.with_columns(casts) if casts else df


def _check_families(present: list[str], spec: CubeSpec) -> list[str]:
    fams = sorted({FAMILIES.get(s, s) for s in present})
    if len(fams) > 1 and "source" not in spec.breakdown:
        raise UsageError(
            f"the selection holds events of {' and '.join(fams)}, which record the same violence: adding them "
            f"would double count; pick one with --source or use --breakdown source",
            choices=sorted(set(present) | ({"ucdp"} if "ucdp" in fams else set())))
    return fams


def _families(sources) -> list[str]:
    return sorted({FAMILIES.get(s, s) for s in sources})


def _bloc_range(spec: CubeSpec, registry, con, table: str = "events") -> tuple[dt.date, dt.date]:
    """Months to read membership for: the asked dates, else from the earliest accession to
    today, narrowed to the data when that span is long (membership is read month by month)."""
    opens = [registry.interval(o, m)[0] for o in (registry.organisation(b) for b in spec.blocs) for m in o.members]
    first = max([d for d in (spec.start, min(opens, default=None)) if d is not None], default=dt.date(1900, 1, 1))
    last = spec.end or dt.date.today()
    if (last - first).days > 3650:
        cov = coverage(con, spec.sources, table)
        if cov.height:
            first = max(first, cov["first_date"].min())
            last = min(last, cov["last_date"].max())
    return first, max(first, last)


def _apply_membership(df, spec: CubeSpec, mm, keys: list[str], measures: list[str]):
    """Keep the (country, month) groups that count for the bloc(s) and add them up by ``keys``."""
    import polars as pl

    members = mm.select("bloc", "country_iso3", pl.col("month").alias("member_month"))
    on = ["country_iso3", "member_month"]
    if spec.unit == "bloc":
        df = df.join(members, on=on, how="inner")
    else:
        df = df.join(members.select(on).unique(), on=on, how="semi")
    return df.group_by(keys, maintain_order=True).agg([pl.col(m).sum() for m in measures])


def run_cube(con, spec: CubeSpec, *, registry=None, boundaries=None, with_coverage: bool = False, admin=None,
             rollup: bool = False):
    """Run ``spec`` on ``con`` (which has the ``events`` view). ``admin``: the
    :func:`admin_lookup` frame, needed for admin units and ``spread`` (``True``: the caller has
    already registered it as ``sw_admin``; None: computed here). ``rollup``: ``con`` also has
    the view ``events_rollup`` (:func:`sqlcore.rollup_sql`), used when the request allows it.
    Returns ``(frame, info)``;
    ``info['coverage']`` (first and last event date per source in the store) is computed when
    ``with_coverage`` or ``spec.complete``."""
    import polars as pl

    measures = list(spec.measures)
    cand = spec.sources or spec.store_sources
    info: dict = {"warnings": [], "sources": list(cand), "families": _families(cand)}
    table = spec.rollup_view if rollup and spec.rollup_eligible else "events"
    if spec.complete or with_coverage:
        info["coverage"] = coverage(con, spec.sources, table)
        if info["coverage"].height == 0:
            return _empty(spec, measures), info
    mm = None
    if spec.blocs:
        first, last = _bloc_range(spec, registry, con, table)
        mm = _bloc_tables(con, spec, registry, first, last)
        members = sorted(set(mm["country_iso3"].to_list()))
        if spec.countries:
            members = [c for c in members if c in spec.countries]
        if not members:
            info["warnings"].append("no state was a member of " + ", ".join(spec.blocs) + " in the date range")
            return _empty(spec, measures), info
        last_month = mm["month"].max()
        bloc_to = P.end_of(last_month, "month")
        if spec.period in ("week", "acled-week"):
            bloc_to += dt.timedelta(days=6)  # a week counts with its first day's month
        spec = _replace(spec, bloc_countries=tuple(members), bloc_from=mm["month"].min(), bloc_to=bloc_to)
        info["membership"] = mm
    if spec.needs_admin and admin is not True:
        if admin is None:
            from ..places import BoundarySet

            admin = admin_lookup(con, boundaries or BoundarySet.bundled())
        _register(con, S.ADMIN, admin)
    if rollup and spec.rollup_eligible:
        spec = _replace(spec, rolled=True)
    if spec.unit == "h3":
        _h3_table(con, spec)
    if spec.spread:
        from ..places import BoundarySet

        _spread_table(con, spec, boundaries or BoundarySet.bundled())

    # Sources are kept apart in SQL only when the store could hold two families (ACLED and
    # UCDP): then the result says which ones the selection really holds before any adding up.
    by_source = not cand or len(_families(cand)) > 1
    sql, params = S.measures_sql(spec, by_source=by_source)
    df = con.sql(sql, params=params).pl()
    keys = S.key_names(spec, by_source=False)
    add = [m for m in measures if m in S.ADDITIVE]
    if spec.blocs:
        df = _apply_membership(df, spec, mm, S.key_names(spec, by_source=by_source), add or ["events"])
    if by_source and "source" not in spec.breakdown:
        present = sorted(set(df["source"].to_list()))
        info["sources"], info["families"] = present, _check_families(present, spec)
        df = df.group_by(keys, maintain_order=True).agg([pl.col(m).sum() for m in add or ["events"]])
    elif "source" in spec.breakdown:
        info["sources"] = sorted(set(df["source"].to_list()))
        info["families"] = _families(info["sources"])
    else:
        _check_families(cand, spec)
    df = df.select(keys + add) if add else df.select(keys)
    if "actors" in measures:
        sql, params = S.actors_sql(spec)
        act = con.sql(sql, params=params).pl()
        df = df.join(act, on=keys, how="full", coalesce=True, nulls_equal=True) if add else act
    df = _int_or_float(df, measures, spec.weighted)
    if spec.complete:
        cov = info["coverage"]
        cov = cov.filter(pl.col("source").is_in(info["sources"])) if info["sources"] else cov
        first = spec.start or cov["first_date"].min()
        last = spec.end or cov["last_date"].max()
        df = _complete(df, spec, keys, measures, first, last)
    df = _decorate(df, spec, mm)
    return _order(df, spec, measures), info


def _replace(spec: CubeSpec, **kw) -> CubeSpec:
    from dataclasses import replace

    return replace(spec, **kw)


def _empty(spec: CubeSpec, measures):
    import polars as pl

    types = {"country_iso3": pl.String, "admin1_code": pl.String, "admin1_name": pl.String,
             "admin2_code": pl.String, "admin2_name": pl.String, "priogrid_gid": pl.Int64, "h3_cell": pl.String,
             "bloc": pl.String, "period_start": pl.Date, "type_of_violence": pl.Int64, "interaction": pl.Int64}
    keys = S.key_names(spec, by_source=False)
    schema = {k: types.get(k, pl.String) for k in keys}
    schema |= {m: (pl.Float64 if spec.weighted and m != "actors" else pl.Int64) for m in measures}
    return _order(_decorate(pl.DataFrame(schema=schema), spec, None), spec, measures)


def _complete(df, spec: CubeSpec, keys: list[str], measures, first: dt.date, last: dt.date):
    """Every unit x period x breakdown value, with zeros where nothing happened."""
    import polars as pl

    starts = P.period_range(first, last, spec.period)
    per = pl.DataFrame({"period_start": starts}, schema={"period_start": pl.Date})
    ukeys = list(S.UNIT_KEYS[spec.unit])
    units = df.select(ukeys).unique()
    extra = []
    if spec.unit == "country" and spec.countries:
        extra = list(spec.countries)
    elif spec.unit == "bloc":
        extra = list(spec.blocs)
    if extra:
        units = pl.concat([units, pl.DataFrame({ukeys[0]: extra}, schema={ukeys[0]: pl.String})]).unique()
    grid = units.join(per, how="cross")
    if spec.breakdown:
        grid = grid.join(df.select(list(spec.breakdown)).unique(), how="cross")
    if grid.height > MAX_COMPLETE_ROWS:
        raise UsageError(f"--complete would make {grid.height:,} rows; narrow the selection "
                         f"(fewer units, a longer period or a shorter date range)")
    grid = grid.cast({c: df.schema[c] for c in grid.columns if c in df.columns})
    out = grid.join(df, on=keys, how="left", nulls_equal=True)
    return out.with_columns([pl.col(m).fill_null(0) for m in measures])


def _decorate(df, spec: CubeSpec, mm):
    """Period labels, country names, cell centres, bloc member counts."""
    import polars as pl

    df = P.label_frame(df, spec.period)
    if "country_iso3" in df.columns:
        from ..domain import countries as C

        isos = [c for c in df["country_iso3"].unique().drop_nulls().to_list()]
        names = {}
        for c in isos:
            try:
                names[c] = C.name(c)
            except UsageError:  # a code the crosswalk lacks: leave the name empty
                names[c] = None
        df = df.with_columns(pl.col("country_iso3").replace_strict(names, default=None, return_dtype=pl.String)
                             .alias("country_name"))
    if spec.unit == "priogrid":
        from ..places.grid import NCOLS

        g = pl.col("priogrid_gid") - 1
        df = df.with_columns(((g // NCOLS) * 0.5 - 89.75).alias("latitude"), ((g % NCOLS) * 0.5 - 179.75).alias("longitude"))
    if spec.unit == "h3":
        df = _h3_centres(df)
    if spec.unit == "bloc" and mm is not None:
        df = df.join(_members_per_period(mm, spec), on=["bloc", "period_start"], how="left").with_columns(
            pl.col("members").fill_null(0))
    elif spec.unit == "bloc":
        df = df.with_columns(pl.lit(0, dtype=pl.Int64).alias("members"))
    return df


def _h3_centres(df):
    import polars as pl

    from ..places.grid import _h3

    h3 = _h3()
    cells = df["h3_cell"].unique().drop_nulls().to_list()
    ll = [h3.cell_to_latlng(c) for c in cells]
    lut = pl.DataFrame({"h3_cell": cells, "latitude": [x[0] for x in ll], "longitude": [x[1] for x in ll]},
                       schema={"h3_cell": pl.String, "latitude": pl.Float64, "longitude": pl.Float64})
    return df.join(lut, on="h3_cell", how="left", maintain_order="left")


def _members_per_period(mm, spec: CubeSpec):
    """Distinct member states counted in each bloc-period (the states whose events the row holds)."""
    import polars as pl

    if spec.period in ("week", "acled-week", "day"):
        # A week counts its first day's month; the caller joins on period_start, so expand months to periods.
        return (mm.group_by("bloc", "month").agg(pl.col("country_iso3").n_unique().alias("members").cast(pl.Int64))
                .join(_periods_of_months(mm["month"].unique().to_list(), spec.period), on="month")
                .select("bloc", "period_start", "members"))
    starts = mm["month"].map_elements(lambda m: P.start_of(m, spec.period), return_dtype=pl.Date)
    return (mm.with_columns(starts.alias("period_start")).group_by("bloc", "period_start")
            .agg(pl.col("country_iso3").n_unique().cast(pl.Int64).alias("members")))


def _periods_of_months(months, period: str):
    import polars as pl

    rows = []
    for m in months:
        nxt = P.next_start(m, "month")
        for s in P.period_range(m, nxt - dt.timedelta(days=1), period):
            if period == "day" or s.replace(day=1) == m:
                rows.append((m, s))
    return pl.DataFrame(rows, schema={"month": pl.Date, "period_start": pl.Date}, orient="row")


def _order(df, spec: CubeSpec, measures):
    ukeys = list(S.UNIT_KEYS[spec.unit])
    cols = ukeys[:1] + (["country_name"] if "country_name" in df.columns else []) + ukeys[1:]
    if spec.unit in ("priogrid", "h3"):
        cols += ["latitude", "longitude"]
    if spec.unit == "bloc":
        cols.append("members")
    cols += ["period", "period_start", "period_end", *spec.breakdown, *measures]
    sort = [c for c in ukeys + ["period_start", *spec.breakdown]]
    return df.select([c for c in cols if c in df.columns]).sort(sort, nulls_last=True)


def describe(spec: CubeSpec) -> dict:
    """How the numbers are made, in words (goes into the result's meta)."""
    from ..blocs.membership import describe_rule

    out = {
        "unit": spec.unit,
        "period": spec.period,
        "period_convention": P.CONVENTIONS[spec.period],
        "measures": {m: MEASURE_TEXT[m] for m in spec.measures},
        "breakdown": list(spec.breakdown),
        "precision": spec.precision,
        "precision_rule": PRECISION_TEXT[spec.precision]
        + ("" if spec.unit in ("priogrid", "admin1", "admin2") or spec.precision != "spread"
           else " (no effect at this unit: every event stays in its country)"),
        "filters": {"country": list(spec.countries), "bloc": list(spec.blocs),
                    "from": spec.start.isoformat() if spec.start else None,
                    "to": spec.end.isoformat() if spec.end else None, "source": list(spec.sources),
                    "category": list(spec.categories), "actor": list(spec.actors)},
        "complete": spec.complete,
    }
    if spec.unit in ("admin1", "admin2"):
        out["admin_units"] = ("admin codes computed by sahelwatch (point-in-polygon on the store's boundary set), "
                              "not the source's own admin names; events in no unit have null codes")
    if spec.unit == "h3":
        out["h3_resolution"] = spec.h3_resolution
    if "actor" in spec.breakdown:
        out["actor_breakdown"] = ("an event counts once for each of its distinct actors (actor1, actor2): "
                                  "breakdown totals exceed event totals")
    if spec.blocs:
        from .notes_fr import translate

        out["membership_rule"] = describe_rule(spec.membership)
        out["membership_rule_fr"] = translate(out["membership_rule"], "fr")
        if spec.period in ("week", "acled-week"):
            out["membership_rule"] += "; a week counts with the membership of the month of its first day"
            out["membership_rule_fr"] += " ; une semaine compte avec l'appartenance du mois de son premier jour"
    return out


__all__ = [
    "CITATIONS",
    "DEFAULT_MEASURES",
    "FAMILIES",
    "MEASURE_TEXT",
    "CubeSpec",
    "coverage",
    "describe",
    "expand_sources",
    "make_spec",
    "run_cube",
]
