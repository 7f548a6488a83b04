"""Queued messages as plain data: what the outbox holds and what Slack made of our posts.

A message is one of four kinds. A post goes to a channel (or a user's DM) and, when it
has a ref, is remembered under it; an update and a reply name that ref as their target.
A reply may have a name of its own too (its key is `post_key` of the name), so that it can
be edited later like a post: the weekly update's account in its thread. A file is an
image uploaded into its target's thread (the weekly update's chart).
The ref is ours, not Slack's: the channel and ts only exist once the post went out, and
the use case that queues an edit must not wait for that.
"""

from __future__ import annotations

import base64
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
FILE = "file"
KINDS = (POST, UPDATE, REPLY, FILE)
THREADED = (REPLY, FILE)
"""The kinds that go into their target's thread."""


def post_key(ref: str) -> str:
    """The key of the post named `ref`: queued twice, it is still posted once, and an edit
    finds its target by this key (the outbox's unique index) rather than by a scan."""
    return f"post:{ref}"


def own_name(kind: str, key: str, ref: str | None) -> str | None:
    """The name a message is remembered under once sent, so it can be edited by it: a
    post's ref; for a reply named too (its key is `post_key` of its name), that name."""
    if kind == POST:
        return ref
    if kind == REPLY and key.startswith(_POST_PREFIX):
        return key[len(_POST_PREFIX) :]
    return None


_POST_PREFIX = post_key("")


def naming_problem(kind: str, key: str, ref: str | None) -> str | None:
    """Why a message so named could not be delivered as meant; None when it can."""
    if kind not in KINDS:
        return f"unknown kind {kind!r}; one of {', '.join(KINDS)}"
    if kind != POST and ref is None:
        return f"a {kind} needs the ref of the post it is about"
    if kind == POST and ref is not None and key != post_key(ref):
        return f"a post named {ref!r} must have the key {post_key(ref)!r}, or edits miss it"
    if kind == REPLY and ref is not None and own_name(kind, key, ref) == ref:
        return f"a reply cannot have the name of its own post {ref!r}"
    return None


@dataclass(frozen=True)
class FileUpload:
    """A file to upload into a thread. The outbox keeps it in the blocks column (one
    object, the content in base64): a chart is tens of kilobytes, and it must be written
    before it is sent like any other message."""

    filename: str
    """Unique per message: a retry finds an earlier attempt's upload in the thread by it."""
    title: str
    alt_text: str
    content: bytes

    def stored(self) -> list[dict[str, Any]]:
        return [
            {
                "filename": self.filename,
                "title": self.title,
                "alt_text": self.alt_text,
                "content_base64": base64.b64encode(self.content).decode("ascii"),
            }
        ]

    @classmethod
    def from_stored(cls, blocks: list[dict[str, Any]]) -> FileUpload:
        (item,) = blocks
        content = base64.b64decode(item["content_base64"])
        return cls(item["filename"], item["title"], item["alt_text"], content)


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
