"""Query parameters the table routes share, declared once so every route names and
validates them the same way (the CLI's names; ``from``/``to`` also take ``YYYY-MM``/``YYYY``)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Query

from .context import check_range, day_param

LIST = 400  # longest comma-separated list we read
SOURCE_RE = r"^[A-Za-z0-9_:,\- ]*$"
ISO3S_RE = r"^[A-Za-z, ]*$"
WORDS_RE = r"^[A-Za-z0-9_:,\- ]*$"
FORMAT_DOC = "json (default), csv, parquet or geojson; else the Accept header decides"


@dataclass
class Filters:
    country: str | None
    bloc: str | None
    start: str | None
    end: str | None
    source: str | None
    as_of: int | None

    def kwargs(self) -> dict:
        return {"country": self.country or None, "bloc": self.bloc or None, "start": self.start, "end": self.end,
                "source": self.source or None, "as_of": self.as_of}


def filters(
    country: str | None = Query(None, max_length=LIST, pattern=ISO3S_RE,
                                description="ISO3 codes, comma-separated: MLI,BFA,NER"),
    bloc: str | None = Query(None, max_length=LIST, pattern=WORDS_RE, description="Bloc id(s): AES, ECOWAS..."),
    from_: str | None = Query(None, alias="from", max_length=10, description="First day: YYYY-MM-DD, YYYY-MM or YYYY"),
    to: str | None = Query(None, max_length=10, description="Last day: YYYY-MM-DD, YYYY-MM or YYYY"),
    source: str | None = Query(None, max_length=LIST, pattern=SOURCE_RE,
                               description="ucdp, ucdp_ged, ucdp_candidate, acled or a csv source name"),
    as_of: int | None = Query(None, ge=1, le=10**9, description="Snapshot id (default: the latest)"),
) -> Filters:
    s, e = day_param(from_, "from"), day_param(to, "to", end=True)
    check_range(s, e)
    return Filters(country, bloc, s, e, source, as_of)


CATEGORY_Q = Query(None, max_length=LIST, pattern=r"^[A-Za-z_,]*$",
                   description="battle, explosion_remote, violence_against_civilians, protest, riot, strategic "
                               "(comma-separated)")


def actor_q(actor: str | None = Query(None, max_length=300, description="events where actor1 or actor2 is this name")):
    if actor is not None and any(ord(c) < 32 for c in actor):
        from .errors import bad_parameter

        raise bad_parameter("actor", actor[:100], "actor: control characters are not allowed")
    return actor or None
