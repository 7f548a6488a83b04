"""Occurrence claims: one row per (job, scheduled time); the unique constraint picks one winner."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.schedule import JobRun
from storage.models import JobRunRow
from storage.upsert import insert_ignoring_conflicts

DONE = "done"
SKIPPED = "skipped"


async def claim(
    session: AsyncSession,
    job: str,
    scheduled_for: datetime,
    *,
    replica: str,
    at: datetime,
    status: str = DONE,
    messages: int = 0,
    note: str | None = None,
) -> bool:
    """True for the one caller whose insert won; False when any replica already has it."""
    values = {
        "job": job,
        "scheduled_for": scheduled_for,
        "status": status,
        "replica": replica,
        "messages": messages,
        "recorded_at": at,
        "note": note,
    }
    return await insert_ignoring_conflicts(session, JobRunRow, values, ["job", "scheduled_for"])


async def is_claimed(session: AsyncSession, job: str, scheduled_for: datetime) -> bool:
    query = select(JobRunRow.id).where(
        JobRunRow.job == job, JobRunRow.scheduled_for == scheduled_for
    )
    return (await session.execute(query)).first() is not None


async def last_recorded(session: AsyncSession, job: str) -> datetime | None:
    query = select(func.max(JobRunRow.scheduled_for)).where(JobRunRow.job == job)
    latest: datetime | None = (await session.execute(query)).scalar_one_or_none()
    return latest


async def runs(session: AsyncSession, job: str | None = None) -> list[JobRun]:
    query = select(JobRunRow).order_by(JobRunRow.scheduled_for, JobRunRow.id)
    if job:
        query = query.where(JobRunRow.job == job)
    return [
        JobRun(row.job, row.scheduled_for, row.status, row.replica, row.messages, row.note)
        for row in (await session.execute(query)).scalars()
    ]
