"""Messages a use case sends, queued in its own transaction: posts, edits, thread replies
and files.

A button, a modal submit or a job writes its change and its messages in one unit of
work, so both happen or neither does; the outbox then sends them once, in order per
channel, retrying Slack's 429s and 5xx. A post is named by a ref of ours
("nomination:12"), under which the channel and ts Slack gives it are remembered, so an
edit or a reply can be queued by that name before the post has even been sent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.common import Message
from bot.deps import Doorbell
from bot.domain.outbox import FILE, POST, REPLY, UPDATE, FileUpload, post_key
from bot.errors import UnknownMessage
from storage import outbox
from storage.db import after_commit


@dataclass(frozen=True)
class Queueing:
    """Who queues and when: the feature's name (outbox list shows it), the moment, and the
    doorbell of this process's sender, rung once the caller's transaction commits."""

    job: str
    at: datetime
    bell: Doorbell


async def post(
    session: AsyncSession, by: Queueing, *, ref: str, channel: str, message: Message
) -> bool:
    """Queue `message` to `channel` (a user ID for a DM) under `ref`.

    False when `ref` was queued before: a ref names one message, posted once.
    """
    new = _new(by, POST, post_key(ref), ref, channel, message.text, message.blocks)
    return await _queue(session, by, new)


async def edit(session: AsyncSession, by: Queueing, *, ref: str, message: Message) -> None:
    """Queue new content for the post named `ref`; of several edits the last one queued wins.

    Raises UnknownMessage, which rolls the caller's change back, when no post was ever
    queued under `ref`.
    """
    await _follow_up(session, by, UPDATE, ref, message.text, message.blocks)


async def reply(
    session: AsyncSession, by: Queueing, *, ref: str, message: Message, name: str | None = None
) -> bool:
    """Queue `message` as a reply in the thread of the post named `ref` (UnknownMessage as
    for `edit`). A reply given a `name` can be edited by it later, as a post can; False
    when that name was queued before."""
    key = post_key(name) if name is not None else None
    return await _follow_up(session, by, REPLY, ref, message.text, message.blocks, key)


async def thread(
    session: AsyncSession, by: Queueing, *, ref: str, replies: list[tuple[str, Message]]
) -> None:
    """Queue named replies, in order, in the thread of the post named `ref` in one batch
    (UnknownMessage as for `edit`); a name queued before keeps what it had."""
    target = await outbox.post_of(session, ref)
    if target is None:
        raise UnknownMessage(ref)
    rows = [
        _new(by, REPLY, post_key(name), ref, target.channel, m.text, m.blocks)
        for name, m in replies
    ]
    await outbox.enqueue_all(session, rows, at=by.at)
    if rows:
        after_commit(session, by.bell.ring)


async def upload(session: AsyncSession, by: Queueing, *, ref: str, file: FileUpload) -> bool:
    """Queue `file` for upload into the thread of the post named `ref`, once per filename
    (UnknownMessage as for `edit`)."""
    key = f"{FILE}:{ref}:{file.filename}"
    return await _follow_up(session, by, FILE, ref, file.title, file.stored(), key)


async def _follow_up(
    session: AsyncSession,
    by: Queueing,
    kind: str,
    ref: str,
    text: str,
    blocks: list[dict[str, Any]],
    key: str | None = None,
) -> bool:
    """An edit, reply or file waits in its post's channel line, so it cannot overtake the
    post.

    Each edit gets a key of its own: two edits queued at once must both stay, in order,
    not be merged into whichever was queued first.
    """
    target = await outbox.post_of(session, ref)
    if target is None:
        raise UnknownMessage(ref)
    key = key or f"{kind}:{ref}:{uuid.uuid4().hex}"
    return await _queue(session, by, _new(by, kind, key, ref, target.channel, text, blocks))


def _new(
    by: Queueing,
    kind: str,
    key: str,
    ref: str,
    channel: str,
    text: str,
    blocks: list[dict[str, Any]],
) -> outbox.NewMessage:
    return outbox.NewMessage(
        key=key,
        job=by.job,
        occurrence=by.at,
        channel=channel,
        text=text,
        blocks=blocks,
        kind=kind,
        ref=ref,
    )


async def _queue(session: AsyncSession, by: Queueing, new: outbox.NewMessage) -> bool:
    queued = await outbox.enqueue(session, new, at=by.at)
    if queued:
        # Rung before the commit, the sender would look and find nothing yet; on a
        # rollback there is nothing to send.
        after_commit(session, by.bell.ring)
    return queued
