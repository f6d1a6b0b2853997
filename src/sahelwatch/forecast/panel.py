"""The panel: one value per unit and month, the only thing models and scores see.

A :class:`Panel` is built from a plain Polars frame (``unit, month, value``) plus
unit metadata, whatever the data came from (the event store, an ingested
unit-month series, a VIEWS file). It validates itself, fills months without a
row with 0 (the store's convention: no event, no deaths) from each unit's first
month to the panel's last, and counts months as VIEWS does: ``month_id`` 1 is
January 1980.

:meth:`Panel.until` is the leakage guard: models are handed ``panel.until(origin)``
and never the rest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..domain.errors import SahelwatchError, UsageError

LEVELS = ("cm", "admin1", "pgm")
#: UCDP fatalities by type of violence (1 state-based, 2 non-state, 3 one-sided) and all types.
FATALITY_TARGETS = ("fatalities_sb", "fatalities_ns", "fatalities_os", "fatalities_all")
EVENT_CATEGORIES = ("battle", "explosion_remote", "violence_against_civilians", "protest", "riot", "strategic")
TARGET_TEXT = {
    "fatalities_sb": "UCDP best estimate of deaths in state-based violence (type_of_violence 1)",
    "fatalities_ns": "UCDP best estimate of deaths in non-state violence (type_of_violence 2)",
    "fatalities_os": "UCDP best estimate of deaths in one-sided violence (type_of_violence 3)",
    "fatalities_all": "UCDP best estimate of deaths, all types of violence",
}
UNIT_COLUMNS = ("unit", "name", "country_iso3", "gwno")


class PanelError(SahelwatchError, ValueError):
    """A panel cannot serve the request: too short for the horizon, a unit without history."""


def check_target(target: str) -> str:
    """``fatalities_sb|ns|os|all`` or ``events:<category>``; anything else is a one-line error."""
    t = (target or "").strip().lower()
    if t in FATALITY_TARGETS:
        return t
    if t.startswith("events:") and t.split(":", 1)[1] in EVENT_CATEGORIES:
        return t
    raise UsageError(f"unknown target {target!r}",
                     choices=[*FATALITY_TARGETS, *(f"events:{c}" for c in EVENT_CATEGORIES)])


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise UsageError(f"unknown level {level!r}", choices=list(LEVELS))
    return level


def month_id(day: dt.date) -> int:
    """VIEWS month number: 1 = January 1980."""
    return (day.year - 1980) * 12 + day.month


def month_date(mid: int) -> dt.date:
    """The first day of VIEWS month ``mid``."""
    y, m = divmod(int(mid) - 1, 12)
    return dt.date(1980 + y, m + 1, 1)


def month_label(mid: int) -> str:
    return month_date(mid).strftime("%Y-%m")


def parse_month(value) -> int:
    """A month as ``YYYY-MM``, a date, or a VIEWS month_id (int)."""
    if isinstance(value, int):
        return value
    if isinstance(value, dt.date):
        return month_id(value)
    s = str(value).strip()
    if s.isdigit():
        return int(s)
    try:
        return month_id(dt.date.fromisoformat(s[:7] + "-01"))
    except ValueError:
        raise UsageError(f"bad month {value!r}: expected YYYY-MM or a VIEWS month_id") from None


def parse_horizons(spec) -> tuple[int, ...]:
    """``"1-36"``, ``"3,6,12"``, ``12`` or a sequence -> sorted distinct horizons (months ahead, >= 1)."""
    if isinstance(spec, int):
        hs = [spec]
    elif isinstance(spec, (list, tuple, range)):
        hs = [int(h) for h in spec]
    else:
        hs = []
        for part in str(spec).split(","):
            part = part.strip()
            try:
                if "-" in part:
                    a, b = (int(x) for x in part.split("-", 1))
                    hs += list(range(a, b + 1))
                elif part:
                    hs.append(int(part))
            except ValueError:
                raise UsageError(f"bad horizon {spec!r}: expected e.g. 1-36 or 3,6,12") from None
    if not hs or min(hs) < 1:
        raise UsageError(f"bad horizon {spec!r}: months ahead, at least 1 (e.g. 1-36)")
    return tuple(sorted(set(hs)))


@dataclass(frozen=True)
class Panel:
    """Unit x month values. ``frame``: ``unit`` (str), ``month_id`` (int), ``value`` (float, >= 0),
    dense from each unit's first month to :attr:`last_month`; ``units``: ``unit, name,
    country_iso3, gwno, first_month``. ``meta`` says where the numbers came from."""

    frame: object
    units: object
    level: str
    target: str
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        import polars as pl

        f = self.frame
        missing = [c for c in ("unit", "month_id", "value") if c not in f.columns]
        if missing:
            raise UsageError(f"panel frame lacks column(s) {', '.join(missing)}")
        if f.height == 0:
            raise PanelError("the panel is empty: no unit has a value")
        if f["value"].null_count() or f["value"].is_nan().any():
            raise PanelError("the panel has missing values (null or NaN)")
        if (f["value"] < 0).any():
            bad = f.filter(pl.col("value") < 0).row(0, named=True)
            raise PanelError(f"negative value {bad['value']} for unit {bad['unit']} in {month_label(bad['month_id'])}")
        if f.select(pl.struct("unit", "month_id").is_duplicated().any()).item():
            raise PanelError("the panel has duplicate unit-months")

    # -- shape ------------------------------------------------------------------------------
    @property
    def first_month(self) -> int:
        return int(self.frame["month_id"].min())

    @property
    def last_month(self) -> int:
        return int(self.frame["month_id"].max())

    @property
    def unit_ids(self) -> list[str]:
        return self.units["unit"].to_list()

    def __len__(self) -> int:
        return self.frame.height

    def __repr__(self) -> str:
        return (f"<Panel {self.level} {self.target}: {self.units.height} units, "
                f"{month_label(self.first_month)}..{month_label(self.last_month)}>")

    def until(self, origin: int) -> "Panel":
        """The panel as known at the end of month ``origin``: nothing later survives."""
        import polars as pl

        if origin < self.first_month:
            raise PanelError(f"origin {month_label(origin)} is before the panel starts ({month_label(self.first_month)})")
        f = self.frame.filter(pl.col("month_id") <= origin)
        u = self.units.filter(pl.col("first_month") <= origin)
        return Panel(f, u, self.level, self.target, {**self.meta, "origin": origin})

    def matrix(self):
        """``(units x months)`` float array from :attr:`first_month`; NaN before a unit's first month."""
        import numpy as np
        import polars as pl

        idx = {u: i for i, u in enumerate(self.unit_ids)}
        m = np.full((len(idx), self.last_month - self.first_month + 1), np.nan)
        f = self.frame.filter(pl.col("unit").is_in(list(idx)))
        rows = np.array([idx[u] for u in f["unit"].to_list()], dtype=np.int64)
        m[rows, f["month_id"].to_numpy() - self.first_month] = f["value"].to_numpy()
        return m

    def to_polars(self):
        """The panel as one frame: ``unit, month_id, month (date), value`` plus unit metadata."""
        import polars as pl

        return (self.frame.join(self.units.drop("first_month"), on="unit", how="left")
                .with_columns(pl.col("month_id").map_elements(month_date, return_dtype=pl.Date).alias("month"))
                .select("unit", "name", "country_iso3", "gwno", "month_id", "month", "value")
                .sort("unit", "month_id"))

    def write(self, path) -> None:
        """Parquet (or CSV by suffix), written atomically with the meta in the Parquet key-value metadata."""
        from ._files import write_frame

        write_frame(self.to_polars(), path, meta={"level": self.level, "target": self.target, **self.meta})


