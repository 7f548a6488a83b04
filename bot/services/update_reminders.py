"""Reminding people to write the weekly update: who is asked and what the week holds, the
reminders recorded, a snooze, and being away."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import phrases
from bot.deps import Deps
from bot.domain.clock import local_day
from bot.domain.update_reminders import SNOOZE_HOUR, WeekReminders
from bot.domain.updates import Week, week_of
from bot.domain.weekly import post_ref
from bot.errors import UserError
from bot.services.replays import once
from storage import accounts as account_store
from storage import outbox, update_reminders, updates


@dataclass(frozen=True)
class ReminderRound:
    week: Week
    asked: list[str]
    """Every active account's lead engineer and `[updates] members`, in that order."""
    state: WeekReminders


async def reminder_round(deps: Deps, at: datetime) -> ReminderRound:
    """The team week `at` falls in, who is asked, and what that week holds already."""
    week = week_of(local_day(at, deps.settings.team.zone))
    async with deps.db.session() as session:
        leads = [a.lead_engineer for a in await account_store.list_accounts(session)]
        reminded, snoozed = await update_reminders.of_week(session, week)
        away = await update_reminders.away(session)
        written = {e.author for e in await updates.of_week(session, week)}
        posted = await outbox.post_of(session, post_ref(week)) is not None
    asked = list(dict.fromkeys([*(p for p in leads if p), *deps.settings.updates.members]))
    state = WeekReminders(frozenset(reminded), snoozed, away, frozenset(written), posted)
    return ReminderRound(week, asked, state)


async def record_reminded(
    session: AsyncSession, week: Week, people: Collection[str], at: datetime
) -> None:
    """In the job's claim: each of `people` had this week's reminder (or their snooze's)."""
    await update_reminders.reminded(session, week, people, at)


async def snooze(deps: Deps, person: str, until: datetime | None) -> datetime:
    """Remind `person` again at `until` (None: in an hour); a moment past is refused."""
    now = deps.clock()
    until = until or now + SNOOZE_HOUR
    if until <= now:
        raise UserError(phrases.SNOOZE_PAST)
    async with deps.db.session() as session:
        await once(session, deps)
        await update_reminders.snooze(session, week_of(deps.today()), person, until, now)
    return until


async def set_away(deps: Deps, person: str, until: date) -> None:
    """No reminders for `person` through `until`; a day before today is refused."""
    if until < deps.today():
        raise UserError(phrases.away_past(until.isoformat()))
    async with deps.db.session() as session:
        await once(session, deps)
        await update_reminders.set_away(session, person, until, deps.clock())


async def back_from_away(deps: Deps, person: str) -> bool:
    """Reminders again; False when `person` was not away."""
    async with deps.db.session() as session:
        await once(session, deps)
        return await update_reminders.clear_away(session, person)
