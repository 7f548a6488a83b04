"""`serve` killed with SIGKILL while an edit is on its way, then started again: the edit
lands, and the post it edits is not made a second time.

A post and its edit are queued as a use case would queue them, in one transaction. The
first replica posts (remembering the channel and ts under the ref as it marks the post
sent), leases the edit and dies inside `chat.update`. The restarted replica takes the
edit over once the lease expires and sends it again, with no history check: an edit sent
twice leaves the same message.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime
from pathlib import Path

import pytest

from bot.blocks.common import info_message
from bot.deps import Doorbell, utc_now
from bot.domain.outbox import QueuedMessage
from bot.services import notify
from bot.services.notify import Queueing
from jobs.catalog import BUILTIN
from storage import outbox
from storage.db import Database
from tests.processes import app_env, kill, start_serve, stop
from tests.slack_api import FakeSlackApi

CHANNEL = "C0WEEKLY"
REF = "weekly-update:2026-W49"
JOB = "weekly-update"
BEFORE = info_message("Week 49: 3 renewals this month")
AFTER = info_message("Week 49: 4 renewals this month (Acme renewed)")


def _env(api_url: str, db: Database) -> dict[str, str]:
    """Only the sender matters here: the built-in jobs are off, so nothing else posts."""
    off = {job.name: {"cron": job.cron, "enabled": False} for job in BUILTIN}
    return app_env(
        api_url,
        db.url,
        SCHEDULER__JOBS=json.dumps(off),
        SCHEDULER__LEASE_SECONDS="1",
        SCHEDULER__CHANNEL_PACE_SECONDS="0",
    )


async def _queue_post_and_edit(db: Database) -> datetime:
    at = utc_now()
    bell = Doorbell()  # nobody listens in the test's process: the replica polls
    async with db.session() as session:
        await notify.post(
            session, Queueing(JOB, at, bell), ref=REF, channel=CHANNEL, message=BEFORE
        )
        await notify.edit(session, Queueing(JOB, at, bell), ref=REF, message=AFTER)
    return at


async def _rows(db: Database, at: datetime) -> list[QueuedMessage]:
    async with db.session() as session:
        return await outbox.of_occurrence(session, JOB, at)


async def _until_edited(db: Database, at: datetime, within: float = 20.0) -> list[QueuedMessage]:
    deadline = time.monotonic() + within
    while (rows := await _rows(db, at))[-1].status != outbox.SENT:
        assert time.monotonic() < deadline, [(r.kind, r.status, r.last_error) for r in rows]
        await asyncio.sleep(0.1)
    return rows


@pytest.mark.parametrize(
    "after_posting", [False, True], ids=["edit-never-reached-slack", "edited-answer-lost"]
)
async def test_an_edit_cut_off_by_sigkill_lands_once_the_replica_is_back(
    tmp_path: Path, db: Database, slack_api: FakeSlackApi, after_posting: bool
) -> None:
    at = await _queue_post_and_edit(db)
    slack_api.hold("chat.update", after_posting=after_posting)
    env = _env(f"{slack_api.url}/api", db)

    first, _ = await start_serve(env, tmp_path, "first")
    try:
        await slack_api.wait_for("chat.update", timeout=15)
    finally:
        code = await kill(first)
    assert code == -9, first.output()
    post, edit = await _rows(db, at)
    assert (post.status, edit.status, edit.attempts) == (outbox.SENT, outbox.SENDING, 1)
    [message] = slack_api.messages_in(CHANNEL)
    assert message["text"] == (AFTER if after_posting else BEFORE).text
    slack_api.release()  # a held edit whose caller is gone is dropped, as Slack never saw it

    second, _ = await start_serve(env, tmp_path, "second")
    try:
        post, edit = await _until_edited(db, at)
    finally:
        assert await stop(second) == 0, second.output()

    assert (edit.status, edit.attempts) == (outbox.SENT, 2), second.output()
    landed = await db.read(outbox.posted, REF)
    assert landed is not None and (landed.channel, landed.ts) == (CHANNEL, post.ts)
    [message] = slack_api.messages_in(CHANNEL)  # the one post, not made again
    assert (message["ts"], message["text"], message["blocks"]) == (
        post.ts,
        AFTER.text,
        AFTER.blocks,
    )
    assert len(slack_api.calls_to("chat.postMessage")) == 1
    assert [c.params["ts"] for c in slack_api.calls_to("chat.update")] == [post.ts, post.ts]
    assert slack_api.calls_to("conversations.history") == []
