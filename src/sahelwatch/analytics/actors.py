"""Actor names across sources: an alias table shipped as package data, extendable by users.

ACLED writes ``JNIM: Group for Support of Islam and Muslims``, UCDP ``JNIM``, the French
press ``GSIM``; UCDP writes ``IS`` for every Islamic State branch and ``Government of
Mali`` where ACLED has ``Military Forces of Mali (2021-)``. The alias table
(``analytics/data/actor_aliases.yaml``, format in ``docs/analytics-warning.md``) maps them
to one canonical name, with a type used by the fragmentation indicator.

The analytics layer opens no files: the built-in table is package data read through
``importlib.resources``; users' files are read by the facade and passed here as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..domain.errors import RegistryError
from ..places.textnorm import admin_key, fold
from ._warning_base import in_list, resolve_sources

ACTOR_TYPES = ("state", "non_state_armed_group", "militia", "foreign_force", "civilians", "unidentified", "other")
#: Types counted by the fragmentation indicator (non-state armed, organised groups).
ARMED_NON_STATE = ("non_state_armed_group", "militia")
_ENTRY_FIELDS = {"canonical", "full_name", "type", "countries", "aliases", "sources", "note", "replace"}
_ALIAS_FIELDS = {"name", "countries", "admin1"}
_REGIME = re.compile(r"(?:\s+\d{4})+$")  # "military forces of mali 2021" after folding "(2021-)"
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
_UNIDENTIFIED = re.compile(r"^(?:xxx\d+|unidentified\b.*|unknown\b.*)$")
_GENERIC = (  # when the table has no entry: a type from the name's form
    (re.compile(r"^(?:government of|military forces of|police forces of)\b"), "state"),
    (re.compile(r"^civilians?\b"), "civilians"),
    (re.compile(r"^(?:protesters|rioters)\b"), "other"),
)
BUILTIN = "actor_aliases.yaml (built-in)"


@dataclass(frozen=True)
class Actor:
    canonical: str
    type: str
    full_name: str = ""
    countries: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class _Rule:
    canonical: str
    countries: frozenset | None = None
    admin1: frozenset | None = None  # admin_key() of first-level unit names

    @property
    def level(self) -> int:
        return 2 if self.admin1 else (1 if self.countries else 0)


@dataclass
class AliasTable:
    """Canonical actors and the rules that map source names to them."""

    actors: dict[str, Actor] = field(default_factory=dict)
    rules: dict[str, list[_Rule]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def resolve(self, name: str | None, country: str | None = None, admin1: str | None = None) -> tuple[Actor | None, str]:
        """``(actor, how)`` for a name as a source wrote it; ``how`` is ``table``, ``rule`` or ``none``.

        ``rule``: not in the table, typed from the name's form (``Government of X`` is a
        state, ``XXX475`` — UCDP Candidate's unclear side — is unidentified...).
        """
        if not name or not name.strip():
            return None, "none"
        for key in _keys(name):
            hit = self._match(key, country, admin1)
            if hit is not None:
                return self.actors[hit], "table"
        key = fold(name)
        if _UNIDENTIFIED.match(key):
            return Actor("Unidentified armed group", "unidentified"), "rule"
        for pattern, kind in _GENERIC:
            if pattern.match(key):
                return Actor(_clean(name) or name.strip(), kind), "rule"
        return None, "none"

    def canonical(self, name: str, country: str | None = None, admin1: str | None = None) -> str:
        actor, _ = self.resolve(name, country, admin1)
        return actor.canonical if actor else _clean(name)

    def _match(self, key: str, country, admin1) -> str | None:
        best = None
        for r in self.rules.get(key, ()):
            if r.countries is not None and (country or "").upper() not in r.countries:
                continue
            if r.admin1 is not None and admin_key(admin1 or "") not in r.admin1:
                continue
            if best is None or r.level > best.level:
                best = r
        return best.canonical if best else None

    def search(self, query: str) -> set[str]:
        """Canonical names whose canonical name, full name or an alias matches ``query``
        (see :func:`name_matches`)."""
        q = fold(query)
        if not q:
            return set()
        return {a.canonical for a in self.actors.values()
                if any(name_matches(q, n) for n in (a.canonical, a.full_name, *a.aliases))}

    def frame(self):
        """The table as a Polars frame: canonical, type, full_name, countries, aliases, sources, note."""
        import polars as pl

        rows = [{"canonical": a.canonical, "type": a.type, "full_name": a.full_name,
                 "countries": list(a.countries), "aliases": list(a.aliases), "sources": list(a.sources),
                 "note": a.note} for a in self.actors.values()]
        schema = {"canonical": pl.String, "type": pl.String, "full_name": pl.String, "countries": pl.List(pl.String),
                  "aliases": pl.List(pl.String), "sources": pl.List(pl.String), "note": pl.String}
        return pl.DataFrame(rows, schema=schema)


def name_matches(folded_query: str, name: str) -> bool:
    """Accents, case and punctuation ignored; a query of 3 letters or fewer must be a whole
    word ("IS" finds "IS Sahel", not "AIS"), a longer one may be any part of the name."""
    n = fold(name)
    if len(folded_query) <= 3:
        return f" {folded_query} " in f" {n} "
    return folded_query in n


def _clean(name: str) -> str:
    return _REGIME.sub("", re.sub(r"\s*\(\d{4}-(?:\d{4})?\)", "", name.strip())).strip()


def _keys(name: str) -> list[str]:
    """Lookup keys from strict to loose: the folded name, without ACLED's regime years,
    without a trailing parenthesis ("Civilians (Mali)" -> "civilians")."""
    k = fold(name)
    keys = [k, _REGIME.sub("", k)]
    stripped = _TRAILING_PAREN.sub("", name.strip())
    if stripped and stripped != name.strip():
        keys += [fold(stripped), _REGIME.sub("", fold(stripped))]
    return [x for x in dict.fromkeys(keys) if x]


# -- loading ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def builtin_text() -> str:
    from importlib import resources

    return resources.files(__package__).joinpath("data", "actor_aliases.yaml").read_text(encoding="utf-8")


def load_aliases(extra: list[tuple[str, str]] | None = None) -> AliasTable:
    """The built-in table, then each ``(file name, YAML text)`` in order; later files win.

    An entry whose ``canonical`` exists is merged: its aliases are added and the fields it
    gives replace the old ones (``replace: true`` swaps the entry whole). Problems raise
    :class:`RegistryError` naming the file, the entry and the field.
    """
    if not extra:
        return _builtin_table()
    table = AliasTable()
    for path, text in [(BUILTIN, builtin_text()), *extra]:
        _apply(table, path, parse_aliases(text, path))
    return table


@lru_cache(maxsize=1)
def _builtin_table() -> AliasTable:
    table = AliasTable()
    _apply(table, BUILTIN, parse_aliases(builtin_text(), BUILTIN))
    return table


def parse_aliases(text: str, path: str) -> list[dict]:
    """Validate one alias file; returns its entries with aliases as ``{name, countries, admin1}``."""
    import yaml

    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise RegistryError(path, "-", "yaml", f"{where}{getattr(e, 'problem', None) or e}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("actors"), list):
        raise RegistryError(path, "-", "actors", "expected a mapping with a list under `actors:`")
    unknown_top = set(doc) - {"schema_version", "actors"}
    if unknown_top:
        raise RegistryError(path, "-", sorted(unknown_top)[0], "unknown top-level key (valid: schema_version, actors)")
    problems: list[tuple[str, str, str]] = []
    out = []
    seen: dict[str, int] = {}
    for i, e in enumerate(doc["actors"]):
        entry = f"actors[{i}]"
        if not isinstance(e, dict):
            problems.append((entry, "-", "expected a mapping"))
            continue
        can = e.get("canonical")
        if not isinstance(can, str) or not can.strip():
            problems.append((entry, "canonical", "missing: every entry needs a canonical name"))
            continue
        entry = f"actors[{can}]"
        for k in sorted(set(e) - _ENTRY_FIELDS):
            problems.append((entry, k, f"unknown field (valid: {', '.join(sorted(_ENTRY_FIELDS))})"))
        if fold(can) in seen:
            problems.append((entry, "canonical", f"duplicate canonical name (also entry {seen[fold(can)]})"))
        seen[fold(can)] = i
        if "type" in e and e["type"] not in ACTOR_TYPES:
            problems.append((entry, "type", f"unknown type {e['type']!r} (valid: {', '.join(ACTOR_TYPES)})"))
        for fld in ("countries", "sources"):
            v = e.get(fld, [])
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                problems.append((entry, fld, "expected a list of strings"))
        problems += _check_countries(entry, "countries", e.get("countries") or [])
        aliases = []
        for j, a in enumerate(e.get("aliases") or []):
            parsed, errs = _parse_alias(a, f"{entry}.aliases[{j}]")
            problems += errs
            if parsed:
                aliases.append(parsed)
        if not isinstance(e.get("aliases", []), list):
            problems.append((entry, "aliases", "expected a list"))
        out.append({**e, "aliases": aliases})
    problems += _conflicts(out)
    if problems:
        entry, fld, msg = problems[0]
        more = f" (and {len(problems) - 1} more: " + "; ".join(f"{p[0]}: {p[1]}: {p[2]}" for p in problems[1:4]) + ")" \
            if len(problems) > 1 else ""
        raise RegistryError(path, entry, fld, msg + more)
    return out


def _check_countries(entry: str, fld: str, codes) -> list[tuple[str, str, str]]:
    from ..domain import countries

    known = {c.iso3 for c in countries.all_countries()}
    return [(entry, fld, f"unknown country code {c!r} (not in domain/countries.csv)")
            for c in codes if isinstance(c, str) and c.upper() not in known]


def _parse_alias(a, entry: str):
    if isinstance(a, str):
        return ({"name": a, "countries": None, "admin1": None}, []) if a.strip() else (None, [(entry, "name", "empty alias")])
    if not isinstance(a, dict):
        return None, [(entry, "-", "expected a name or a mapping {name, countries, admin1}")]
    errs = [(entry, k, f"unknown field (valid: {', '.join(sorted(_ALIAS_FIELDS))})") for k in sorted(set(a) - _ALIAS_FIELDS)]
    name = a.get("name")
    if not isinstance(name, str) or not name.strip():
        errs.append((entry, "name", "missing: a scoped alias needs a name"))
    cs, a1 = a.get("countries"), a.get("admin1")
    if cs is not None and (not isinstance(cs, list) or not cs or not all(isinstance(x, str) for x in cs)):
        errs.append((entry, "countries", "expected a non-empty list of ISO3 codes"))
        cs = None
    if a1 is not None and (not isinstance(a1, list) or not a1 or not all(isinstance(x, str) for x in a1)):
        errs.append((entry, "admin1", "expected a non-empty list of first-level unit names"))
        a1 = None
    if a1 and not cs:
        errs.append((entry, "admin1", "an admin1 scope needs `countries` too"))
    errs += _check_countries(entry, "countries", cs or [])
    if errs:
        return None, errs
    return {"name": name, "countries": [c.upper() for c in cs] if cs else None, "admin1": a1}, []


def _rules_of(e: dict) -> list[tuple[str, _Rule]]:
    can = e["canonical"].strip()
    out = [(fold(can), _Rule(can))]
    if e.get("full_name"):
        out.append((fold(e["full_name"]), _Rule(can)))
    for a in e["aliases"]:
        cs = frozenset(a["countries"]) if a["countries"] else None
        a1 = frozenset(admin_key(x) for x in a["admin1"]) if a["admin1"] else None
        k = fold(a["name"])
        for key in dict.fromkeys((k, _REGIME.sub("", k))):
            out.append((key, _Rule(can, cs, a1)))
    return out


def _overlap(a: _Rule, b: _Rule) -> bool:
    if a.level != b.level:
        return False
    if a.countries is not None and not (a.countries & b.countries):
        return False
    return a.admin1 is None or bool(a.admin1 & b.admin1)


def _conflicts(entries: list[dict]) -> list[tuple[str, str, str]]:
    by_key: dict[str, list[_Rule]] = {}
    problems = []
    for e in entries:
        for key, rule in _rules_of(e):
            for other in by_key.get(key, []):
                if other.canonical != rule.canonical and _overlap(other, rule):
                    problems.append((f"actors[{rule.canonical}]", "aliases",
                                     f"alias {key!r} also names {other.canonical!r} in the same scope"))
            by_key.setdefault(key, []).append(rule)
    return problems


def _apply(table: AliasTable, path: str, entries: list[dict]) -> None:
    table.files.append(path)
    for e in entries:
        can = e["canonical"].strip()
        old = next((a for a in table.actors.values() if fold(a.canonical) == fold(can)), None)
        if old is not None and not e.get("replace"):
            can = old.canonical
            names = tuple(dict.fromkeys([*old.aliases, *(a["name"] for a in e["aliases"])]))
            actor = Actor(can, e.get("type", old.type), e.get("full_name", old.full_name),
                          tuple(e.get("countries", old.countries)), names, tuple(e.get("sources", old.sources)),
                          e.get("note", old.note))
        else:
            if "type" not in e:
                raise RegistryError(path, f"actors[{can}]", "type", f"missing (valid: {', '.join(ACTOR_TYPES)})")
            if old is not None:  # replace: true
                table.actors.pop(old.canonical)
                for k in list(table.rules):
                    table.rules[k] = [r for r in table.rules[k] if r.canonical != old.canonical]
            actor = Actor(can, e["type"], e.get("full_name") or can, tuple(c.upper() for c in e.get("countries") or ()),
                          tuple(a["name"] for a in e["aliases"]), tuple(e.get("sources") or ()), e.get("note") or "")
        table.actors[can] = actor
        for key, rule in _rules_of({**e, "canonical": can}):
            rules = table.rules.setdefault(key, [])
            # a later file's rule with the same scope replaces the earlier one: users win
            rules[:] = [r for r in rules if not (r.level == rule.level and r.countries == rule.countries
                                                 and r.admin1 == rule.admin1)]
            rules.append(rule)


# -- reading the store -------------------------------------------------------------------


def split_sides(name: str | None, source: str) -> list[str]:
    """One actor field as a list of names: ACLED separates associated actors with ``;``,
    UCDP joins several actors of one side with ``, `` (``GATIA, MSA``)."""
    if not name:
        return []
    sep = ", " if source.startswith("ucdp") else ";"
    return [p.strip() for p in name.split(sep) if p.strip()]


def seen_actors(con, sources, *, start=None, end=None, where: str = "TRUE"):
    """Actor names in the store: one row per (source, country_iso3, admin1, name, inter) with
    the number of events and first and last dates. Names are split (``split_sides``)."""
    import polars as pl

    rng = ""
    params = []
    if start is not None:
        rng += " AND date_start >= ?"
        params.append(start)
    if end is not None:
        rng += " AND date_start <= ?"
        params.append(end)
    parts = []
    for col, inter in (("actor1", "inter1"), ("actor2", "inter2"), ("assoc_actors1", "NULL"), ("assoc_actors2", "NULL")):
        parts.append(f"SELECT event_key, source, country_iso3, admin1, date_start, {col} AS name, "
                     f"CAST({inter} AS INTEGER) AS inter FROM events WHERE {col} IS NOT NULL AND {col} <> ''"
                     f" AND source IN {in_list(sources)} AND {where}{rng}")
    sql = " UNION ALL ".join(parts)
    # Multi-actor fields are split after grouping on the whole string (few distinct strings).
    grouped = con.sql(f"SELECT source, country_iso3, admin1, name, inter, COUNT(DISTINCT event_key) AS events, "
                      f"MIN(date_start) AS first_date, MAX(date_start) AS last_date FROM ({sql}) GROUP BY ALL",
                      params=params * len(parts) if params else None).pl()
    if grouped.is_empty():
        return grouped
    names = [split_sides(n, s) for n, s in zip(grouped["name"].to_list(), grouped["source"].to_list())]
    return grouped.with_columns(pl.Series("name", names, dtype=pl.List(pl.String))).explode("name")


def actors(con, *, table: AliasTable, search: str | None = None, source: str | None = None):
    """Actor names seen in the store with their canonical name and type, per source:
    ``canonical, type, name, source, events, first_date, last_date, countries, matched_by``.

    ``search`` keeps the actors whose canonical name, an alias or the name as seen contains
    it (accents, case and punctuation ignored).
    """
    import polars as pl

    present = [r[0] for r in con.sql("SELECT DISTINCT source FROM events").fetchall()]
    sources = present if source is None else list(resolve_sources(con, source, present)[1])
    seen = seen_actors(con, sources)
    schema = {"canonical": pl.String, "type": pl.String, "name": pl.String, "source": pl.String,
              "events": pl.Int64, "first_date": pl.Date, "last_date": pl.Date, "countries": pl.String,
              "matched_by": pl.String}
    if seen.is_empty():
        return pl.DataFrame(schema=schema)
    keys = seen.select("name", "country_iso3", "admin1").unique()
    resolved = []
    for name, iso, a1 in keys.iter_rows():
        actor, how = table.resolve(name, iso, a1)
        resolved.append((actor.canonical if actor else _clean(name), actor.type if actor else None, how))
    keys = keys.with_columns(
        pl.Series("canonical", [r[0] for r in resolved], dtype=pl.String),
        pl.Series("type", [r[1] for r in resolved], dtype=pl.String),
        pl.Series("matched_by", [r[2] for r in resolved], dtype=pl.String),
    )
    df = (seen.join(keys, on=["name", "country_iso3", "admin1"], how="left", nulls_equal=True)
          .group_by("canonical", "type", "name", "source", "matched_by")
          .agg(pl.col("events").sum().cast(pl.Int64), pl.col("first_date").min(), pl.col("last_date").max(),
               pl.col("country_iso3").drop_nulls().unique().sort().str.join(",").alias("countries")))
    if search:
        q = fold(search)
        if not q:
            from ..domain.errors import UsageError

            raise UsageError("empty --search")
        hits = table.search(search)
        keep = [c in hits or name_matches(q, n) or name_matches(q, c)
                for c, n in zip(df["canonical"].to_list(), df["name"].to_list())]
        df = df.filter(pl.Series(keep, dtype=pl.Boolean))
    return df.select(list(schema)).sort(["canonical", "source", "events"], descending=[False, False, True])
