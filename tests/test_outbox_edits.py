"""Posts named by a ref, then edited or replied to by it, through the outbox: on SQLite and
PostgreSQL, against the loopback Slack API.

Most tests run the sender in the background (`delivering`), as `serve` does, and queue
through `bot.services.notify` as a use case would, each in a transaction of its own.
Those about crashes drive the engine pass by pass, as tests/test_delivery.py does.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.blocks.common import Message, info_message
from bot.deps import Deps, Doorbell, utc_now
from bot.domain.outbox import PostedMessage, post_key
from bot.errors import UnknownMessage
from bot.services import notify
from bot.services.notify import Queueing
from jobs.catalog import ScheduledJob
from jobs.cron import parse_schedule
from jobs.delivery import METADATA_EVENT, Delivery
from jobs.job import Job, Outbound, Plan
from jobs.runner import run_occurrence
from storage import outbox
from storage.db import Database
from storage.models import OutboxRow
from tests.slack_api import FakeSlackApi
from tests.test_delivery import (
    all_settled,
    drain,
    engine_deps,
    engines,
    leased_by_dead_replica,
    rows,
    wait_until,
)

JOB = "nominations"
REF = "nomination:12"
CHANNEL = "C0NOMINATE"
DRAFT = info_message("Nomination 12: open")
CLOSED = info_message("Nomination 12: closed, 3 votes")
FINAL = info_message("Nomination 12: won")

FollowUp = Callable[..., Awaitable[None]]


# ------------------------------------------------------------------------ helpers


async def post(
    deps: Deps, message: Message = DRAFT, ref: str = REF, channel: str = CHANNEL
) -> bool:
    async with deps.db.session() as session:
        return await notify.post(
            session, Queueing(JOB, utc_now(), deps.bell), ref=ref, channel=channel, message=message
        )


async def edit(deps: Deps, message: Message, ref: str = REF) -> None:
    async with deps.db.session() as session:
        await notify.edit(session, Queueing(JOB, utc_now(), deps.bell), ref=ref, message=message)


async def reply(deps: Deps, message: Message, ref: str = REF) -> None:
    async with deps.db.session() as session:
        await notify.reply(session, Queueing(JOB, utc_now(), deps.bell), ref=ref, message=message)


async def posted(db: Database, ref: str = REF) -> PostedMessage:
    """Where the post landed, once it has."""
    await wait_until(db, lambda current: current[post_key(ref)].status == outbox.SENT)
    found = await db.read(outbox.posted, ref)
    assert found is not None
    return found


async def of_kind(db: Database, kind: str) -> list[OutboxRow]:
    return [row for row in (await rows(db)).values() if row.kind == kind]


async def rung(bell: Doorbell, within: float = 0.05) -> bool:
    try:
        await asyncio.wait_for(bell.wait(), within)
    except TimeoutError:
        return False
    return True


# -------------------------------------------------------------------------- tests


@pytest.mark.parametrize("channel", ["C0NOMINATE", "U0OWNER"], ids=["channel", "dm"])
async def test_an_edit_goes_to_the_channel_and_ts_the_post_got(
    deps: Deps, slack_api: FakeSlackApi, delivering: Delivery, channel: str
) -> None:
    """A DM is posted to the user's ID and answered with the DM's: the edit needs the latter."""
    await post(deps, channel=channel)
    landed = await posted(deps.db)
    [parent] = slack_api.messages_in(channel)
    assert landed.ts == parent["ts"]
    assert landed.channel.startswith("D") == channel.startswith("U")

    await edit(deps, CLOSED)
    final = await wait_until(deps.db, all_settled)

    [update] = slack_api.calls_to("chat.update")
    assert (update.params["channel"], update.params["ts"]) == (landed.channel, landed.ts)
    [message] = slack_api.messages_in(channel)
    assert (message["ts"], message["text"], message["blocks"]) == (
        landed.ts,
        CLOSED.text,
        CLOSED.blocks,
    )
    assert [row.status for row in final.values()] == [outbox.SENT, outbox.SENT]


async def test_two_edits_queued_before_the_post_was_sent_land_in_order(
    deps: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    slack_api.hold("chat.postMessage")  # the post is on its way while both edits are queued
    await post(deps)
    await slack_api.wait_for("chat.postMessage")
    await edit(deps, CLOSED)
    await edit(deps, FINAL)
    slack_api.release()

    final = await wait_until(deps.db, all_settled)

    assert [c.params["text"] for c in slack_api.calls_to("chat.update")] == [
        CLOSED.text,
        FINAL.text,
    ]
    [message] = slack_api.messages_in(CHANNEL)
    assert (message["text"], message["blocks"]) == (FINAL.text, FINAL.blocks)
    assert {row.status for row in final.values()} == {outbox.SENT}


async def test_a_reply_lands_in_the_thread_of_its_post(
    deps: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    async with deps.db.session() as session:  # post and reply in one use case
        at = utc_now()
        await notify.post(
            session, Queueing(JOB, at, deps.bell), ref=REF, channel=CHANNEL, message=DRAFT
        )
        await notify.reply(session, Queueing(JOB, at, deps.bell), ref=REF, message=CLOSED)

    await wait_until(deps.db, all_settled)
    landed = await posted(deps.db)

    first, second = slack_api.calls_to("chat.postMessage")
    assert "thread_ts" not in first.params
    assert (second.params["channel"], second.params["thread_ts"]) == (landed.channel, landed.ts)
    parent, answer = slack_api.messages_in(CHANNEL)
    assert (parent["ts"], parent["text"]) == (landed.ts, DRAFT.text)  # not edited
    assert (answer["thread_ts"], answer["text"]) == (landed.ts, CLOSED.text)


async def test_a_ref_queued_twice_is_posted_once(
    deps: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    assert await post(deps)
    assert not await post(deps, CLOSED)  # a second click on the same button, say

    await wait_until(deps.db, all_settled)
    await asyncio.sleep(0.2)  # a second post, had one been queued, would be on its way

    assert [m["text"] for m in slack_api.messages_in(CHANNEL)] == [DRAFT.text]


@pytest.mark.parametrize("follow_up", [notify.edit, notify.reply], ids=["edit", "reply"])
async def test_an_edit_or_reply_of_an_unknown_ref_raises_and_queues_nothing(
    db: Database, deps: Deps, follow_up: FollowUp
) -> None:
    with pytest.raises(UnknownMessage, match="nomination:99"):
        async with db.session() as session:
            await notify.post(
                session,
                Queueing(JOB, utc_now(), deps.bell),
                ref=REF,
                channel=CHANNEL,
                message=DRAFT,
            )  # the use case's own change, undone with it
            by = Queueing(JOB, utc_now(), deps.bell)
            await follow_up(session, by, ref="nomination:99", message=CLOSED)

    assert await rows(db) == {}


async def test_a_use_case_that_rolls_back_queues_no_post_and_no_edit(
    deps: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    await post(deps)
    await posted(deps.db)

    with pytest.raises(RuntimeError, match="vote refused"):
        async with deps.db.session() as session:
            at = utc_now()
            await notify.edit(session, Queueing(JOB, at, deps.bell), ref=REF, message=CLOSED)
            await notify.post(
                session,
                Queueing(JOB, at, deps.bell),
                ref="nomination:13",
                channel=CHANNEL,
                message=FINAL,
            )
            raise RuntimeError("vote refused")  # the use case's own write failed after queueing

    assert list(await rows(deps.db)) == [post_key(REF)]
    await asyncio.sleep(0.2)
    assert slack_api.calls_to("chat.update") == []
    assert [m["text"] for m in slack_api.messages_in(CHANNEL)] == [DRAFT.text]


async def test_the_bell_rings_when_the_use_case_commits_not_before_and_not_on_rollback(
    db: Database, deps: Deps
) -> None:
    async with db.session() as session:
        await notify.post(
            session, Queueing(JOB, utc_now(), deps.bell), ref=REF, channel=CHANNEL, message=DRAFT
        )
        assert not await rung(deps.bell)  # the sender would find nothing yet
    assert await rung(deps.bell)

    with pytest.raises(RuntimeError):
        async with db.session() as session:
            await notify.edit(session, Queueing(JOB, utc_now(), deps.bell), ref=REF, message=CLOSED)
            raise RuntimeError("rolled back")
    assert not await rung(deps.bell)


async def test_a_429_and_a_500_on_an_edit_are_retried_and_it_lands_once(
    deps: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    await post(deps)
    await posted(deps.db)
    slack_api.fail_next("chat.update", status=429, retry_after=1)
    slack_api.fail_next("chat.update", status=500)

    await edit(deps, CLOSED)
    await wait_until(deps.db, all_settled)

    limited, failed, landed = slack_api.calls_to("chat.update")
    assert limited.at + 1.0 <= failed.at < landed.at  # Retry-After honoured, then backoff
    [row] = await of_kind(deps.db, "update")
    assert (row.status, row.attempts) == (outbox.SENT, 2)  # the 429 gave its attempt back
    [message] = slack_api.messages_in(CHANNEL)
    assert message["text"] == CLOSED.text


async def test_a_429_on_an_edit_holds_back_only_its_channel(
    deps: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    await post(deps)
    await posted(deps.db)
    slack_api.fail_next("chat.update", status=429, retry_after=2)
    await edit(deps, CLOSED)
    [limited] = await slack_api.wait_for("chat.update")

    await post(deps, ref="nomination:13", channel="C0ELSEWHERE")
    [other] = await slack_api.wait_for(
        "chat.postMessage", lambda c: c.params["channel"] == "C0ELSEWHERE"
    )
    await wait_until(deps.db, all_settled)

    retried = slack_api.calls_to("chat.update")[-1]
    assert other.at - limited.at < 1.0  # not held by the other channel's Retry-After
    assert retried.at - limited.at >= 2.0
    assert slack_api.messages_in(CHANNEL)[0]["text"] == CLOSED.text


async def test_an_edit_slack_refuses_fails_for_good_without_retrying(
    deps: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    await post(deps)
    await posted(deps.db)
    slack_api.fail_next("chat.update", "cant_update_message")

    await edit(deps, CLOSED)
    await wait_until(deps.db, all_settled)
    await asyncio.sleep(0.2)

    [row] = await of_kind(deps.db, "update")
    assert row.status == outbox.FAILED
    assert row.last_error is not None and "cant_update_message" in row.last_error
    assert len(slack_api.calls_to("chat.update")) == 1
    assert slack_api.messages_in(CHANNEL)[0]["text"] == DRAFT.text


@pytest.mark.parametrize("follow_up", [notify.edit, notify.reply], ids=["edit", "reply"])
async def test_an_edit_or_reply_of_a_post_that_failed_fails_with_why(
    deps: Deps, slack_api: FakeSlackApi, delivering: Delivery, follow_up: FollowUp
) -> None:
    slack_api.fail_next("chat.postMessage", "channel_not_found")
    async with deps.db.session() as session:
        at = utc_now()
        await notify.post(
            session, Queueing(JOB, at, deps.bell), ref=REF, channel=CHANNEL, message=DRAFT
        )
        await follow_up(session, Queueing(JOB, at, deps.bell), ref=REF, message=CLOSED)

    final = await wait_until(deps.db, all_settled)

    [parent, child] = final.values()
    assert (parent.status, child.status) == (outbox.FAILED, outbox.FAILED)
    assert child.last_error is not None
    assert REF in child.last_error and "never posted" in child.last_error
    assert "channel_not_found" in child.last_error
    assert len(slack_api.calls_to("chat.postMessage")) == 1
    assert slack_api.calls_to("chat.update") == []
    assert await deps.db.read(outbox.posted, REF) is None


async def test_an_edit_in_another_line_than_its_unsent_post_waits_for_it(
    deps: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    """notify never queues this way; a row written by hand must still not fail for good."""
    async with deps.db.session() as session:
        at = utc_now()
        await notify.post(
            session, Queueing(JOB, at, deps.bell), ref=REF, channel=CHANNEL, message=DRAFT
        )
        queued = await outbox.post_of(session, REF)
        assert queued is not None  # another replica is sending it, for one more second:
        lease = timedelta(seconds=1)
        assert await outbox.lease(session, queued.id, replica="other", now=at, for_=lease)
        by_hand = outbox.NewMessage(
            key="update:by-hand",
            job=JOB,
            occurrence=at,
            channel="C0OTHERLINE",
            text=CLOSED.text,
            blocks=CLOSED.blocks,
            kind="update",
            ref=REF,
        )
        await outbox.enqueue(session, by_hand, at=at)

    waiting = (await wait_until(deps.db, lambda now: now[by_hand.key].last_error is not None))[
        by_hand.key
    ]
    assert (waiting.status, waiting.attempts) == (outbox.PENDING, 0)
    assert waiting.last_error is not None and "waiting for" in waiting.last_error

    final = await wait_until(deps.db, all_settled)

    assert {row.status for row in final.values()} == {outbox.SENT}
    assert slack_api.messages_in(CHANNEL)[0]["text"] == CLOSED.text


async def test_a_reply_that_reached_the_thread_before_a_crash_is_not_sent_again(
    db: Database, deps: Deps, slack_api: FakeSlackApi
) -> None:
    """Found by reading the thread: a channel's history does not show replies."""
    await post(deps)
    async with engines(engine_deps(deps, db)) as (delivery,):
        await drain(delivery, db)
        landed = await db.read(outbox.posted, REF)
        assert landed is not None
        await reply(deps, CLOSED)
        [row] = await of_kind(db, "reply")
        await leased_by_dead_replica(db, row.key)
        ts = slack_api.add_message(
            landed.channel,
            CLOSED.text,
            thread_ts=landed.ts,
            metadata={"event_type": METADATA_EVENT, "event_payload": {"key": row.key}},
        )

        assert await delivery.pass_once() == 1

    [row] = await of_kind(db, "reply")
    assert (row.status, row.ts) == (outbox.SENT, ts)
    assert len(slack_api.calls_to("chat.postMessage")) == 1  # the parent only
    [looked] = slack_api.calls_to("conversations.replies")
    assert (looked.params["channel"], looked.params["ts"]) == (landed.channel, landed.ts)
    assert len(slack_api.messages_in(CHANNEL)) == 2


