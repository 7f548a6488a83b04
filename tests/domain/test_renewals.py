"""Renewal windows: each once, the nearest after downtime, never after the end."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.domain.renewals import DEFAULT_WINDOWS, Reminder, reminder_due

END = date(2027, 3, 31)


@pytest.mark.parametrize(
    ("days_before", "sent", "expected"),
    [
        (121, set(), None),
        (120, set(), Reminder(120, ())),
        (119, {120}, None),
        (90, {120}, Reminder(90, ())),
        (45, {120}, Reminder(60, (90,))),  # down across the 90 and 60 windows: one reminder
        (45, {120, 90, 60}, None),
        (0, set(), Reminder(7, (14, 30, 60, 90, 120))),
        (-1, set(), None),  # after the end: the end-date message takes over
    ],
)
def test_reminder_due(days_before: int, sent: set[int], expected: Reminder | None) -> None:
    today = END - timedelta(days=days_before)
    assert reminder_due(END, today, DEFAULT_WINDOWS, sent) == expected


def test_no_end_date_no_reminder() -> None:
    assert reminder_due(None, END, DEFAULT_WINDOWS, set()) is None
