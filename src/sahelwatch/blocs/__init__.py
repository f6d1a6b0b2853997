"""Regional organisations over time: who belonged to which bloc when.

    >>> from sahelwatch.blocs import load_registry
    >>> reg = load_registry()                       # built-in registry.yaml
    >>> [m.iso3 for m in reg.members("ECOWAS", on="2025-06-01") if m.iso3 in ("MLI", "BFA", "NER")]
    []

The registry (``registry.yaml``) is data with sources and confidence levels;
users extend it with their own YAML files (``load_registry(["my.yaml"])``).
:mod:`.membership` turns it into a month-by-month membership table,
:mod:`.analysis` compares blocs and runs event studies on canonical events,
:mod:`.charts` builds Vega-Lite specs. See docs/blocs.md.
"""

from __future__ import annotations

from .dates import FuzzyDate
from .registry import Registry, load_registry

__all__ = ["FuzzyDate", "Registry", "load_registry"]