async def test_a_reply_that_never_reached_slack_before_a_crash_is_sent_once(
    db: Database, deps: Deps, slack_api: FakeSlackApi
) -> None:
    await post(deps)
    async with engines(engine_deps(deps, db)) as (delivery,):
        await drain(delivery, db)
        await reply(deps, CLOSED)
        [row] = await of_kind(db, "reply")
        await leased_by_dead_replica(db, row.key)
        final = await drain(delivery, db)

    [row] = [r for r in final.values() if r.kind == "reply"]
    assert (row.status, row.attempts) == (outbox.SENT, 2)
    assert len(slack_api.calls_to("conversations.replies")) == 1
    parent, answer = slack_api.messages_in(CHANNEL)
    assert answer["thread_ts"] == parent["ts"] and answer["ts"] == row.ts


async def test_an_edit_interrupted_by_a_crash_is_sent_again_without_a_history_read(
    db: Database, deps: Deps, slack_api: FakeSlackApi
) -> None:
    await post(deps)
    async with engines(engine_deps(deps, db)) as (delivery,):
        await drain(delivery, db)
        await edit(deps, CLOSED)
        [row] = await of_kind(db, "update")
        await leased_by_dead_replica(db, row.key)
        final = await drain(delivery, db)

    assert final[row.key].status == outbox.SENT
    assert len(slack_api.calls_to("chat.update")) == 1
    assert slack_api.calls_to("conversations.history") == []
    assert slack_api.calls_to("conversations.replies") == []
    assert slack_api.messages_in(CHANNEL)[0]["text"] == CLOSED.text


