"""Lossless: ingest -> export in the source's own format -> ingest is a fixed point."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sahelwatch
from sw_rows import ACLED_HEADER, acled_row, write_csv


def _csv_rows(text_or_path):
    if hasattr(text_or_path, "read_text"):
        text_or_path = text_or_path.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text_or_path)))


def _norm(rows):
    return sorted(tuple(sorted((k, v or "") for k, v in r.items())) for r in rows)


def test_real_ged_sample_round_trips_exactly(obs, tmp_path, ged_sample):
    obs.ingest("ucdp", ged_sample)
    out = tmp_path / "GEDEvent_v23_1.csv"
    obs.events().write(out, "source")
    assert _norm(_csv_rows(out)) == _norm(_csv_rows(ged_sample))
    assert list(_csv_rows(out)[0]) == list(_csv_rows(ged_sample)[0])  # same column order
    rep = obs.ingest("ucdp", out)
    assert rep.snapshot == 2 and rep.counts["unchanged"] == 1000
    assert rep.counts["new"] == rep.counts["changed"] == rep.counts["deleted"] == 0


def test_real_candidate_and_ged191_round_trip(obs, tmp_path, candidate, ged191):
    obs.ingest("ucdp-candidate", candidate)
    obs.ingest("ucdp", ged191, release="19.1")
    for src, orig in (("ucdp_candidate", candidate), ("ucdp_ged", ged191)):
        text = obs.events(source=src).to_source().write_csv()
        assert _norm(_csv_rows(text)) == _norm(_csv_rows(orig))


text_st = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(['"', ",", "\n", "é", "'"]),
                  max_size=40)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(text_st, text_st, st.integers(0, 500), st.sampled_from(["1", "State forces", "Civilians"])),
                     min_size=1, max_size=8))
def test_acled_export_round_trip_property(tmp_path_factory, rows):
    tmp = tmp_path_factory.mktemp("rt")
    obs = sahelwatch.open(tmp / "home")
    data = [acled_row(i + 1, notes=n, location=loc.strip() or "Djenne", fatalities=f, inter2=i2)
            for i, (n, loc, f, i2) in enumerate(rows)]
    src = write_csv(tmp / "a.csv", data)
    rep = obs.ingest("acled", src)
    assert rep.counts["accepted"] == len(rows)
    out = tmp / "b.csv"
    obs.events().write(out, "source")
    assert _norm(_csv_rows(out)) == _norm(_csv_rows(src))
    again = obs.ingest("acled", out)
    assert again.counts["unchanged"] == len(rows) and again.counts["new"] == again.counts["changed"] == 0
    assert list(_csv_rows(out)[0]) == ACLED_HEADER
