"""When a health alert fires: on entering a state, never on staying in one (PRODUCT.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.health import Status


@dataclass(frozen=True)
class AlertState:
    """The status an account was last alerted (or recorded) in, since when."""

    status: Status | None
    since: date
    acknowledged_by: str | None = None
    """Who took the alert of this state; a new state clears it."""


def should_alert(previous: AlertState | None, current: Status | None) -> bool:
    """A change alerts, a recovery too; the first sighting alerts only when not green.

    An account without a score (no data yet) neither alerts nor resets the state.
    """
    if current is None:
        return False
    if previous is None:
        return current is not Status.GREEN
    return previous.status is not current


def status_of(label: str) -> Status | None:
    """The stored form of a status back to the enum ("none" when there was no score)."""
    return None if label == "none" else Status[label.upper()]


def label_of(status: Status | None) -> str:
    return "none" if status is None else status.label


def status_since(days: list[tuple[date, str]], current: Status | None) -> date | None:
    """The first day of the current unbroken run of `current` in the daily history.

    `days` is the recorded (day, status) history, oldest first; None when the history
    does not end in the current status (today's run has not been recorded yet).
    """
    since = None
    for day, label in days:
        since = (since or day) if status_of(label) is current else None
    return since
