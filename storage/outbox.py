"""The outbox: messages written before they are sent, leased to one sender at a time.

Also where named posts landed (`posted_messages`), so that edits and thread replies
queued by their target's ref find the channel and ts Slack gave it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.outbox import (
    FAILED,
    PENDING,
    POST,
    SENDING,
    SENT,
    PostedMessage,
    QueuedMessage,
    naming_problem,
    post_key,
)
from bot.domain.outbox import STATUSES as STATUSES  # re-exported, as are the statuses
from storage.models import OutboxRow, PostedMessageRow
from storage.upsert import insert_ignoring_conflicts, insert_many_ignoring_conflicts

_QUEUED_FIELDS = [f.name for f in fields(QueuedMessage)]
"""A QueuedMessage names its attributes after the outbox's columns, so one copy fits all."""


@dataclass(frozen=True)
class NewMessage:
    key: str
    job: str
    occurrence: datetime
    channel: str
    text: str
    blocks: list[dict[str, Any]]
    kind: str = POST
    ref: str | None = None

    def __post_init__(self) -> None:
        if problem := naming_problem(self.kind, self.key, self.ref):
            raise ValueError(problem)


async def enqueue(session: AsyncSession, message: NewMessage, *, at: datetime) -> bool:
    """Queue a message unless its key was queued before; True when this call queued it."""
    return await insert_ignoring_conflicts(session, OutboxRow, _values(message, at), ["key"])


async def enqueue_all(session: AsyncSession, messages: list[NewMessage], *, at: datetime) -> None:
    """Queue each message unless its key was queued before, in one batch: a weekly update's
    two hundred replies are one round trip, not two hundred."""
    rows = [_values(m, at) for m in messages]
    await insert_many_ignoring_conflicts(session, OutboxRow, rows, ["key"])


def _values(message: NewMessage, at: datetime) -> dict[str, Any]:
    return {
        "key": message.key,
        "job": message.job,
        "occurrence": message.occurrence,
        "channel": message.channel,
        "text": message.text,
        "blocks": message.blocks,
        "kind": message.kind,
        "ref": message.ref,
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": at,
        "created_at": at,
    }


def _queued(row: OutboxRow) -> QueuedMessage:
    return QueuedMessage(**{name: getattr(row, name) for name in _QUEUED_FIELDS})


async def _queued_by(session: AsyncSession, query: Any) -> list[QueuedMessage]:
    return [_queued(row) for row in (await session.execute(query)).scalars()]


def _claimable(now: datetime) -> Any:
    return or_(
        and_(OutboxRow.status == PENDING, OutboxRow.next_attempt_at <= now),
        and_(OutboxRow.status == SENDING, OutboxRow.lease_until < now),
    )


async def heads(session: AsyncSession, now: datetime, limit: int = 500) -> list[QueuedMessage]:
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
    return await _queued_by(session, query)


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
) -> bool:
    """Record how a send ended, only if this sender still holds the lease (then True).

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
    return bool((await session.execute(statement)).rowcount)  # type: ignore[attr-defined]


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
) -> list[QueuedMessage]:
    query = select(OutboxRow).order_by(OutboxRow.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxRow.status == status)
    return await _queued_by(session, query)


async def of_occurrence(
    session: AsyncSession, job: str, occurrence: datetime
) -> list[QueuedMessage]:
    query = select(OutboxRow).where(OutboxRow.job == job, OutboxRow.occurrence == occurrence)
    return await _queued_by(session, query.order_by(OutboxRow.id))


async def post_of(session: AsyncSession, ref: str) -> QueuedMessage | None:
    """The post queued under `ref`, in whatever state it is; None if none ever was."""
    found = await _queued_by(session, select(OutboxRow).where(OutboxRow.key == post_key(ref)))
    return found[0] if found else None


async def remember_posted(session: AsyncSession, message: PostedMessage) -> None:
    """Keep where a named post landed; a second sender that found it too changes nothing."""
    values = {
        "ref": message.ref,
        "channel": message.channel,
        "ts": message.ts,
        "posted_at": message.posted_at,
    }
    await insert_ignoring_conflicts(session, PostedMessageRow, values, ["ref"])


async def posted(session: AsyncSession, ref: str) -> PostedMessage | None:
    """Where the post named `ref` landed; None until it was sent."""
    row = await session.get(PostedMessageRow, ref)
    if row is None:
        return None
    return PostedMessage(ref=row.ref, channel=row.channel, ts=row.ts, posted_at=row.posted_at)


async def posts_named_under(session: AsyncSession, prefix: str) -> dict[str, QueuedMessage]:
    """The posts and named replies whose name starts with `prefix`, by name: a weekly
    update's account replies, found in one read."""
    start = post_key(prefix)
    query = select(OutboxRow).where(OutboxRow.key.startswith(start, autoescape=True))
    return {row.key[len(post_key("")) :]: row for row in await _queued_by(session, query)}
