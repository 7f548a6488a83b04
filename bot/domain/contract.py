"""Contract quarters (seed 002: the customer journey runs by quarter of the contract).

Quarter 1 starts on the contract start date and each lasts three calendar months, counted
from the start so that a start on the 31st falls to each month's last day without
drifting (31 Jan → 30 Apr → 31 Jul). The last quarter ends with the contract.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


class NoSchedule(ValueError):
    """The contract's dates give no schedule; the message says what to fix."""


@dataclass(frozen=True)
class ContractQuarter:
    number: int
    """1, 2, 3 … counted from the contract start (5 is the first of a second year)."""
    start: date
    end: date
    """Inclusive."""

    @property
    def of_year(self) -> int:
        """1 to 4: the quarter within its contract year, which the journey is written for."""
        return (self.number - 1) % 4 + 1

    @property
    def year(self) -> int:
        return (self.number - 1) // 4 + 1


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day the month lacks falls to its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contract_quarters(start: date | None, end: date | None) -> list[ContractQuarter]:
    """The quarters tiling [start, end] without gap or overlap."""
    if start is None or end is None:
        raise NoSchedule("the contract needs a start and an end date for a journey")
    if end < start:
        raise NoSchedule(f"the contract ends ({end}) before it starts ({start})")
    quarters: list[ContractQuarter] = []
    number = 1
    while True:
        q_start = add_months(start, 3 * (number - 1))
        if q_start > end:
            return quarters
        q_end = min(add_months(start, 3 * number) - timedelta(days=1), end)
        quarters.append(ContractQuarter(number, q_start, q_end))
        number += 1


def months(start: date, end: date) -> list[tuple[date, date]]:
    """Monthly periods from `start` to `end`, anchored on the start day like quarters."""
    periods = []
    n = 0
    while (begin := add_months(start, n)) <= end:
        periods.append((begin, min(add_months(start, n + 1) - timedelta(days=1), end)))
        n += 1
    return periods
