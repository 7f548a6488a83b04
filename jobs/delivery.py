"""The delivery engine: sends what the outbox holds, once per key, in order per channel.

- Four kinds of message. A post (`chat.postMessage`); a named one is remembered with
  the channel and ts Slack answered, in the transaction that marks it sent. An update of
  a named post (`chat.update`), a reply in its thread (`chat.postMessage` with
  `thread_ts`; remembered too when named) and a file uploaded into its thread
  (`files_upload_v2`), all queued in their target's channel line: they go after the
  post, and two edits of one message land in the order they were queued.
- An update or reply whose target was never posted (or failed for good) fails for good.
- Paces itself at `channel_pace_seconds` per channel; Slack's 429s are the last line.
- 429: waits the `Retry-After` it was given, for that channel only.
- 5xx, timeouts, connection errors: backs off exponentially, up to `max_attempts`.
- not_in_channel: the bot joins the (public) channel and sends once more; a private
  channel it cannot join fails the message, reported to the admin channel once per
  channel, naming it.
- Any other Slack error (channel_not_found, invalid_blocks, message_not_found,
  cant_update_message, …) is permanent: recorded, and reported once to the admin
  channel.
- A post or reply that may have reached Slack before (its process died mid-send, or a
  5xx that Slack had acted on) is looked for by the key carried in its message metadata,
  in the channel's history or the thread, before it is sent again. An update is simply
  sent again: the same edit twice leaves the same message.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncSlackResponse, AsyncWebClient

from bot.blocks.delivery import delivery_failure
from bot.deps import Deps
from bot.domain.outbox import (
    FILE,
    POST,
    UPDATE,
    FileUpload,
    PostedMessage,
    QueuedMessage,
    own_name,
)
from storage import outbox

log = logging.getLogger(__name__)

METADATA_EVENT = "strategic_bot_delivery"
REPORT_JOB = "delivery-failure"
NOT_IN_CHANNEL = "not_in_channel"
TRANSIENT_ERRORS = {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}
HISTORY_SLACK = timedelta(minutes=5)
POLL_SECONDS = 1.0


class Delivery:
    """One per replica; replicas share the outbox safely through leases."""

    def __init__(self, deps: Deps, client: AsyncWebClient) -> None:
        self.deps = deps
        self.client = client
        self.policy = deps.settings.scheduler
        self._ready_at: dict[str, float] = {}
        self._dm_channels: dict[str, str] = {}
        self._unjoinable: set[str] = set()
        """Channels reported once already as closed to the bot."""

    def wake(self) -> None:
        """Something was queued: look now rather than at the next poll."""
        self.deps.bell.ring()

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                if await self.pass_once():
                    continue  # a channel's next message may be ready at once
                pause = await self.idle_seconds()
            except Exception:  # the store or network hiccuped: the loop must outlive it
                log.exception("delivery pass failed; retrying")
                pause = POLL_SECONDS
            # A ring during the pass is kept by the bell: this wait then returns at once.
            wait = asyncio.ensure_future(self.deps.bell.wait())
            halt = asyncio.ensure_future(stop.wait())
            await asyncio.wait({wait, halt}, timeout=pause, return_when="FIRST_COMPLETED")
            wait.cancel()
            halt.cancel()

    async def idle_seconds(self) -> float:
        """Until the next thing is due: a paced channel, a retry or an expired lease."""
        now = time.monotonic()
        moments = [t - now for t in self._ready_at.values() if t > now]
        async with self.deps.db.session() as session:
            due = await outbox.next_due(session)
        if due is not None:
            moments.append((due - self.deps.clock()).total_seconds())
        return max(0.005, min([POLL_SECONDS, *moments]))

    async def pass_once(self) -> int:
        """Try every channel's next message that may go now; return how many were settled."""
        async with self.deps.db.session() as session:
            rows = await outbox.heads(session, self.deps.clock())
        ready = [row for row in rows if self._ready_at.get(row.channel, 0.0) <= time.monotonic()]
        settled = await asyncio.gather(*(self._deliver(row) for row in ready))
        return sum(settled)

    async def _deliver(self, row: QueuedMessage) -> bool:
        now = self.deps.clock()
        lease = timedelta(seconds=self.policy.lease_seconds)
        async with self.deps.db.session() as session:
            attempt = await outbox.lease(
                session, row.id, replica=self.deps.replica, now=now, for_=lease
            )
        if attempt is None:
            return False
        target = await self._target(row) if row.kind != POST else None
        if isinstance(target, bool):
            return target
        if attempt > 1 and row.kind != UPDATE:
            landed = await self._already_posted(row, target)
            if landed is not None:
                log.info("outbox %s was already in %s (ts %s): not sent again", row.key, *landed)
                await self._sent(row, *landed)
                return True
        try:
            response = await self._send_joining(row, target)
        except SlackApiError as exc:
            return await self._slack_error(row, attempt, exc)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return await self._transient(row, attempt, f"{type(exc).__name__}: {exc}")
        self._ready_at[row.channel] = time.monotonic() + self.policy.channel_pace_seconds
        if row.kind == FILE:
            assert isinstance(target, PostedMessage)
            # A file has no ts of its own in the answer: its ID stands in for it.
            await self._sent(row, target.channel, str((response.get("file") or {}).get("id")))
        else:
            await self._sent(row, str(response.get("channel")), str(response.get("ts")))
        return True

    async def _target(self, row: QueuedMessage) -> PostedMessage | bool:
        """The post an update or reply is about; without one, whether the row was settled.

        notify queues it in its post's channel line, behind the post, so "not posted yet"
        only meets a row queued in another line by hand: it waits without using up attempts.
        """
        assert row.ref is not None  # NewMessage refuses an update or reply without one
        async with self.deps.db.session() as session:
            target = await outbox.posted(session, row.ref)
            post = await outbox.post_of(session, row.ref) if target is None else None
        if target is not None:
            return target
        if post is not None and post.status in (outbox.PENDING, outbox.SENDING):
            retry_at = self.deps.clock() + timedelta(seconds=POLL_SECONDS)
            error = f"waiting for {row.ref!r} to be posted"
            await self._finish(row, outbox.PENDING, error=error, retry_at=retry_at, uncount=True)
            return False
        why = f": {post.last_error}" if post is not None and post.last_error else ""
        await self._fail(row, f"the {row.kind}'s target {row.ref!r} was never posted{why}")
        return True

    async def _send_joining(
        self, row: QueuedMessage, target: PostedMessage | None
    ) -> AsyncSlackResponse:
        """Send; told the bot is not in a public channel, join it and send once more, so an
        admin who forgot to invite the bot loses nothing."""
        try:
            return await self._send(row, target)
        except SlackApiError as exc:
            if exc.response.get("error") != NOT_IN_CHANNEL:
                raise
            if not await self._join(target.channel if target else row.channel):
                raise
        return await self._send(row, target)

    async def _join(self, channel: str) -> bool:
        """Whether the bot is now in `channel`: Slack lets it join public channels only."""
        try:
            await self.client.conversations_join(channel=channel)
        except SlackApiError as exc:
            log.warning("cannot join %s: %s", channel, exc.response.get("error"))
            return False
        log.info("joined %s to post there", channel)
        return True

    async def _send(self, row: QueuedMessage, target: PostedMessage | None) -> AsyncSlackResponse:
        if row.kind == UPDATE:
            assert target is not None  # _deliver resolved it
            # An empty list, not None: chat.update keeps the old blocks when none are sent.
            return await self.client.chat_update(
                channel=target.channel, ts=target.ts, text=row.text, blocks=row.blocks
            )
        if row.kind == FILE:
            assert target is not None
            file = FileUpload.from_stored(row.blocks)
            return await self.client.files_upload_v2(
                channel=target.channel,
                thread_ts=target.ts,
                content=file.content,
                filename=file.filename,
                title=file.title,
                alt_txt=file.alt_text,
            )
        return await self.client.chat_postMessage(
            channel=target.channel if target else row.channel,
            thread_ts=target.ts if target else None,
            text=row.text,
            blocks=row.blocks or None,
            metadata={"event_type": METADATA_EVENT, "event_payload": {"key": row.key}},
            unfurl_links=False,
            unfurl_media=False,
        )

    async def _slack_error(self, row: QueuedMessage, attempt: int, exc: SlackApiError) -> bool:
        status = exc.response.status_code
        error = str(exc.response.get("error") or f"HTTP {status}")
        if status == 429:
            wait = _retry_after(exc.response.headers)
            self._ready_at[row.channel] = time.monotonic() + wait
            retry_at = self.deps.clock() + timedelta(seconds=wait)
            await self._finish(row, outbox.PENDING, error=error, retry_at=retry_at, uncount=True)
            return False
        if status >= 500 or error in TRANSIENT_ERRORS:
            return await self._transient(row, attempt, error)
        if error == NOT_IN_CHANNEL:
            # A private channel: reported once per channel, not once per message.
            first = row.channel not in self._unjoinable
            self._unjoinable.add(row.channel)
            why = f"{error}: the bot is not in {row.channel} and cannot join it; invite it there"
            await self._fail(row, why, report=first)
            return True
        await self._fail(row, error)
        return True

    async def _transient(self, row: QueuedMessage, attempt: int, error: str) -> bool:
        if attempt >= self.policy.max_attempts:
            await self._fail(row, f"gave up after {attempt} attempts: {error}")
            return True
        base = self.policy.backoff_base_seconds
        backoff = min(base * 2.0**attempt, 300.0) * random.uniform(0.5, 1.0)
        log.info("outbox %s: %s; retrying in %.1f s", row.key, error, backoff)
        retry_at = self.deps.clock() + timedelta(seconds=backoff)
        await self._finish(row, outbox.PENDING, error=error, retry_at=retry_at)
        return False

    async def _fail(self, row: QueuedMessage, error: str, *, report: bool = True) -> None:
        log.error("outbox %s to %s failed for good: %s", row.key, row.channel, error)
        admin = self.policy.admin_channel
        async with self.deps.db.session() as session:
            await outbox.finish(
                session,
                row.id,
                replica=self.deps.replica,
                status=outbox.FAILED,
                now=self.deps.clock(),
                error=error,
            )
            if admin and report and row.job != REPORT_JOB:
                said = delivery_failure(row.job, row.channel, error, row.text).as_kwargs()
                await outbox.enqueue(
                    session,
                    outbox.NewMessage(
                        key=f"{REPORT_JOB}:{row.key}",
                        job=REPORT_JOB,
                        occurrence=row.occurrence,
                        channel=admin,
                        text=said["text"],
                        blocks=said["blocks"],
                    ),
                    at=self.deps.clock(),
                )

    async def _finish(
        self,
        row: QueuedMessage,
        status: str,
        *,
        error: str | None = None,
        retry_at: datetime | None = None,
        uncount: bool = False,
    ) -> None:
        async with self.deps.db.session() as session:
            await outbox.finish(
                session,
                row.id,
                replica=self.deps.replica,
                status=status,
                now=self.deps.clock(),
                error=error,
                retry_at=retry_at,
                uncount=uncount,
            )

    async def _sent(self, row: QueuedMessage, channel: str, ts: str) -> None:
        """Mark it sent and remember where a named post landed, in one transaction: an
        edit must never find its post sent but nowhere. A sender whose lease was taken
        over remembers nothing; the one that took it finds the post and remembers it."""
        now = self.deps.clock()
        async with self.deps.db.session() as session:
            held = await outbox.finish(
                session, row.id, replica=self.deps.replica, status=outbox.SENT, now=now, ts=ts
            )
            name = own_name(row.kind, row.key, row.ref)
            if held and name is not None:
                await outbox.remember_posted(session, PostedMessage(name, channel, ts, now))

    async def _already_posted(
        self, row: QueuedMessage, parent: PostedMessage | None
    ) -> tuple[str, str] | None:
        """Where (channel, ts) this key's message is if an earlier attempt reached Slack
        after all: a reply is looked for in its thread, a post in the channel's history."""
        window: dict[str, Any] = {
            "oldest": f"{(row.created_at - HISTORY_SLACK).timestamp():.6f}",
            "include_all_metadata": True,
            "limit": 200,
        }
        try:
            if parent is None:
                channel = await self._conversation(row.channel)
                found = await self.client.conversations_history(channel=channel, **window)
            else:
                channel = parent.channel
                found = await self.client.conversations_replies(
                    channel=channel, ts=parent.ts, **window
                )
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("cannot read %s to check for %s (%s); sending", row.channel, row.key, exc)
            return None
        for message in found.get("messages") or []:
            if row.kind == FILE:
                # Slack keeps no metadata on a file: its unique filename finds it.
                filename = FileUpload.from_stored(row.blocks).filename
                for file in message.get("files") or []:
                    if file.get("name") == filename:
                        return channel, str(file.get("id"))
                continue
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == METADATA_EVENT and (
                (metadata.get("event_payload") or {}).get("key") == row.key
            ):
                return channel, str(message.get("ts"))
        return None

    async def _conversation(self, target: str) -> str:
        """History is read by conversation: a user's DM has its own ID."""
        if not target.startswith(("U", "W")):
            return target
        if target not in self._dm_channels:
            opened = await self.client.conversations_open(users=target)
            self._dm_channels[target] = str((opened.get("channel") or {}).get("id"))
        return self._dm_channels[target]


def _retry_after(headers: Any) -> float:
    try:
        return max(float(headers.get("Retry-After", 1)), 0.0)
    except (TypeError, ValueError):
        return 1.0


def delivery_client(deps: Deps, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """A client with no retry handlers of its own: the engine decides about every retry."""
    token = deps.settings.slack_bot_token
    deps.settings.require("slack_bot_token")
    assert token is not None  # for mypy: require() raised otherwise
    return AsyncWebClient(
        token=token.get_secret_value(),
        base_url=deps.settings.slack_api_url,
        timeout=15,
        session=session,
        retry_handlers=[],
    )


async def deliver_occurrence(
    deps: Deps, delivery: Delivery, job: str, occurrence: datetime, within: float
) -> list[QueuedMessage]:
    """Deliver until every message of one occurrence is sent or failed (for `jobs run`)."""
    deadline = time.monotonic() + within
    while True:
        async with deps.db.session() as session:
            rows = await outbox.of_occurrence(session, job, occurrence)
        if (
            all(r.status in (outbox.SENT, outbox.FAILED) for r in rows)
            or time.monotonic() > deadline
        ):
            return rows
        if await delivery.pass_once() == 0:
            await asyncio.sleep(min(0.2, await delivery.idle_seconds()))
