"""Renewal reminders at windows before contract end (PRODUCT.md: 120, 90, 60, 30, 14, 7 days).

Each window is reminded once. After downtime only the nearest passed window is sent,
the older ones counting as covered, so nobody gets three reminders in one morning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_WINDOWS = (120, 90, 60, 30, 14, 7)


@dataclass(frozen=True)
class Reminder:
    window: int
    """Days before the contract end this reminder stands for."""
    covered: tuple[int, ...]
    """Older windows that passed unsent and are now recorded as covered by this one."""


def reminder_due(
    contract_end: date | None, today: date, windows: tuple[int, ...], sent: set[int]
) -> Reminder | None:
    """The reminder to send today, if any; `sent` holds the windows already sent for this end."""
    if contract_end is None or today > contract_end:
        return None
    passed = sorted(w for w in windows if contract_end - timedelta(days=w) <= today)
    if not passed or passed[0] in sent:
        return None
    return Reminder(passed[0], tuple(w for w in passed[1:] if w not in sent))


def days_left(contract_end: date, today: date) -> int:
    return (contract_end - today).days