def from_frame(df, *, level: str, target: str, units=None, end: int | None = None, meta: dict | None = None) -> Panel:
    """A :class:`Panel` from ``unit, month, value`` (``month``: VIEWS month_id or a date; a
    ``month_id`` column is taken as is). Missing unit-months become 0 from each unit's first
    row to ``end`` (default: the last month in ``df``). ``units``: optional frame with ``unit``
    and any of ``name, country_iso3, gwno``; absent metadata is null."""
    import polars as pl

    level = check_level(level)
    target = check_target(target)
    if "month_id" not in df.columns:
        if "month" not in df.columns:
            raise UsageError("panel frame needs a 'month' or 'month_id' column")
        col = df["month"]
        if col.dtype in (pl.Date, pl.Datetime):
            df = df.with_columns(((pl.col("month").dt.year() - 1980) * 12 + pl.col("month").dt.month()).alias("month_id"))
        else:
            df = df.rename({"month": "month_id"})
    missing = [c for c in ("unit", "value") if c not in df.columns]
    if missing:
        raise UsageError(f"panel frame lacks column(s) {', '.join(missing)}")
    df = (df.select(pl.col("unit").cast(pl.String), pl.col("month_id").cast(pl.Int64), pl.col("value").cast(pl.Float64))
          .filter(pl.col("unit").is_not_null()))
    if df.height == 0:
        raise PanelError("the panel is empty: no unit has a value")
    if df["month_id"].null_count():
        raise PanelError("the panel has rows without a month")
    df = df.group_by("unit", "month_id").agg(pl.col("value").sum())  # several rows per unit-month add up
    last = int(end if end is not None else df["month_id"].max())
    df = df.filter(pl.col("month_id") <= last)
    firsts = df.group_by("unit").agg(pl.col("month_id").min().alias("first_month"))
    grid = (firsts.with_columns(pl.int_ranges("first_month", last + 1).alias("month_id"))
            .explode("month_id").select("unit", "month_id"))
    frame = (grid.join(df, on=["unit", "month_id"], how="left")
             .with_columns(pl.col("value").fill_null(0.0)).sort("unit", "month_id"))
    meta_units = firsts
    if units is not None:
        u = units.select([c for c in UNIT_COLUMNS if c in units.columns]).unique("unit", keep="first")
        u = u.with_columns(pl.col("unit").cast(pl.String))
        meta_units = firsts.join(u, on="unit", how="left")
    for c, t in (("name", pl.String), ("country_iso3", pl.String), ("gwno", pl.Int64)):
        if c not in meta_units.columns:
            meta_units = meta_units.with_columns(pl.lit(None, dtype=t).alias(c))
        meta_units = meta_units.with_columns(pl.col(c).cast(t))
    meta_units = (meta_units.with_columns(pl.col("first_month").cast(pl.Int64))
                  .select(*UNIT_COLUMNS, "first_month").sort("unit"))
    return Panel(frame, meta_units, level, target, dict(meta or {}))


def read(path) -> Panel:
    """A panel written by :meth:`Panel.write` (Parquet keeps level, target and meta)."""
    from pathlib import Path

    import polars as pl

    from ._files import read_meta

    p = Path(path)
    if not p.exists():
        raise UsageError(f"{p}: no such panel file")
    try:
        df = pl.read_parquet(p) if p.suffix.lower() == ".parquet" else pl.read_csv(p)
        meta = read_meta(p) if p.suffix.lower() == ".parquet" else {}
    except Exception as err:  # a foreign reader's error, translated at the boundary
        raise UsageError(f"{p}: not a panel file ({err})") from err
    level, target = meta.pop("level", None), meta.pop("target", None)
    if not level or not target:
        raise UsageError(f"{p}: not written by `sahelwatch panel` (no level/target in its metadata)")
    units = df.select([c for c in UNIT_COLUMNS if c in df.columns]).unique("unit")
    return from_frame(df.select("unit", "month_id", "value"), level=level, target=target, units=units, meta=meta)
