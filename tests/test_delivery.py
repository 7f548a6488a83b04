"""The delivery engine against the loopback Slack API, on SQLite and PostgreSQL.

The engine runs on the real clock (pacing, Retry-After and leases are measured in real
seconds), so these tests build their own Deps instead of using the fixed-clock `deps`.
Backoff is shortened to 0.05 s and pacing switched off unless a test is about pacing.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from sqlalchemy import select

from bot.deps import Deps, utc_now
from jobs.delivery import METADATA_EVENT, REPORT_JOB, Delivery, delivery_client
from storage import outbox
from storage.db import Database
from storage.models import OutboxRow
from tests.slack_api import FakeSlackApi

OCCURRENCE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
FAST = {"channel_pace_seconds": 0.0, "backoff_base_seconds": 0.05}
DRAIN_TIMEOUT = 30.0  # seconds; a drain that takes longer is a failure, not a hang


# ------------------------------------------------------------------------ helpers


def engine_deps(base: Deps, db: Database, replica: str = "replica-a", **policy: Any) -> Deps:
    """Deps with the real clock and the given scheduler policy (fast by default)."""
    scheduler = base.settings.scheduler.model_copy(update=FAST | policy)
    settings = base.settings.model_copy(update={"scheduler": scheduler})
    return Deps(settings=settings, db=db, clock=utc_now, replica=replica)


@asynccontextmanager
async def engines(*all_deps: Deps) -> AsyncIterator[list[Delivery]]:
    """One Delivery per Deps, each with its own HTTP session, as separate replicas have."""
    async with AsyncExitStack() as stack:
        deliveries = []
        for each in all_deps:
            http = await stack.enter_async_context(aiohttp.ClientSession())
            deliveries.append(Delivery(each, delivery_client(each, http)))
        yield deliveries


@asynccontextmanager
async def running(*deliveries: Delivery) -> AsyncIterator[None]:
    """`Delivery.run` as background tasks for the block; stopped (bounded) at its end."""
    stop = asyncio.Event()
    tasks = [asyncio.create_task(d.run(stop)) for d in deliveries]
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 10)


async def queue(db: Database, messages: list[tuple[str, str]], job: str = "test") -> None:
    """Enqueue (key, channel) pairs in this order, in one transaction."""
    async with db.session() as session:
        for key, channel in messages:
            queued = await outbox.enqueue(
                session,
                outbox.NewMessage(
                    key=key,
                    job=job,
                    occurrence=OCCURRENCE,
                    channel=channel,
                    text=f"message {key}",
                    blocks=[],
                ),
                at=utc_now(),
            )
            assert queued


async def rows(db: Database) -> dict[str, OutboxRow]:
    async with db.session() as session:
        found = (await session.execute(select(OutboxRow).order_by(OutboxRow.id))).scalars()
        return {row.key: row for row in found}


async def wait_until(
    db: Database,
    done: Callable[[dict[str, OutboxRow]], bool],
    timeout: float = DRAIN_TIMEOUT,  # noqa: ASYNC109 - a plain bound reads best in tests
) -> dict[str, OutboxRow]:
    """Poll the outbox until `done(rows)`; fail with the statuses seen on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        current = await rows(db)
        if done(current):
            return current
        if time.monotonic() > deadline:
            statuses = Counter(row.status for row in current.values())
            raise AssertionError(f"outbox not done within {timeout} s: {dict(statuses)}")
        await asyncio.sleep(0.05)


def all_settled(current: dict[str, OutboxRow]) -> bool:
    return bool(current) and all(
        row.status in (outbox.SENT, outbox.FAILED) for row in current.values()
    )


async def drain(delivery: Delivery, db: Database, passes_after: int = 0) -> dict[str, OutboxRow]:
    """Call `pass_once` until every row is settled, then `passes_after` more passes."""
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while not all_settled(await rows(db)):
        assert time.monotonic() < deadline, "outbox not settled in time"
        if await delivery.pass_once() == 0:
            await asyncio.sleep(min(0.05, await delivery.idle_seconds()))
    for _ in range(passes_after):
        await delivery.pass_once()
    return await rows(db)


def key_of(message: dict[str, Any]) -> str | None:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != METADATA_EVENT:
        return None
    key = (metadata.get("event_payload") or {}).get("key")
    return str(key) if key is not None else None


