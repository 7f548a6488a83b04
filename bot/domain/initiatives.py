"""Strategy initiatives (seed 001's dated strategy list, marked ✅ and 🔄): a title, an
owner, a due date and how far along it is; and when its owner is reminded."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.domain.field_errors import field_errors
from bot.domain.slack_ids import SLACK_USER_PATTERN

MAX_TITLE = 200
REMIND_BEFORE = timedelta(days=7)
"""The owner hears a week before the due date."""


class InitiativeStatus(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    DONE = "done"


class Reminder(StrEnum):
    """The two reminders of one due date, each sent once."""

    WEEK_BEFORE = "week-before"
    OVERDUE = "overdue"


INITIATIVE_MESSAGES = {
    "string_pattern_mismatch": {"*": "choose a person"},
    "string_too_long": {"*": f"keep it under {MAX_TITLE} characters"},
}
PAST_DUE = "the due date has passed; choose today or later"


class InitiativeDraft(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    title: str = Field(min_length=1, max_length=MAX_TITLE)
    owner: str = Field(pattern=SLACK_USER_PATTERN)
    due: date


def validate_initiative(values: dict[str, Any], today: date) -> InitiativeDraft | dict[str, str]:
    """The initiative, or a message per field; a due date in the past is refused (an
    initiative already late when it is written down is a plan nobody could keep)."""
    try:
        draft = InitiativeDraft.model_validate(
            {k: v for k, v in values.items() if v not in (None, "")}
        )
    except ValidationError as exc:
        return field_errors(exc, INITIATIVE_MESSAGES)
    if draft.due < today:
        return {"due": PAST_DUE}
    return draft


class Initiative(InitiativeDraft):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: int
    status: InitiativeStatus
    created_by: str
    created_at: datetime
    updated_at: datetime


def soonest_first(items: list[Initiative]) -> list[Initiative]:
    """Soonest due first; initiatives due the same day in the order they were added."""
    return sorted(items, key=lambda i: (i.due, i.id))


def reminder_due(initiative: Initiative, today: date, sent: set[Reminder]) -> Reminder | None:
    """The reminder owed today, if any, given those already sent for its current due date.

    From a week before the due date through the due date itself: the week-before reminder
    (so one written with less than a week to go, or missed while the bot was down, still
    reaches its owner once). From the day after: the overdue one, unless it is done.
    """
    if initiative.status is InitiativeStatus.DONE:
        return None
    if today > initiative.due:
        return None if Reminder.OVERDUE in sent else Reminder.OVERDUE
    if today >= initiative.due - REMIND_BEFORE and Reminder.WEEK_BEFORE not in sent:
        return Reminder.WEEK_BEFORE
    return None
