"""Messages a use case sends, queued in its own transaction: posts, edits, thread replies.

A button, a modal submit or a job writes its change and its messages in one unit of
work, so both happen or neither does; the outbox then sends them once, in order per
channel, retrying Slack's 429s and 5xx. A post is named by a ref of ours
("nomination:12"), under which the channel and ts Slack gives it are remembered, so an
edit or a reply can be queued by that name before the post has even been sent.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.common import Message
from bot.deps import Doorbell
from bot.domain.outbox import POST, REPLY, UPDATE, post_key
from bot.errors import UnknownMessage
from storage import outbox


async def post(
    session: AsyncSession,
    *,
    ref: str,
    channel: str,
    message: Message,
    at: datetime,
    job: str,
    bell: Doorbell,
) -> bool:
    """Queue `message` to `channel` (a user ID for a DM) under `ref`, for the feature `job`.

    False when `ref` was queued before: a ref names one message, posted once.
    """
    return await _queue(
        session,
        bell,
        kind=POST,
        key=post_key(ref),
        ref=ref,
        channel=channel,
        message=message,
        job=job,
        at=at,
    )


async def edit(
    session: AsyncSession,
    *,
    ref: str,
    message: Message,
    at: datetime,
    job: str,
    bell: Doorbell,
) -> None:
    """Queue new content for the post named `ref`; of several edits the last one queued wins.

    Raises UnknownMessage, which rolls the caller's change back, when no post was ever
    queued under `ref`.
    """
    await _follow_up(session, bell, kind=UPDATE, ref=ref, message=message, job=job, at=at)


async def reply(
    session: AsyncSession,
    *,
    ref: str,
    message: Message,
    at: datetime,
    job: str,
    bell: Doorbell,
) -> None:
    """Queue `message` as a reply in the thread of the post named `ref` (UnknownMessage as
    for `edit`)."""
    await _follow_up(session, bell, kind=REPLY, ref=ref, message=message, job=job, at=at)


async def _follow_up(
    session: AsyncSession,
    bell: Doorbell,
    *,
    kind: str,
    ref: str,
    message: Message,
    job: str,
    at: datetime,
) -> None:
    """An edit or reply waits in its post's channel line, so it cannot overtake the post.

    Each gets a key of its own: two edits queued at once must both stay, in order, not be
    merged into whichever was queued first.
    """
    target = await outbox.post_of(session, ref)
    if target is None:
        raise UnknownMessage(ref)
    await _queue(
        session,
        bell,
        kind=kind,
        key=f"{kind}:{ref}:{uuid.uuid4().hex}",
        ref=ref,
        channel=target.channel,
        message=message,
        job=job,
        at=at,
    )


async def _queue(
    session: AsyncSession,
    bell: Doorbell,
    *,
    kind: str,
    key: str,
    ref: str,
    channel: str,
    message: Message,
    job: str,
    at: datetime,
) -> bool:
    queued = await outbox.enqueue(
        session,
        outbox.NewMessage(
            key=key,
            job=job,
            occurrence=at,
            channel=channel,
            text=message.text,
            blocks=message.blocks,
            kind=kind,
            ref=ref,
        ),
        at=at,
    )
    if queued:
        # Rung before the commit, the sender would look and find nothing yet; on a
        # rollback there is nothing to send.
        event.listen(session.sync_session, "after_commit", lambda _: bell.ring(), once=True)
    return queued
