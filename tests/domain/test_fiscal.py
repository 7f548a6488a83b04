"""The fiscal calendar of seed 004, and any other start month."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.fiscal import fiscal_quarter


@pytest.mark.parametrize(
    ("day", "label", "start", "end"),
    [
        (date(2021, 2, 1), "FY22-Q1", date(2021, 2, 1), date(2021, 4, 30)),
        (date(2021, 5, 1), "FY22-Q2", date(2021, 5, 1), date(2021, 7, 31)),
        (date(2021, 7, 31), "FY22-Q2", date(2021, 5, 1), date(2021, 7, 31)),
        (date(2022, 1, 31), "FY22-Q4", date(2021, 11, 1), date(2022, 1, 31)),
        (date(2022, 2, 1), "FY23-Q1", date(2022, 2, 1), date(2022, 4, 30)),
        (date(2026, 11, 23), "FY27-Q4", date(2026, 11, 1), date(2027, 1, 31)),
    ],
)
def test_seed_004_calendar(day: date, label: str, start: date, end: date) -> None:
    quarter = fiscal_quarter(day)
    assert (quarter.label, quarter.start, quarter.end) == (label, start, end)


def test_calendar_year_when_the_year_starts_in_january() -> None:
    quarter = fiscal_quarter(date(2026, 12, 31), start_month=1)
    assert (quarter.label, quarter.start, quarter.end) == (
        "FY26-Q4",
        date(2026, 10, 1),
        date(2026, 12, 31),
    )
    with pytest.raises(ValueError):
        fiscal_quarter(date(2026, 1, 1), start_month=13)


@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)), start=st.integers(1, 12)
)
def test_quarters_contain_the_day_and_tile_the_year(day: date, start: int) -> None:
    quarter = fiscal_quarter(day, start)
    assert quarter.start <= day <= quarter.end
    assert quarter.start.day == 1 and (quarter.end + timedelta(days=1)).day == 1
    following = fiscal_quarter(quarter.end + timedelta(days=1), start)
    assert following.quarter == quarter.quarter % 4 + 1
    assert following.year == quarter.year + (1 if quarter.quarter == 4 else 0)
