"""Source codes mapped to the normalised vocabularies (see places/precision.py for the why)."""

from __future__ import annotations

#: ACLED ``geo_precision`` -> normalised location precision.
ACLED_GEO_PRECISION = {1: "exact", 2: "near", 3: "admin1"}
#: UCDP GED ``where_prec`` -> normalised location precision.
GED_WHERE_PREC = {1: "exact", 2: "near", 3: "admin2", 4: "admin1", 5: "near", 6: "country", 7: "country"}
#: ACLED ``time_precision`` -> normalised date precision.
ACLED_TIME_PRECISION = {1: "day", 2: "week", 3: "month"}
#: UCDP GED ``date_prec`` -> normalised date precision.
GED_DATE_PREC = {1: "day", 2: "week", 3: "week", 4: "month", 5: "longer"}