def keys_in(slack_api: FakeSlackApi, channel: str) -> list[str | None]:
    return [key_of(m) for m in slack_api.messages_in(channel)]


def post_times(slack_api: FakeSlackApi, channel: str) -> list[float]:
    return [c.at for c in slack_api.calls_to("chat.postMessage") if c.params["channel"] == channel]


# -------------------------------------------------------------------------- tests


async def test_200_messages_through_429s_and_500s_arrive_once_and_in_order(
    db: Database, deps: Deps, slack_api: FakeSlackApi
) -> None:
    channels = [f"C0CHAN{n:02d}" for n in range(10)]
    # Round-robin, so every channel's messages are interleaved with the others' in the queue.
    messages = [(f"bulk:{n:03d}", channels[n % len(channels)]) for n in range(200)]
    await queue(db, messages)
    slack_api.fail_every("chat.postMessage", nth=3, status=429, retry_after=1)
    slack_api.fail_every("chat.postMessage", nth=7, status=500)
    # A 429 gives its attempt back, so the default limit holds: only 500s count.
    delivery_deps = engine_deps(deps, db)

    async with engines(delivery_deps) as (delivery,), running(delivery):
        final = await wait_until(db, all_settled, timeout=120)

    assert Counter(row.status for row in final.values()) == {outbox.SENT: 200}
    delivered: Counter[str | None] = Counter()
    for channel in channels:
        in_channel = keys_in(slack_api, channel)
        delivered.update(in_channel)
        expected = [key for key, target in messages if target == channel]
        assert in_channel == expected, channel  # each once, in the order queued
    assert delivered == Counter(key for key, _ in messages)  # no loss, no duplicate
    posted = {c.params["channel"] for c in slack_api.calls_to("chat.postMessage")}
    assert posted == set(channels)  # nothing went anywhere else
    for key, row in final.items():
        assert row.ts in {m["ts"] for m in slack_api.messages_in(row.channel)}, key
    assert len(slack_api.calls_to("chat.postMessage")) > 300  # about 350: 9 in 21 fail


async def test_retry_after_is_honoured(db: Database, deps: Deps, slack_api: FakeSlackApi) -> None:
    await queue(db, [("limited:1", "C0LIMIT")])
    slack_api.fail_next("chat.postMessage", status=429, retry_after=1)

    async with engines(engine_deps(deps, db)) as (delivery,):
        final = await drain(delivery, db)

    first, second = slack_api.calls_to("chat.postMessage")
    assert second.at - first.at >= 1.0
    assert final["limited:1"].status == outbox.SENT
    assert keys_in(slack_api, "C0LIMIT") == ["limited:1"]


async def test_each_channel_is_paced_on_its_own(
    db: Database, deps: Deps, slack_api: FakeSlackApi
) -> None:
    pace = 0.3
    first = [f"paced:C0PACEA:{n}" for n in range(3)]
    second = [f"paced:C0PACEB:{n}" for n in range(3)]
    await queue(db, [(key, "C0PACEA") for key in first])

    async with (
        engines(engine_deps(deps, db, channel_pace_seconds=pace)) as (delivery,),
        running(delivery),
    ):
        await slack_api.wait_for("chat.postMessage")
        await asyncio.sleep(pace / 2)  # the second channel starts half a pace later
        await queue(db, [(key, "C0PACEB") for key in second])
        woken = time.monotonic()
        delivery.wake()  # as the scheduler does when it queues
        await wait_until(db, all_settled, timeout=10)

    a, b = post_times(slack_api, "C0PACEA"), post_times(slack_api, "C0PACEB")
    assert keys_in(slack_api, "C0PACEA") == first
    assert keys_in(slack_api, "C0PACEB") == second
    for times in (a, b):
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        assert all(gap >= pace for gap in gaps), gaps  # paced …
        assert all(gap < pace + 0.1 for gap in gaps), gaps  # … and not held by the other
    assert b[0] - woken < 0.1  # the second channel did not wait for the first one's pace
    assert a[0] < b[0] < a[1] < b[1] < a[2] < b[2]  # interleaved, not one after the other


