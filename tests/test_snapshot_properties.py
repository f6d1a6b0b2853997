"""Property: after any sequence of ingests, revisions and deletions, every --as-of view
equals what a plain in-memory model of the rules says."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sahelwatch
from sw_rows import acled_row, write_csv

IDS = [f"MLI{i}" for i in range(1, 9)]

row_st = st.tuples(st.sampled_from(IDS), st.integers(0, 3), st.integers(0, 20))  # id, ts step, fatalities
op_st = st.one_of(
    st.tuples(st.just("export"), st.lists(row_st, min_size=1, max_size=6, unique_by=lambda r: r[0])),
    st.tuples(st.just("delete"), st.lists(st.tuples(st.sampled_from(IDS), st.integers(0, 3)),
                                          min_size=1, max_size=3, unique_by=lambda r: r[0])),
)


class Model:
    """The rules, written as plainly as possible."""

    def __init__(self):
        self.latest: dict[str, tuple[int, int | None]] = {}  # id -> (timestamp, fatalities or None=deleted)

    def export(self, rows):
        for i, ts, fat in rows:
            cur = self.latest.get(i)
            if cur is None or ts > cur[0]:
                self.latest[i] = (ts, fat)

    def delete(self, rows):
        for i, ts in rows:
            cur = self.latest.get(i)
            if cur is None or (cur[1] is not None and ts >= cur[0]):
                self.latest[i] = (ts, None)

    def view(self):
        return {f"acled:{i}": f for i, (_, f) in self.latest.items() if f is not None}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(op_st, min_size=1, max_size=5))
def test_every_as_of_view_matches_the_model(tmp_path_factory, ops):
    tmp = tmp_path_factory.mktemp("prop")
    obs = sahelwatch.open(tmp / "home")
    model = Model()
    expected: dict[int, dict] = {}
    seen_files: set[bytes] = set()
    for n, (kind, rows) in enumerate(ops):
        base = 1_700_000_000
        if kind == "export":
            rows = [(i, base + step * 1000, fat) for i, step, fat in rows]
            p = write_csv(tmp / f"e{n}.csv", [acled_row(int(i[3:]), timestamp=ts, fatalities=fat, event_id_cnty=i)
                                              for i, ts, fat in rows])
            rep = obs.ingest("acled", p)
            body = p.read_bytes()
            if body in seen_files:
                assert rep.snapshot is None
                continue
            model.export(rows)
        else:
            rows = [(i, base + step * 1000) for i, step in rows]
            p = tmp / f"d{n}.csv"
            p.write_text("event_id_cnty,deleted_timestamp\n" + "".join(f"{i},{ts}\n" for i, ts in rows))
            rep = obs.ingest("acled-deletions", p)
            body = p.read_bytes()
            if body in seen_files:
                assert rep.snapshot is None
                continue
            model.delete(rows)
        seen_files.add(body)
        assert rep.balanced
        expected[rep.snapshot] = model.view()
    for snap, view in expected.items():
        got = obs.events(as_of=snap).to_polars()
        assert dict(zip(got["event_key"], got["fatalities_best"])) == view, f"as of {snap}"
    # the latest view is the default view
    if expected:
        got = obs.events().to_polars()
        assert dict(zip(got["event_key"], got["fatalities_best"])) == expected[max(expected)]


def test_results_do_not_depend_on_ingest_order_of_disjoint_files(tmp_path):
    files = [write_csv(tmp_path / f"f{k}.csv", [acled_row(k * 10 + j) for j in range(3)]) for k in range(3)]
    views = []
    for perm in itertools.permutations(files):
        obs = sahelwatch.open(tmp_path / f"h{len(views)}")
        for f in perm:
            obs.ingest("acled", f)
        views.append(sorted(obs.events().to_polars()["event_key"]))
    assert all(v == views[0] for v in views) and len(views[0]) == 9
