"""Alerts fire on entering a state, a recovery included, never on staying."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.alerts import AlertState, label_of, should_alert, status_of, status_since
from bot.domain.health import Status

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("previous", "current", "alert"),
    [
        (None, Status.GREEN, False),
        (None, Status.YELLOW, True),
        (None, Status.RED, True),
        (None, None, False),
        (Status.GREEN, Status.GREEN, False),
        (Status.GREEN, Status.RED, True),
        (Status.RED, Status.RED, False),
        (Status.RED, Status.YELLOW, True),
        (Status.RED, Status.GREEN, True),
        (Status.RED, None, False),
    ],
)
def test_should_alert(previous: Status | None, current: Status | None, alert: bool) -> None:
    state = None if previous is None else AlertState(previous, MONDAY)
    assert should_alert(state, current) is alert


@pytest.mark.parametrize("status", [None, Status.GREEN, Status.YELLOW, Status.RED])
def test_labels_round_trip(status: Status | None) -> None:
    assert status_of(label_of(status)) is status


def test_status_since_is_the_start_of_the_current_run() -> None:
    days = [
        (date(2026, 11, d), s) for d, s in [(18, "green"), (19, "red"), (20, "red"), (21, "red")]
    ]
    assert status_since(days, Status.RED) == date(2026, 11, 19)
    assert status_since(days, Status.GREEN) is None
    assert status_since([], Status.RED) is None
    flapping = [*days, (date(2026, 11, 22), "yellow"), (date(2026, 11, 23), "red")]
    assert status_since(flapping, Status.RED) == date(2026, 11, 23)
