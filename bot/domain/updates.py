"""The weekly update (seeds 000, 001): its weeks, its entries, blockers that stay open, and
the team's policy for when it is asked for and where it goes.

A week runs Monday to Sunday in team time and is named as ISO 8601 names it, `2026-W49`:
the year of a week is the year of its Thursday, so 2026-12-31 is in 2026-W53 and
2024-12-30 in 2025-W01.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.domain.accounts import name_key
from bot.domain.field_errors import field_errors
from bot.domain.slack_ids import UserIds

MAX_TEXT = 3000
"""Each of progress, blockers and upcoming: what one Slack text input holds."""
TEAM_WIDE = "team"
"""The account field's value for an entry about the team as a whole, not one account."""
_TEXTS = ("progress", "blockers", "upcoming")


@dataclass(frozen=True, order=True)
class Week:
    """A team week, by its Monday; shown as its ISO name, `2026-W49`."""

    monday: date

    def __post_init__(self) -> None:
        if self.monday.weekday() != 0:
            raise ValueError(f"a week starts on a Monday, not on {self.monday.isoformat()}")

    def __str__(self) -> str:
        year, number, _ = self.monday.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def before(self) -> Week:
        return Week(self.monday - timedelta(weeks=1))


def week_of(day: date) -> Week:
    """The week `day` (a team date) falls in."""
    return Week(day - timedelta(days=day.weekday()))


def weeks_in(year: int) -> int:
    """52 or 53: 28 December always falls in a year's last ISO week."""
    return date(year, 12, 28).isocalendar().week


_WEEK = re.compile(r"(\d{4})-W(\d{1,2})", re.IGNORECASE)


def parse_week(text: str) -> Week | str:
    """`2026-W49` as a week, or what is wrong with it."""
    match = _WEEK.fullmatch(text.strip())
    # The calendar's first and last years have weeks that spill past date's range.
    if match is None or not date.min.year < int(match[1]) < date.max.year:
        return "write a week as year, W and week number, like 2026-W49"
    year, number = int(match[1]), int(match[2])
    if not 1 <= number <= weeks_in(year):
        return f"{year} has weeks W01 to W{weeks_in(year)}"
    return Week(date.fromisocalendar(year, number, 1))


ENTRY_MESSAGES = {"string_too_long": {"*": f"keep it to {MAX_TEXT:,} characters"}}


class EntryDraft(BaseModel):
    """What a person writes for one account (or the team) in one week."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    account_id: int | None = None
    """None: the entry is team-wide."""
    progress: str | None = Field(default=None, max_length=MAX_TEXT)
    blockers: str | None = Field(default=None, max_length=MAX_TEXT)
    upcoming: str | None = Field(default=None, max_length=MAX_TEXT)
    still_open: bool = False
    """The blocker is last week's, still open: it counts on, even if worded anew."""

    @field_validator(*_TEXTS)
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None  # stripped: a field of spaces was left empty

    @model_validator(mode="after")
    def _says_something(self) -> EntryDraft:
        if not any(getattr(self, f) for f in _TEXTS):
            raise ValueError("progress: write the progress, the blockers or what is upcoming")
        if self.still_open and not self.blockers:
            raise ValueError("blockers: write the blocker that is still open")
        return self


def validate_entry(values: dict[str, Any]) -> EntryDraft | dict[str, str]:
    """The entry typed in the modal (field by field, by block id), or a message per field."""
    account = values.get("account")
    if account != TEAM_WIDE and not (isinstance(account, str) and account.isdigit()):
        return {"account": "choose an account, or Team-wide"}
    fields = {f: values.get(f) for f in _TEXTS}
    try:
        return EntryDraft.model_validate(
            {
                "account_id": None if account == TEAM_WIDE else int(account),
                **fields,
                "still_open": values.get("still_open") or False,
            }
        )
    except ValidationError as exc:
        return field_errors(exc, ENTRY_MESSAGES)


@dataclass(frozen=True)
class Blocker:
    """A week's blocker as its author wrote it."""

    week: Week
    text: str
    still_open: bool = False


def same_blocker(one: str, other: str) -> bool:
    """The same text, ignoring case and spacing, as names are compared."""
    return name_key(one) == name_key(other)


def open_weeks(current: Blocker, earlier: Iterable[Blocker]) -> int:
    """How many weeks in a row, this one included, a blocker has stood.

    `earlier`: the blockers the same author wrote for the same account (or the team) in
    earlier weeks. Each week carries the one before it on when it repeats that week's
    text or is marked still open; a week without a blocker ends the run.
    """
    by_week = {b.week: b for b in earlier}
    weeks, this = 1, current
    while (before := by_week.get(this.week.before())) is not None and (
        this.still_open or same_blocker(this.text, before.text)
    ):
        weeks, this = weeks + 1, before
    return weeks


EntryKey = tuple[str, int | None]
"""Whose entry about what, whatever the week: (author, account id or None for team-wide)."""


class UpdateEntry(EntryDraft):
    """An entry as stored: the draft, its week and author, the account's name to show."""

    id: int
    week: Week
    author: str
    account_name: str | None
    """None for a team-wide entry."""
    created_at: datetime
    updated_at: datetime

    @property
    def key(self) -> EntryKey:
        return (self.author, self.account_id)

    @property
    def blocker(self) -> Blocker | None:
        return Blocker(self.week, self.blockers, self.still_open) if self.blockers else None


class UpdatePolicy(BaseModel):
    """`[updates]`: who is asked for an entry, when they are reminded, when the EM gets the
    draft and the bot posts it, and where. Weekdays count from Monday = 0."""

    model_config = ConfigDict(extra="forbid")

    members: UserIds = Field(default_factory=list)
    """Asked for an entry besides each active account's lead engineer."""
    reminder_weekday: int = 3
    reminder_time: time = time(15, 0)
    """In each person's own time zone."""
    draft_weekday: int = 4
    draft_time: time = time(14, 0)
    """In team time, as is autopost_time."""
    autopost_time: time | None = time(16, 0)
    """None (written "") leaves posting to the EM."""
    channel: str | None = Field(default=None, min_length=1)
    """Default: `[team] strategic_channel` (`Settings.updates_channel`)."""

    @field_validator("reminder_weekday", "draft_weekday")
    @classmethod
    def _weekday(cls, value: int) -> int:
        if not 0 <= value <= 6:
            raise ValueError("must be a weekday from 0 (Monday) to 6 (Sunday)")
        return value

    @field_validator("reminder_time", "draft_time", "autopost_time", mode="before")
    @classmethod
    def _clock_time(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None or isinstance(value, time):  # settings copied, or a TOML time
            return value
        if value == "" and info.field_name == "autopost_time":
            return None
        if isinstance(value, str) and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            return time.fromisoformat(value)
        raise ValueError('must be a time of day written "HH:MM", such as "15:00"')