async def test_permanent_error_fails_once_and_is_reported_once(
    db: Database, deps: Deps, slack_api: FakeSlackApi
) -> None:
    await queue(db, [("gone:1", "C0GONE")])
    slack_api.fail_next("chat.postMessage", "channel_not_found")

    async with engines(engine_deps(deps, db, admin_channel="C0ADMIN")) as (delivery,):
        final = await drain(delivery, db, passes_after=3)
        row = final["gone:1"]
        assert row.status == outbox.FAILED
        assert row.last_error is not None and "channel_not_found" in row.last_error
        assert len(post_times(slack_api, "C0GONE")) == 1  # not retried
        report = final[f"{REPORT_JOB}:gone:1"]
        assert report.status == outbox.SENT and report.channel == "C0ADMIN"
        admin = slack_api.messages_in("C0ADMIN")
        assert len(admin) == 1
        assert "C0GONE" in admin[0]["text"] and "channel_not_found" in admin[0]["text"]

        await queue(db, [("later:1", "C0OTHER")])
        final = await drain(delivery, db, passes_after=3)

    assert final["later:1"].status == outbox.SENT
    assert keys_in(slack_api, "C0OTHER") == ["later:1"]
    assert len(slack_api.messages_in("C0ADMIN")) == 1  # still the one report
    assert len(post_times(slack_api, "C0GONE")) == 1
    assert final["gone:1"].status == outbox.FAILED


async def test_server_errors_give_up_after_max_attempts(
    db: Database, deps: Deps, slack_api: FakeSlackApi
) -> None:
    await queue(db, [("flaky:1", "C0FLAKY")])
    slack_api.fail_every("chat.postMessage", nth=1, status=500)

    async with engines(engine_deps(deps, db, max_attempts=3)) as (delivery,):
        final = await drain(delivery, db, passes_after=2)

    row = final["flaky:1"]
    assert row.status == outbox.FAILED
    assert row.last_error is not None and "gave up after 3 attempts" in row.last_error
    assert row.attempts == 3
    assert len(post_times(slack_api, "C0FLAKY")) == 3
    assert slack_api.messages_in("C0FLAKY") == []


async def leased_by_dead_replica(db: Database, key: str) -> None:
    """The row as a replica left it that died mid-send: leased for 0.1 s, now expired."""
    async with db.session() as session:
        row = (await session.execute(select(OutboxRow).where(OutboxRow.key == key))).scalar_one()
        assert await outbox.lease(
            session, row.id, replica="dead", now=utc_now(), for_=timedelta(seconds=0.1)
        )
    await asyncio.sleep(0.2)


async def test_expired_lease_whose_message_reached_slack_is_not_sent_again(
    db: Database, deps: Deps, slack_api: FakeSlackApi
) -> None:
    await queue(db, [("inflight:1", "C0INFLIGHT")])
    await leased_by_dead_replica(db, "inflight:1")
    ts = slack_api.add_message(
        "C0INFLIGHT",
        "message inflight:1",
        metadata={"event_type": METADATA_EVENT, "event_payload": {"key": "inflight:1"}},
    )

    async with engines(engine_deps(deps, db)) as (delivery,):
        assert await delivery.pass_once() == 1

    row = (await rows(db))["inflight:1"]
    assert row.status == outbox.SENT
    assert row.ts == ts
    assert slack_api.calls_to("chat.postMessage") == []
    assert len(slack_api.calls_to("conversations.history")) == 1
    assert keys_in(slack_api, "C0INFLIGHT") == ["inflight:1"]


async def test_expired_lease_whose_message_never_reached_slack_is_sent_once(
    db: Database, deps: Deps, slack_api: FakeSlackApi
) -> None:
    await queue(db, [("inflight:2", "C0INFLIGHT")])
    await leased_by_dead_replica(db, "inflight:2")

    async with engines(engine_deps(deps, db)) as (delivery,):
        final = await drain(delivery, db, passes_after=2)

    assert final["inflight:2"].status == outbox.SENT
    assert len(slack_api.calls_to("chat.postMessage")) == 1
    assert keys_in(slack_api, "C0INFLIGHT") == ["inflight:2"]
    assert final["inflight:2"].ts == slack_api.messages_in("C0INFLIGHT")[0]["ts"]


