"""Forecasts kept in the store: ``HOME/forecasts/<id>/``, one folder per forecast, never altered.

    HOME/forecasts/3f9a0c1d2e4b/
      manifest.json     what was forecast, from which data (source, snapshot, origin), with which
                        model, parameters and seed, by which sahelwatch, and the command that redoes it
      draws.parquet     the draws in the VIEWS layout (month_id, unit id, draw, outcome)
      summary.parquet   per unit and month: mean, 5/25/50/75/95% quantiles, P(outcome >= 25)

The id is a hash of the inputs (model, its effective parameters (its defaults merged with
those given, so a parameter given at its default changes nothing and a changed default makes
a new id), its revision, seed, draws, level, target, source, the snapshot read, a fingerprint
of the panel's values up to the origin, horizons, units and the sahelwatch version): the same
inputs give the same id, so saving the same forecast twice is seen and refused before any fit.
Forecasts stored before the id covered the effective parameters and the revision keep their
ids and still load: their manifests lack ``model_revision`` and their ``model_params`` may
lack parameters added since. A save writes a hidden temporary folder and renames it into
place, so an interrupted or failed save leaves no forecast folder (listing never reads the
hidden ones; the next save clears those an hour old).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.errors import SahelwatchError
from .panel import month_label

FOLDER = "forecasts"
MANIFEST, DRAWS, SUMMARY = "manifest.json", "draws.parquet", "summary.parquet"
ID_LENGTH = 12
STALE_SECONDS = 3600


class ForecastNotFound(SahelwatchError, LookupError):
    """No stored forecast has this id."""

    def __init__(self, wanted: str, available: list[str], message: str | None = None):
        self.wanted, self.available = wanted, available
        more = f"; stored: {', '.join(available[:10])}" if available else "; the store holds no forecast"
        super().__init__((message or f"no stored forecast {wanted!r}") + more)


def folder(home) -> Path:
    return Path(home) / FOLDER


# -- identity -------------------------------------------------------------------------------------


def panel_fingerprint(history) -> str:
    """sha256 of the panel's values up to the origin (unit, month, value, sorted): the data the fit saw."""
    import polars as pl

    f = history.frame.sort("unit", "month_id")
    h = hashlib.sha256()
    h.update("\x1f".join(f["unit"].cast(pl.String).to_list()).encode())
    h.update(f["month_id"].cast(pl.Int64).to_numpy().tobytes())
    h.update(f["value"].cast(pl.Float64).to_numpy().tobytes())
    return h.hexdigest()


def spec_of(history, *, model: str, model_params: dict, revision: int | None, seed: int, draws: int, horizons,
            units) -> dict:
    """The inputs that define a forecast (and its id). ``history``: ``panel.until(origin)``;
    ``model_params``: every parameter the model runs with (``models.params_of``), not only those
    given; ``revision``: the model's ``REVISION``."""
    from ..domain.version import __version__

    m = history.meta
    # through JSON, so the spec (and the id) is what the manifest will hold: tuples as lists
    mp = json.loads(json.dumps(dict(sorted((model_params or {}).items())), default=str))
    return {"level": history.level, "target": history.target, "source": m.get("source") or "panel",
            "snapshot": m.get("snapshot"), "country": m.get("country"), "origin": int(history.last_month),
            "horizons": [int(h) for h in horizons], "model": model, "model_params": mp,
            "model_revision": None if revision is None else int(revision),
            "seed": int(seed), "draws": int(draws), "units": sorted(str(u) for u in units),
            "panel_sha256": panel_fingerprint(history), "sahelwatch_version": __version__}


def effective_params(manifest: dict) -> dict:
    """The parameters a stored forecast ran with; a manifest older than ``model_params`` has only
    those given (``params``)."""
    return dict(manifest["model_params"] if "model_params" in manifest else manifest.get("params") or {})


def id_of(spec: dict) -> str:
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:ID_LENGTH]