async def test_a_scheduled_post_with_a_ref_can_be_edited_by_it(
    deps: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    week = datetime(2026, 11, 30, 9, tzinfo=UTC)

    async def weekly(deps: Deps, occurrence: datetime) -> Plan:
        ref = f"weekly-update:{occurrence:%G-W%V}"
        return Plan([Outbound(CHANNEL, info_message("Week 49: 3 renewals"), ref=ref)])

    cron = "0 9 * * 1"
    job = ScheduledJob(Job("weekly-update", cron, "test job", weekly), parse_schedule(cron, "UTC"))
    assert (await run_occurrence(deps, job, week)).queued == 1
    delivering.wake()  # as the scheduler does once it queued
    await posted(deps.db, "weekly-update:2026-W49")

    async with deps.db.session() as session:
        await notify.edit(
            session,
            Queueing("renewals", utc_now(), deps.bell),
            ref="weekly-update:2026-W49",
            message=info_message("Week 49: 4 renewals"),
        )
    await wait_until(deps.db, all_settled)

    [message] = slack_api.messages_in(CHANNEL)
    assert message["text"] == "Week 49: 4 renewals"


async def test_a_commit_wakes_the_running_sender_before_its_next_poll(
    deps: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    await asyncio.sleep(0.1)  # the sender is idle, waiting up to a second for its next poll
    await post(deps)
    committed = time.monotonic()

    [call] = await slack_api.wait_for("chat.postMessage", timeout=5)

    assert call.at - committed < 0.5