async def test_two_replicas_drain_the_same_outbox_once(
    db: Database, deps: Deps, slack_api: FakeSlackApi
) -> None:
    channels = [f"C0SHARE{n:02d}" for n in range(10)]
    messages = [(f"shared:{n:03d}", channels[n % len(channels)]) for n in range(100)]
    await queue(db, messages)
    # Some 500s, so retries (and their history checks) move between the replicas too.
    slack_api.fail_every("chat.postMessage", nth=7, status=500)
    other_db = Database(db.url)  # a pool of its own, as another process would have
    try:
        replicas = (
            engine_deps(deps, db, replica="replica-a", max_attempts=20),
            engine_deps(deps, other_db, replica="replica-b", max_attempts=20),
        )
        async with engines(*replicas) as deliveries, running(*deliveries):
            final = await wait_until(db, all_settled, timeout=30)
    finally:
        await other_db.dispose()

    assert Counter(row.status for row in final.values()) == {outbox.SENT: 100}
    delivered: Counter[str | None] = Counter()
    for channel in channels:
        in_channel = keys_in(slack_api, channel)
        delivered.update(in_channel)
        assert in_channel == [key for key, target in messages if target == channel], channel
    assert delivered == Counter(key for key, _ in messages)
    # Both replicas took part; otherwise this test would not be about two of them.
    assert {row.leased_by for row in final.values()} == {"replica-a", "replica-b"}


async def test_blocks_are_sent_with_the_metadata(
    db: Database, deps: Deps, slack_api: FakeSlackApi
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]
    async with db.session() as session:
        await outbox.enqueue(
            session,
            outbox.NewMessage(
                key="blocks:1",
                job="test",
                occurrence=OCCURRENCE,
                channel="C0BLOCKS",
                text="hi",
                blocks=blocks,
            ),
            at=utc_now(),
        )

    async with engines(engine_deps(deps, db)) as (delivery,):
        await drain(delivery, db)

    (message,) = slack_api.messages_in("C0BLOCKS")
    assert message["blocks"] == blocks
    assert key_of(message) == "blocks:1"


async def test_unpaced_run_does_not_hold_a_channel_to_one_message_a_second(
    db: Database, deps: Deps, slack_api: FakeSlackApi
) -> None:
    await queue(db, [(f"burst:{n}", "C0BURST") for n in range(10)])

    async with engines(engine_deps(deps, db)) as (delivery,), running(delivery):
        await wait_until(db, all_settled, timeout=3)

    assert keys_in(slack_api, "C0BURST") == [f"burst:{n}" for n in range(10)]


async def test_a_replica_with_a_stale_view_of_attempts_still_checks_history(
    db: Database, deps: Deps, slack_api: FakeSlackApi
) -> None:
    """B read the row at 0 attempts; meanwhile A posted it, got a 5xx, set a retry."""
    await queue(db, [("stale:1", "C0STALE")])
    async with db.session() as session:
        [stale_view] = await outbox.heads(session, utc_now())
    async with db.session() as session:  # replica A: leased, Slack posted it, answer was a 500
        assert (
            await outbox.lease(
                session, stale_view.id, replica="a", now=utc_now(), for_=timedelta(seconds=30)
            )
            == 1
        )
        await outbox.finish(
            session,
            stale_view.id,
            replica="a",
            status=outbox.PENDING,
            now=utc_now(),
            error="fatal_error",
            retry_at=utc_now(),
        )
    slack_api.add_message(
        "C0STALE",
        "message stale:1",
        metadata={"event_type": METADATA_EVENT, "event_payload": {"key": "stale:1"}},
    )

    async with engines(engine_deps(deps, db, replica="b")) as (delivery,):
        assert stale_view.attempts == 0
        assert await delivery._deliver(stale_view)

    assert slack_api.calls_to("chat.postMessage") == []
    assert keys_in(slack_api, "C0STALE") == ["stale:1"]
    assert (await rows(db))["stale:1"].status == outbox.SENT


async def test_a_429_does_not_use_up_an_attempt(
    db: Database, deps: Deps, slack_api: FakeSlackApi
) -> None:
    await queue(db, [("limited:1", "C0LIMITED")])
    slack_api.fail_next("chat.postMessage", status=429, retry_after=0, times=2)
    slack_api.fail_next("chat.postMessage", status=500)

    async with engines(engine_deps(deps, db, max_attempts=3)) as (delivery,):
        final = await drain(delivery, db)

    assert final["limited:1"].status == outbox.SENT
    assert len(slack_api.calls_to("chat.postMessage")) == 4
