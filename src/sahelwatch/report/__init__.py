"""Situation briefs: dated HTML and PDF reports where every figure links to the command that
reproduces it. See docs/briefs.md; the entry point is ``obs.briefs.build(...)``."""

from __future__ import annotations

__all__ = ["Brief", "Briefs"]


def __getattr__(name: str):
    # keep ``import sahelwatch.report`` light: the classes load on first use
    if name in __all__:
        from . import briefs

        return getattr(briefs, name)
    raise AttributeError(name)
