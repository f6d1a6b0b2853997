"""Observatory methods for aggregation and trends (issue 5). Mixed into ``api.Observatory``."""

from __future__ import annotations


class CubeMixin:
    """aggregate(), trend() — see sahelwatch.analytics."""
