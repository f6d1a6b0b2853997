import datetime as dt

import pytest

from sahelwatch.blocs.dates import FuzzyDate, add_months, month_range, months_between

D = dt.date


@pytest.mark.parametrize(
    "raw, value, precision, text",
    [
        ("2023-09-16", D(2023, 9, 16), "day", "2023-09-16"),
        (D(2023, 9, 16), D(2023, 9, 16), "day", "2023-09-16"),
        ("2024-07", D(2024, 7, 1), "month", "2024-07"),
        ("1977", D(1977, 1, 1), "year", "1977"),
        (1977, D(1977, 1, 1), "year", "1977"),
    ],
)
def test_dates_keep_their_precision(raw, value, precision, text):
    d = FuzzyDate.parse(raw)
    assert (d.value, d.precision, str(d)) == (value, precision, text)


def test_imprecise_dates_open_at_period_start_and_close_after_period_end():
    m = FuzzyDate.parse("2000-12")
    assert m.opens == D(2000, 12, 1)
    assert m.closes == D(2001, 1, 1)
    y = FuzzyDate.parse("1977")
    assert (y.opens, y.closes) == (D(1977, 1, 1), D(1978, 1, 1))
    day = FuzzyDate.parse("2025-01-29")
    assert day.opens == day.closes == D(2025, 1, 29)  # half-open: the left day is not a member day


def test_uncertain_only_inside_an_imprecise_period():
    m = FuzzyDate.parse("2024-02")
    assert m.uncertain_on(D(2024, 2, 29)) and not m.uncertain_on(D(2024, 3, 1))
    assert not FuzzyDate.parse("2024-02-10").uncertain_on(D(2024, 2, 10))


@pytest.mark.parametrize("bad", ["2024-13", "24-01-01", "soon", 3.5, True])
def test_bad_dates_are_refused(bad):
    with pytest.raises(ValueError, match="not a date"):
        FuzzyDate.parse(bad)


def test_month_arithmetic():
    assert add_months(D(2023, 11, 1), 3) == D(2024, 2, 1)
    assert add_months(D(2023, 1, 1), -1) == D(2022, 12, 1)
    assert month_range(D(2023, 11, 20), D(2024, 1, 2)) == [D(2023, 11, 1), D(2023, 12, 1), D(2024, 1, 1)]
    assert months_between(D(2023, 9, 16), D(2024, 9, 1)) == 12