def command_of(spec: dict) -> str:
    """The ``sahelwatch forecast ... --save`` command that fits the same forecast again."""
    import shlex

    parts = ["sahelwatch", "forecast", "--level", spec["level"], "--target", spec["target"]]
    if spec["source"] not in ("panel", None):
        parts += ["--source", spec["source"]]
    if spec.get("snapshot") is not None:
        parts += ["--as-of", str(spec["snapshot"])]
    if spec.get("country"):
        parts += ["--country", ",".join(spec["country"])]
    hs = spec["horizons"]
    h = f"{hs[0]}-{hs[-1]}" if hs == list(range(hs[0], hs[-1] + 1)) else ",".join(map(str, hs))
    parts += ["--origin", month_label(spec["origin"]), "--horizon", h, "--model", spec["model"]]
    # every parameter, defaults included: the command pins them, so it refits the same forecast
    # (the same id) even after a default has changed
    for k, v in effective_params(spec).items():
        parts += ["--param", f"{k}={param_text(v)}"]
    parts += ["--draws", str(spec["draws"]), "--seed", str(spec["seed"]), "--save"]
    return " ".join(shlex.quote(p) for p in parts)


def param_text(v) -> str:
    """A ``--param`` value that reads back as ``v`` (the CLI reads JSON, else text): plain text
    where it cannot be mistaken for JSON (``base=none``), else JSON (``train_months=null``)."""
    if isinstance(v, str):
        try:
            json.loads(v)
        except ValueError:
            return v
    return json.dumps(v, separators=(",", ":"))


# -- one stored forecast --------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredForecast:
    path: Path
    manifest: dict
    new: bool = field(default=False, compare=False)  # written by the save that returned it

    @property
    def id(self) -> str:
        return self.manifest["id"]

    @property
    def origin(self) -> int:
        return int(self.manifest["origin"])

    @property
    def months(self) -> list[int]:
        return [self.origin + h for h in self.manifest["horizons"]]

    def __repr__(self) -> str:
        m = self.manifest
        return (f"<StoredForecast {self.id}: {m['model']} {m['target']} from {m['source']}, origin "
                f"{m['origin_month']}, {len(m['units'])} units>")

    def summary(self, units=None):
        import polars as pl

        df = pl.read_parquet(self.path / SUMMARY)
        return df if not units else df.filter(pl.col("unit").is_in(list(units)))

    def draws(self):
        import polars as pl

        return pl.read_parquet(self.path / DRAWS)

    def show_command(self, unit: str) -> str:
        return f"sahelwatch forecast show --forecast {self.id} --country {unit}"


def _read(path: Path) -> StoredForecast | None:
    try:
        m = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # not a forecast folder: nothing the store wrote
    return StoredForecast(path, m)


def list_all(home) -> list[StoredForecast]:
    """Every stored forecast, oldest origin first, then by creation time."""
    d = folder(home)
    if not d.is_dir():
        return []
    out = [f for p in sorted(d.iterdir()) if p.is_dir() and not p.name.startswith(".") and (f := _read(p))]
    return sorted(out, key=lambda f: (f.origin, f.manifest.get("created", ""), f.id))


def get(home, fid: str) -> StoredForecast:
    """The forecast with id ``fid`` (or a unique prefix of at least 4 characters)."""
    fid = (fid or "").strip().lower()
    all_ = list_all(home)
    hits = [f for f in all_ if f.id == fid] or ([f for f in all_ if f.id.startswith(fid)] if len(fid) >= 4 else [])
    if len(hits) != 1:
        raise ForecastNotFound(fid, [f.id for f in all_])
    return hits[0]


def find(home, fid: str) -> StoredForecast | None:
    p = folder(home) / fid
    return _read(p) if p.is_dir() else None


# -- saving ---------------------------------------------------------------------------------------


def _clear_stale(d: Path) -> None:
    now = time.time()
    for p in d.glob(".tmp-*"):
        try:
            if now - p.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass


