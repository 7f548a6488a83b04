"""The weekly update's post (issue 11): its name in the outbox, and when its draft and its
automatic posting fall due in a week.

The post is named `weekly-update:{week}`; the outbox keys it `post:weekly-update:{week}`,
so the EM's click, a double click and the automatic post make one post between them, and
the reminders (which stop once it is queued) look it up by the same name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from bot.domain.accounts import Account
from bot.domain.health import Status
from bot.domain.renewals import Renewal
from bot.domain.updates import UpdateEntry, UpdatePolicy, Week

RENEWALS_WITHIN = 90
"""The post names the renewals due within this many days."""


def post_ref(week: Week) -> str:
    """The name of the week's post in the channel."""
    return f"weekly-update:{week}"


def draft_ref(week: Week) -> str:
    """The name of the week's draft DM to the EM: sent once, redrawn when posted."""
    return f"weekly-draft:{week}"


def autoposted_ref(week: Week) -> str:
    """The name of the EM's notice that the bot posted the week's update itself: once."""
    return f"weekly-autoposted:{week}"


def _at(week: Week, weekday: int, clock: time) -> datetime:
    return datetime.combine(week.monday + timedelta(days=weekday), clock)


def draft_due(policy: UpdatePolicy, week: Week, now: datetime) -> bool:
    """Whether the week's draft is due by `now` (naive, team time): from draft_weekday at
    draft_time to the week's end, so a run after downtime still sends it."""
    return now >= _at(week, policy.draft_weekday, policy.draft_time)


def autopost_due(policy: UpdatePolicy, week: Week, now: datetime) -> bool:
    """Whether the bot posts the week's update itself by `now` (naive, team time): on the
    draft's day at autopost_time, never when autopost_time is off."""
    if policy.autopost_time is None:
        return False
    return now >= _at(week, policy.draft_weekday, policy.autopost_time)


@dataclass(frozen=True)
class Digest:
    """What the week's post says, gathered by the services for the blocks."""

    week: Week
    entries: list[UpdateEntry]
    """Team-wide first, then by account name (storage.updates.of_week)."""
    weeks_open: dict[int, int]
    """By entry id: how many weeks in a row its blocker has stood (`open_weeks`)."""
    accounts: list[Account]
    """The active accounts by name: those without an entry are named as such."""
    health: dict[int, Status | None]
    """By account id."""
    renewals: list[Renewal]
    """Due within RENEWALS_WITHIN days, soonest first, ARR shown only as each allows."""
    edited: set[int] = field(default_factory=set)
    """Ids of entries changed after the post went out: marked "edited"."""

    def by_account(self) -> dict[int | None, list[UpdateEntry]]:
        """The entries per account id (None: team-wide), in the post's order."""
        found: dict[int | None, list[UpdateEntry]] = {}
        for entry in self.entries:
            found.setdefault(entry.account_id, []).append(entry)
        return found

    def without_entry(self) -> list[Account]:
        written = {e.account_id for e in self.entries}
        return [a for a in self.accounts if a.id not in written]
