"""What the bot will post in the coming days and what it last sent, for people to see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.deps import Deps
from jobs.catalog import ScheduledJob
from storage import outbox


@dataclass(frozen=True)
class Upcoming:
    at: datetime
    job: str
    description: str


@dataclass(frozen=True)
class Sent:
    at: datetime
    job: str
    channel: str


def upcoming(
    jobs: dict[str, ScheduledJob], now: datetime, within: timedelta = timedelta(days=7)
) -> list[Upcoming]:
    found = [
        Upcoming(moment, name, scheduled.job.description)
        for name, scheduled in jobs.items()
        for moment in scheduled.schedule.occurrences(now, now + within)
    ]
    return sorted(found, key=lambda u: (u.at, u.job))


async def recently_sent(deps: Deps, limit: int = 5) -> list[Sent]:
    async with deps.db.session() as session:
        rows = await outbox.listing(session, outbox.SENT, limit=limit)
    return [Sent(row.sent_at or row.created_at, row.job, row.channel) for row in rows]
