"""Queued messages as plain data: what the outbox holds and what Slack made of our posts.

A message is one of three kinds. A post goes to a channel (or a user's DM) and, when it
has a ref, is remembered under it; an update and a reply name that ref as their target.
The ref is ours, not Slack's: the channel and ts only exist once the post went out, and
the use case that queues an edit must not wait for that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
STATUSES = (PENDING, SENDING, SENT, FAILED)

POST = "post"
UPDATE = "update"
REPLY = "reply"
KINDS = (POST, UPDATE, REPLY)


def post_key(ref: str) -> str:
    """The key of the post named `ref`: queued twice, it is still posted once, and an edit
    finds its target by this key (the outbox's unique index) rather than by a scan."""
    return f"post:{ref}"


def naming_problem(kind: str, key: str, ref: str | None) -> str | None:
    """Why a message so named could not be delivered as meant; None when it can."""
    if kind not in KINDS:
        return f"unknown kind {kind!r}; one of {', '.join(KINDS)}"
    if kind != POST and ref is None:
        return f"a {kind} needs the ref of the post it is about"
    if kind == POST and ref is not None and key != post_key(ref):
        return f"a post named {ref!r} must have the key {post_key(ref)!r}, or edits miss it"
    return None


@dataclass(frozen=True, slots=True)
class QueuedMessage:
    """One outbox entry as the store last saw it."""

    id: int
    key: str
    job: str
    occurrence: datetime
    channel: str
    """Where it waits in line: a post's conversation; for an update or reply, its target's."""
    text: str
    blocks: list[dict[str, Any]]
    status: str
    attempts: int
    next_attempt_at: datetime
    lease_until: datetime | None
    leased_by: str | None
    last_error: str | None
    ts: str | None
    created_at: datetime
    sent_at: datetime | None
    kind: str
    ref: str | None
    """A post's own name; for an update or reply, the name of the post it is about."""


@dataclass(frozen=True, slots=True)
class PostedMessage:
    """Where a post named `ref` landed: what `chat.update` and `thread_ts` need."""

    ref: str
    channel: str
    """The conversation ID Slack answered with (a DM's D…, not the user's U…)."""
    ts: str
    posted_at: datetime
