"""Requests already handled, by payload hash, for as long as a replay could be accepted."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SeenRequestRow
from storage.upsert import insert_ignoring_conflicts


async def first_time(session: AsyncSession, key: str, at: datetime, window: timedelta) -> bool:
    """Record `key` in the caller's transaction; False when it was recorded before.

    The unique key decides between two replicas handling the same request at once: the
    second waits for the first's transaction and then finds the key. Keys older than
    `window` are dropped on the way: a request that old fails its signature check anyway.
    """
    await session.execute(delete(SeenRequestRow).where(SeenRequestRow.seen_at < at - window))
    values = {"key": key, "seen_at": at}
    return await insert_ignoring_conflicts(session, SeenRequestRow, values, ["key"])
