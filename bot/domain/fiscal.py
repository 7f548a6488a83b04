"""The fiscal calendar (seed 004): the year starts 1 February by default and is named for
the calendar year it ends in — FY22 runs 2021-02-01 … 2022-01-31, FY22-Q2 is 2021-05-01 …
2021-07-31."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class FiscalQuarter:
    year: int
    """The fiscal year's name: FY22 is 22 … as 2022."""
    quarter: int
    start: date
    end: date
    """Inclusive."""

    @property
    def label(self) -> str:
        return f"FY{self.year % 100:02d}-Q{self.quarter}"


def _month_start(year: int, month: int) -> date:
    """The first of a month counted from any integer month (13 is next January)."""
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def fiscal_quarter(day: date, start_month: int = 2) -> FiscalQuarter:
    """The fiscal quarter `day` falls in, for a year starting on the 1st of `start_month`."""
    if not 1 <= start_month <= 12:
        raise ValueError("the fiscal year must start in a month from 1 to 12")
    first_year = day.year if day.month >= start_month else day.year - 1
    months_in = (day.year - first_year) * 12 + day.month - start_month
    quarter = months_in // 3 + 1
    start = _month_start(first_year, start_month + (quarter - 1) * 3)
    end = _month_start(first_year, start_month + quarter * 3) - timedelta(days=1)
    year_ends = _month_start(first_year, start_month + 12) - timedelta(days=1)
    return FiscalQuarter(year_ends.year, quarter, start, end)
