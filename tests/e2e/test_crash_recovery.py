"""`jobs run` killed with SIGKILL mid-delivery, then run again: the message is posted once.

The outbox row is written (and leased) before the send, so the second run finds it; and
because the row was tried before, the second run first looks for its key in the
channel's history, so a post that reached Slack before the crash is not made again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.domain.outbox import QueuedMessage
from storage import outbox
from storage.db import Database
from tests.processes import AppProcess, app_env, kill, run, start
from tests.slack_api import FakeSlackApi

CHANNEL = "C0SAMPLE"
AT = "2026-11-23T09:00:00Z"
OCCURRENCE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # hello's default cron: 0 9 * * *
TEXT = f"hello for {OCCURRENCE.isoformat()}"
JOBS_RUN = ("jobs", "run", "hello", "--at", AT, "--wait", "15")


def _env(api_url: str, db: Database) -> dict[str, str]:
    return app_env(
        api_url,
        db.url,
        SCHEDULER__EXTRA_JOB_MODULES=json.dumps(["tests.sample_jobs"]),
        SCHEDULER__LEASE_SECONDS="1",
        SCHEDULER__CHANNEL_PACE_SECONDS="0",
        # An ID, not the default #name: the black hole answers no channel lookup either.
        TEAM__STRATEGIC_CHANNEL="C0STRATEGIC",
    )


async def _rows(db: Database) -> list[QueuedMessage]:
    async with db.session() as session:
        return await outbox.of_occurrence(session, "hello", OCCURRENCE)


async def _until_posting(
    command: AppProcess, posting: asyncio.Future[Any], within: float = 15.0
) -> None:
    """Wait for the post to be on its way, failing early (with the log) if the run ends."""
    exited = asyncio.ensure_future(command.process.wait())
    try:
        await asyncio.wait({exited, posting}, timeout=within, return_when="FIRST_COMPLETED")
    finally:
        exited.cancel()
    if not posting.done() or posting.exception() is not None:
        posting.cancel()
        await kill(command)
        raise AssertionError(f"no chat.postMessage within {within:.0f} s:\n{command.output()}")


async def _kill_mid_send(
    tmp_path: Path, env: dict[str, str], posting: asyncio.Future[Any], db: Database
) -> QueuedMessage:
    """Start `jobs run`, SIGKILL it once its post is on the way; the row it left behind."""
    first = await start(*JOBS_RUN, env=env, cwd=tmp_path, log=tmp_path / "first.log")
    try:
        await _until_posting(first, posting)
    finally:
        code = await kill(first)
    assert code == -9, first.output()
    [row] = await _rows(db)
    assert (row.status, row.attempts, row.text) == (outbox.SENDING, 1, TEXT), first.output()
    return row


async def _run_again(tmp_path: Path, env: dict[str, str], db: Database) -> QueuedMessage:
    code, output = await run(*JOBS_RUN, env=env, cwd=tmp_path, log=tmp_path / "second.log")
    assert code == 0, output
    assert "had already run" in output  # the claim survived the crash: not planned again
    [row] = await _rows(db)
    assert (row.status, row.attempts) == (outbox.SENT, 2), output
    return row


def _posted(slack_api: FakeSlackApi) -> list[dict[str, object]]:
    return [m for m in slack_api.messages_in(CHANNEL) if m["text"] == TEXT]


async def test_killed_after_the_row_is_written_before_the_send(
    tmp_path: Path, db: Database, slack_api: FakeSlackApi
) -> None:
    """Slack never answers the post; the process dies waiting; the post is made once.

    The fake Slack still serves the held request after `release()` although its client is
    gone (aiohttp does not cancel a handler on disconnect), so here the post lands then,
    and the second run finds it in history; had it not landed, the second run would post
    it. Either way: one message. The request that never reaches Slack is the next test.
    """
    slack_api.hold("chat.postMessage")
    posting = asyncio.ensure_future(slack_api.wait_for("chat.postMessage", timeout=15))
    env = _env(f"{slack_api.url}/api", db)
    await _kill_mid_send(tmp_path, env, posting, db)
    assert _posted(slack_api) == []  # not posted while held
    slack_api.release()

    row = await _run_again(tmp_path, env, db)

    [message] = _posted(slack_api)
    assert row.ts == message["ts"]
    assert message["metadata"] == {
        "event_type": "strategic_bot_delivery",
        "event_payload": {"key": row.key},
    }
    assert slack_api.calls_to("conversations.history")  # looked before sending again


async def test_killed_before_the_request_reached_slack(
    tmp_path: Path, db: Database, slack_api: FakeSlackApi
) -> None:
    """The first run's post goes to an endpoint that swallows it: Slack never saw it.

    The second run checks history, finds nothing, and posts it: once.
    """
    async with _black_hole() as (url, posting):
        env = _env(url, db)
        await _kill_mid_send(tmp_path, env, posting, db)

    row = await _run_again(tmp_path, _env(f"{slack_api.url}/api", db), db)

    [message] = _posted(slack_api)
    assert row.ts == message["ts"]
    assert len(slack_api.calls_to("conversations.history")) == 1
    assert len(slack_api.calls_to("chat.postMessage")) == 1


async def test_killed_after_slack_posted_before_the_answer_came_back(
    tmp_path: Path, db: Database, slack_api: FakeSlackApi
) -> None:
    """Slack posted it and the answer was lost with the process: not posted a second time."""
    slack_api.hold("chat.postMessage", after_posting=True)
    posting = asyncio.ensure_future(slack_api.wait_for("chat.postMessage", timeout=15))
    env = _env(f"{slack_api.url}/api", db)
    await _kill_mid_send(tmp_path, env, posting, db)
    [message] = _posted(slack_api)  # Slack has it; the outbox row does not know
    slack_api.release()

    row = await _run_again(tmp_path, env, db)

    assert _posted(slack_api) == [message]
    assert row.ts == message["ts"]
    assert len(slack_api.calls_to("chat.postMessage")) == 1
    assert slack_api.calls_to("conversations.history")


@contextlib.asynccontextmanager
async def _black_hole() -> AsyncIterator[tuple[str, asyncio.Future[Any]]]:
    """A loopback "Slack" that reads requests and never answers; the future is set at a post."""
    posting: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen = b""
        with contextlib.suppress(ConnectionError):
            while chunk := await reader.read(65536):
                seen += chunk
                if b"/api/chat.postMessage" in seen and not posting.done():
                    posting.set_result(None)
        writer.close()

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()[:2]
    try:
        yield f"http://{host}:{port}/api", posting
    finally:
        server.close()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(server.wait_closed(), 5)