def save(home, result, spec: dict, *, caveats=(), caveats_fr=(), given: dict | None = None) -> tuple[StoredForecast, bool]:
    """Write ``result`` (a :class:`~.run.ForecastResult`) as a stored forecast; ``(forecast, created)``.
    ``given``: the parameters asked for, kept in the manifest as ``params`` (the id covers
    ``model_params``, every parameter the model ran with).

    ``created`` is False when the same forecast (same id) is already stored: it is left as it is."""
    from ..domain.version import __version__
    from ._files import write_frame

    fid = id_of(spec)
    d = folder(home)
    d.mkdir(exist_ok=True)
    have = find(home, fid)
    if have is not None:
        return have, False
    _clear_stale(d)
    tmp = d / f".tmp-{fid}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        m = result.meta
        manifest = {
            "id": fid, "created": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            **{k: spec[k] for k in ("level", "target", "source", "snapshot", "country", "origin", "horizons",
                                    "model")},
            "params": json.loads(json.dumps(dict(sorted((given or {}).items())), default=str)),
            **{k: spec[k] for k in ("model_params", "model_revision", "seed", "draws", "panel_sha256")},
            "origin_month": month_label(spec["origin"]),
            "months": [month_label(spec["origin"] + h) for h in spec["horizons"]],
            "units": spec["units"], "target_text": m.get("target_text"), "citation": m.get("citation"),
            "caveats": list(caveats), "caveats_fr": list(caveats_fr), "sahelwatch_version": __version__, "command": command_of(spec),
            "files": {"draws": DRAWS, "summary": SUMMARY},
        }
        meta = {"forecast": fid, "level": spec["level"], "target": spec["target"], "model": spec["model"],
                "origin": spec["origin"], "origin_month": manifest["origin_month"], "seed": spec["seed"]}
        write_frame(result.to_views(), tmp / DRAWS, meta=meta)
        write_frame(result.summary(), tmp / SUMMARY, meta=meta)
        for name in (DRAWS, SUMMARY):
            manifest["files"][name.split(".")[0] + "_sha256"] = hashlib.sha256((tmp / name).read_bytes()).hexdigest()
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
        for name in (MANIFEST, DRAWS, SUMMARY):
            os.chmod(tmp / name, 0o444)  # never altered: read-only once written
        try:
            os.rename(tmp, d / fid)  # atomic on one file system; fails if another save got there first
        except OSError:
            if find(home, fid) is None:
                raise
            shutil.rmtree(tmp, ignore_errors=True)
            return find(home, fid), False
        try:
            from ..store.layout import fsync_dir

            fsync_dir(d)
        except OSError:
            pass
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return StoredForecast(d / fid, manifest, new=True), True


# -- choosing a forecast ----------------------------------------------------------------------------

#: a brief's ``--source`` (an event-store family) -> the forecast targets that count the same thing
BRIEF_TARGETS = {"ucdp": ("fatalities_all",), "ucdp_ged": ("fatalities_all",), "ucdp_candidate": ("fatalities_all",)}


def source_matches(manifest: dict, source: str | None) -> bool:
    """Whether a forecast answers for data read from ``source``: ``None`` (any), ``store`` or an
    event-store family (``ucdp``: forecasts of all UCDP deaths from the store), ``series:NAME``,
    or ``series`` (any series)."""
    if source is None:
        return True
    s = str(source).strip().lower()
    if s == "series":
        return str(manifest["source"]).startswith("series:")
    if s.startswith("series:"):
        return manifest["source"] == s
    if manifest["source"] != "store":
        return False
    if s == "store":
        return True
    return manifest["target"] in BRIEF_TARGETS.get(s, ())


def choose(home, *, units=(), origin: int | None = None, source: str | None = None, as_of: int | None = None,
           target: str | None = None) -> StoredForecast | None:
    """The newest stored forecast that matches: made at ``origin`` (with data to it only), from
    ``source``, fitted on a snapshot no later than ``as_of``, covering one of ``units``. Without
    ``origin``: the one with the latest origin."""
    cands = []
    for f in list_all(home):
        m = f.manifest
        if origin is not None and f.origin != origin:
            continue
        if not source_matches(m, source):
            continue
        if target is not None and m["target"] != target:
            continue
        if as_of is not None and (m.get("snapshot") is None or m["snapshot"] > as_of):
            continue
        if units and not set(units) & set(m["units"]):
            continue
        cands.append(f)
    return max(cands, key=lambda f: (f.origin, f.manifest.get("created", ""), f.id)) if cands else None


def month_ids(months) -> list[int]:
    from .panel import parse_month

    return [parse_month(m) for m in months]
