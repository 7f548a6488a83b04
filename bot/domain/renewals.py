"""Renewal reminders at windows before contract end (PRODUCT.md: 120, 90, 60, 30, 14, 7 days).

Each window is reminded once. After downtime only the nearest passed window is sent,
the older ones counting as covered, so nobody gets three reminders in one morning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.domain.accounts import Account
from bot.domain.health import Status
from bot.domain.journey import State

DEFAULT_WINDOWS = (120, 90, 60, 30, 14, 7)
END_DAY = 0
"""The window of the end-date message, the one with the Renewed / Churned buttons."""


class RenewalPolicy(BaseModel):
    """`[renewals]`: days before contract end at which the AE and TA/CE are reminded."""

    model_config = ConfigDict(extra="forbid")

    windows: tuple[int, ...] = DEFAULT_WINDOWS
    list_days: int = Field(default=120, ge=1)

    @field_validator("windows")
    @classmethod
    def _positive(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(w <= 0 for w in value):
            raise ValueError("windows are days before the end, each above 0")
        return tuple(sorted(set(value), reverse=True))


def decision_ref(account_id: int, contract_end: date) -> str:
    """Our name for the end-date message (Renewed / Churned) of one contract: the decision
    redraws it, and a changed contract end is a new contract with a question of its own."""
    return f"renewal-decision:{account_id}:{contract_end.isoformat()}"


def validate_new_end(old_end: date | None, new_end: date | None) -> str | None:
    """What is wrong with a renewal's new end date, or None."""
    if new_end is None:
        return "choose the new contract end date"
    if old_end is not None and new_end <= old_end:
        return f"the new end must be after the current end, {old_end.isoformat()}"
    return None


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


@dataclass(frozen=True)
class Renewal:
    account: Account
    days_left: int
    health: Status | None
    planning: State | None
    """The state of the renewal-planning activity; None when the journey has none."""
    show_arr: bool = False
    """Whether whoever reads this may see the account's ARR (decided by the services)."""
