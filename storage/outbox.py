"""The outbox: messages written before they are sent, leased to one sender at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxRow
from storage.upsert import insert_ignoring_conflicts

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
STATUSES = (PENDING, SENDING, SENT, FAILED)


@dataclass(frozen=True)
class NewMessage:
    key: str
    job: str
    occurrence: datetime
    channel: str
    text: str
    blocks: list[dict[str, Any]]


async def enqueue(session: AsyncSession, message: NewMessage, *, at: datetime) -> bool:
    """Queue a message unless its key was queued before; True when this call queued it."""
    values = {
        "key": message.key,
        "job": message.job,
        "occurrence": message.occurrence,
        "channel": message.channel,
        "text": message.text,
        "blocks": message.blocks,
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": at,
        "created_at": at,
    }
    return await insert_ignoring_conflicts(session, OutboxRow, values, ["key"])


def _claimable(now: datetime) -> Any:
    return or_(
        and_(OutboxRow.status == PENDING, OutboxRow.next_attempt_at <= now),
        and_(OutboxRow.status == SENDING, OutboxRow.lease_until < now),
    )


async def heads(session: AsyncSession, now: datetime, limit: int = 500) -> list[OutboxRow]:
    """Per channel, its oldest unsent message, if it may be tried now.

    Only the oldest goes, so a channel's messages arrive in the order they were queued
    even when one of them waits for a retry.
    """
    unsent = [PENDING, SENDING]
    oldest = (
        select(func.min(OutboxRow.id))
        .where(OutboxRow.status.in_(unsent))
        .group_by(OutboxRow.channel)
        .scalar_subquery()
    )
    query = (
        select(OutboxRow)
        .where(OutboxRow.id.in_(oldest), _claimable(now))
        .order_by(OutboxRow.id)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def lease(
    session: AsyncSession, row_id: int, *, replica: str, now: datetime, for_: timedelta
) -> int | None:
    """Take a message for sending: its attempt number, or None when another sender has it.

    The number comes from the same statement as the lease: a count read earlier may be
    stale by then (another replica tried meanwhile), and it decides the history check.
    """
    statement = (
        update(OutboxRow)
        .where(OutboxRow.id == row_id, _claimable(now))
        .values(
            status=SENDING,
            lease_until=now + for_,
            leased_by=replica,
            attempts=OutboxRow.attempts + 1,
        )
        .returning(OutboxRow.attempts)
    )
    attempts: int | None = (await session.execute(statement)).scalar_one_or_none()
    return attempts


async def next_due(session: AsyncSession) -> datetime | None:
    """When the next waiting message may be tried (a retry, or an expired lease)."""
    retry = select(func.min(OutboxRow.next_attempt_at)).where(OutboxRow.status == PENDING)
    lease_end = select(func.min(OutboxRow.lease_until)).where(OutboxRow.status == SENDING)
    moments = [(await session.execute(q)).scalar_one_or_none() for q in (retry, lease_end)]
    found = [m for m in moments if m is not None]
    return min(found) if found else None


async def finish(
    session: AsyncSession,
    row_id: int,
    *,
    replica: str,
    status: str,
    now: datetime,
    ts: str | None = None,
    error: str | None = None,
    retry_at: datetime | None = None,
    uncount: bool = False,
) -> None:
    """Record how a send ended, only if this sender still holds the lease.

    `uncount` gives the attempt back: a 429 means Slack refused before posting anything.
    """
    values: dict[str, Any] = {"status": status, "lease_until": None, "last_error": error}
    if uncount:
        values["attempts"] = OutboxRow.attempts - 1
    if status == SENT:
        values |= {"ts": ts, "sent_at": now}
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    statement = (
        update(OutboxRow)
        .where(OutboxRow.id == row_id, OutboxRow.leased_by == replica)
        .values(**values)
    )
    await session.execute(statement)


async def retry(session: AsyncSession, row_id: int, *, now: datetime) -> bool:
    """Put a failed message back in the queue (the operator fixed the cause)."""
    statement = (
        update(OutboxRow)
        .where(OutboxRow.id == row_id, OutboxRow.status == FAILED)
        .values(status=PENDING, next_attempt_at=now, attempts=0, last_error=None)
    )
    return bool((await session.execute(statement)).rowcount)  # type: ignore[attr-defined]


async def listing(
    session: AsyncSession, status: str | None = None, limit: int = 200
) -> list[OutboxRow]:
    query = select(OutboxRow).order_by(OutboxRow.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxRow.status == status)
    return list((await session.execute(query)).scalars())


async def of_occurrence(session: AsyncSession, job: str, occurrence: datetime) -> list[OutboxRow]:
    query = select(OutboxRow).where(OutboxRow.job == job, OutboxRow.occurrence == occurrence)
    return list((await session.execute(query.order_by(OutboxRow.id))).scalars())
