"""Who was reminded to write a week's update, who snoozed it, and who is away."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.updates import Week
from storage.models import UpdateAwayRow, UpdateReminderRow
from storage.upsert import upsert_many

R = UpdateReminderRow
_KEY = ["week", "person"]


async def of_week(session: AsyncSession, week: Week) -> tuple[set[str], dict[str, datetime]]:
    """Who was reminded in `week`, and the snoozes still to remind, by person."""
    rows = (
        await session.execute(select(R.person, R.snoozed_until).where(R.week == week.monday))
    ).all()
    return {p for p, _ in rows}, {p: until for p, until in rows if until is not None}


async def reminded(
    session: AsyncSession, week: Week, people: Collection[str], at: datetime
) -> None:
    """Each of `people` reminded at `at`: any snooze they had is used up."""
    rows = [
        {"week": week.monday, "person": p, "reminded_at": at, "snoozed_until": None} for p in people
    ]
    if rows:
        await upsert_many(session, R, rows, _KEY)


async def snooze(
    session: AsyncSession, week: Week, person: str, until: datetime, at: datetime
) -> None:
    """Remind `person` once more at `until`; a snooze counts as this week's reminder."""
    row = {"week": week.monday, "person": person, "reminded_at": at, "snoozed_until": until}
    await upsert_many(session, R, [row], _KEY, keep=["reminded_at"])


async def away(session: AsyncSession) -> dict[str, date]:
    """Everyone away, with their last day away (some of those days may be past)."""
    rows = await session.execute(select(UpdateAwayRow.person, UpdateAwayRow.until))
    return {person: until for person, until in rows}


async def set_away(session: AsyncSession, person: str, until: date, at: datetime) -> None:
    row = {"person": person, "until": until, "set_at": at}
    await upsert_many(session, UpdateAwayRow, [row], ["person"])


async def clear_away(session: AsyncSession, person: str) -> bool:
    """Back from away; False when they were not away."""
    result = await session.execute(delete(UpdateAwayRow).where(UpdateAwayRow.person == person))
    return bool(getattr(result, "rowcount", 0))
