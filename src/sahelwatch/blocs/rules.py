"""How the registry's dates are read, in one sentence each: shown beside members, institutions
and foreign presences by ``sahelwatch blocs`` and the HTTP API. Their French patterns are with
the other notes in :mod:`sahelwatch.analytics.notes_fr`."""

from __future__ import annotations

MEMBER_RULE = (
    "Membership on a day: a state is a member from `joined` (inclusive) to `left` (exclusive); "
    "a suspended state is still a member. Month/year-precision dates count from the start of "
    "their period when they open a membership and to the end of it when they close one."
)
INSTITUTION_RULE = ("A milestone counts from the first day of its period (a month-precision date from the 1st); "
                    "the state is the highest stage reached; 'uncertain' marks a period that contains the day.")
FORCES_RULE = ("A presence opens at its deployment event, or when none is recorded at its first recorded event "
               "(start unknown), and closes at its withdrawal-completed or operation-ended event.")

__all__ = ["FORCES_RULE", "INSTITUTION_RULE", "MEMBER_RULE"]
