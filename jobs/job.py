"""What a scheduled job is: a name, a default schedule, and a function that plans its posts.

A job never posts. It returns a Plan — the messages to send and, optionally, the state
to write — and the runner stores both in the transaction that claims the occurrence.
So an occurrence either happened completely (claimed, messages queued, state written)
or not at all, and a dry run is the same plan, printed instead of stored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.blocks.common import Message

if TYPE_CHECKING:  # annotations only: the catalog, and so `jobs list`, stays light
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.config import Settings
    from bot.deps import Deps
    from bot.domain.outbox import FileUpload


@dataclass(frozen=True)
class Outbound:
    """One message to one conversation (a channel ID, or a user ID for a DM)."""

    channel: str
    message: Message
    ref: str | None = None
    """A name for the post (unique across the app, e.g. "weekly-update:2026-W49"), so that a
    button or a later job can edit it or reply in its thread (bot.services.notify)."""
    thread_of: str | None = None
    """The ref of a post of the same plan (or queued before) this is a reply in, in the
    same channel; its own `ref`, if any, names the reply."""
    file: FileUpload | None = None
    """Uploaded into the thread of `thread_of` instead of posting `message`, which then
    only describes it to dry runs."""

    @classmethod
    def upload(cls, channel: str, file: FileUpload, *, thread_of: str) -> Outbound:
        described = Message(f"{file.title} ({file.filename})")
        return cls(channel, described, thread_of=thread_of, file=file)


@dataclass(frozen=True)
class Plan:
    messages: list[Outbound] = field(default_factory=list)
    apply: Callable[[AsyncSession], Awaitable[None]] | None = None
    """State to write with the claim (alert markers, history); skipped by dry runs."""


@dataclass(frozen=True)
class Job:
    name: str
    cron: str
    description: str
    plan: Callable[[Deps, datetime], Awaitable[Plan]]
    previewed: bool = True
    """False for a job that checks often and posts rarely (hourly reminders, each at a
    person's own time): each of its runs in the App Home's week would crowd the rest out."""
    cron_for: Callable[[Settings], str] | None = None
    """A default schedule that follows the feature's own settings (the weekly update's
    draft_time), instead of `cron`; `[scheduler.jobs]` still overrides it."""

    def default_cron(self, settings: Settings) -> str:
        return self.cron_for(settings) if self.cron_for else self.cron
