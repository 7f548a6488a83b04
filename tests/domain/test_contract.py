"""Contract quarters: tiling, month ends, leap years, refused dates."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.contract import NoSchedule, add_months, contract_quarters, months


def test_a_year_from_the_31st_falls_to_month_ends_without_drifting() -> None:
    quarters = contract_quarters(date(2027, 1, 31), date(2028, 1, 30))
    assert [(q.start, q.end) for q in quarters] == [
        (date(2027, 1, 31), date(2027, 4, 29)),
        (date(2027, 4, 30), date(2027, 7, 30)),
        (date(2027, 7, 31), date(2027, 10, 30)),
        (date(2027, 10, 31), date(2028, 1, 30)),
    ]


def test_leap_day_start() -> None:
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_a_second_year_counts_on_with_quarter_of_year() -> None:
    quarters = contract_quarters(date(2026, 2, 1), date(2028, 1, 31))
    assert len(quarters) == 8
    assert [(q.number, q.year, q.of_year) for q in quarters[3:5]] == [(4, 1, 4), (5, 2, 1)]


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (None, date(2027, 1, 1), "needs a start and an end"),
        (date(2027, 1, 1), None, "needs a start and an end"),
        (date(2027, 1, 1), date(2026, 12, 31), "ends (2026-12-31) before it starts"),
    ],
)
def test_no_schedule_without_sound_dates(start: date | None, end: date | None, words: str) -> None:
    with pytest.raises(NoSchedule, match=words.replace("(", r"\(").replace(")", r"\)")):
        contract_quarters(start, end)


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
    length=st.integers(min_value=0, max_value=5 * 366),
)
def test_quarters_tile_the_contract_without_gap_or_overlap(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    quarters = contract_quarters(start, end)
    assert quarters[0].start == start and quarters[-1].end == end
    for before, after in itertools.pairwise(quarters):
        assert after.start == before.end + timedelta(days=1)
        assert after.number == before.number + 1
    for quarter in quarters:
        assert quarter.start <= quarter.end
        assert quarter.start == add_months(start, 3 * (quarter.number - 1))
    periods = months(start, end)
    assert periods[0][0] == start and periods[-1][1] == end
    assert all(b[0] == a[1] + timedelta(days=1) for a, b in itertools.pairwise(periods))
