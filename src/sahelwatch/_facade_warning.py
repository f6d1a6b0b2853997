"""Observatory methods for indicators, alerts, reconciliation and actors (issue 5).
Mixed into ``api.Observatory``."""

from __future__ import annotations


class WarningMixin:
    """indicators(), alerts(), score_alerts(), reconcile(), actors() — see sahelwatch.analytics."""
