"""How fast the delivery engine drains the outbox, and whether it loses or repeats anything.

The outbox is filled with 1,000 messages spread round-robin over 20 channels, then one
:class:`jobs.delivery.Delivery` (its ``run`` loop, as ``strategic-bot serve`` runs it) sends
them to the fake Slack Web API. The engine's pacing is on, at the app's default of one
message per second per channel unless ``--pace`` says otherwise, and the fake API does no
rate limiting of its own, so the pacing is the ceiling: about ``channels / pace`` messages a
second (20/s by default). A rate well under that means the engine idles when it could send.

Why it is shaped this way:

* **Slack is elsewhere.** The fake API (``tests/slack_api.py``, which checks every block
  payload) runs in its own process, ``python -m benchmarks.servers slack-api``, as for the
  ack benchmark, so this process holds only the engine, its SQLite database and the
  benchmark's own bookkeeping; its peak memory is the engine's.
* **Counted at Slack, not in the outbox.** When the outbox says every row is sent, every
  channel's history is read back through ``conversations.history`` with the message
  metadata the engine attaches (``strategic_bot_delivery`` with the outbox key), so a loss
  (a key in no channel), a duplicate (a key twice), a message in the wrong channel or out
  of its channel's queue order is seen where users would see it.
* **A real database.** SQLite in a temporary directory, migrated with the real Alembic
  migrations (``storage.migrate.upgrade``); messages are queued with ``storage.outbox``.

Run from the repository root::

    python -m benchmarks.delivery [--messages N] [--channels C] [--pace SECONDS]

It prints the rate, the time, peak memory, the pacing seen at Slack, losses and
duplicates, then the same as one JSON line. It exits 1 when any message is lost,
duplicated, misplaced, out of order or not sent, or Slack would reject a payload, and 2
when the benchmark cannot run.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, select

from benchmarks.harness import (
    POLL_INTERVAL,
    TOKEN,
    BenchError,
    Child,
    clear_app_environment,
    positive,
    run,
    seconds,
    start_slack_api,
    stop,
)
from benchmarks.servers import LOG_FORMAT
from bot.config import SchedulerPolicy, Settings
from bot.deps import Deps
from jobs.delivery import METADATA_EVENT, Delivery, delivery_client
from storage import outbox
from storage.db import Database
from storage.migrate import upgrade
from storage.models import OutboxRow

JOB = "delivery-benchmark"
OCCURRENCE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SLACK_PAGE = 1000  # the fake API's largest conversations.history page


@dataclass
class Delivered:
    """What the channels' histories hold, compared with what was queued."""

    queued: dict[str, str]  # key -> channel, in queue order
    seen: dict[str, list[str]] = field(default_factory=dict)  # channel -> keys, oldest first
    gaps: list[float] = field(default_factory=list)  # seconds between a channel's posts

    @property
    def counts(self) -> Counter[str]:
        return Counter(key for keys in self.seen.values() for key in keys)

    @property
    def losses(self) -> list[str]:
        counts = self.counts
        return [key for key in self.queued if counts[key] == 0]

    @property
    def duplicates(self) -> list[str]:
        return sorted(key for key, count in self.counts.items() if count > 1)

    @property
    def misplaced(self) -> list[str]:
        return sorted(
            key
            for channel, keys in self.seen.items()
            for key in keys
            if self.queued.get(key) != channel
        )

    @property
    def out_of_order(self) -> list[str]:
        """Channels whose messages do not appear in the order they were queued."""
        bad = []
        for channel, keys in self.seen.items():
            own = [k for k in dict.fromkeys(keys) if self.queued.get(k) == channel]
            expected = [k for k, c in self.queued.items() if c == channel and k in set(own)]
            if own != expected:
                bad.append(channel)
        return sorted(bad)


def channel_names(count: int) -> list[str]:
    return [f"C0BENCH{n:03d}" for n in range(count)]


def message_blocks(key: str, n: int, total: int) -> list[dict[str, Any]]:
    """A small but real payload: a section and a context, as the jobs post."""
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*Benchmark* message {n + 1}"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"{key} of {total}"}]},
    ]


async def fill(db: Database, messages: int, channels: list[str]) -> dict[str, str]:
    """Queue the messages round-robin over the channels; key -> channel in queue order."""
    queued: dict[str, str] = {}
    now = datetime.now(UTC)
    async with db.session() as session:
        for n in range(messages):
            key = f"bench:{n:06d}"
            channel = channels[n % len(channels)]
            added = await outbox.enqueue(
                session,
                outbox.NewMessage(
                    key=key,
                    job=JOB,
                    occurrence=OCCURRENCE,
                    channel=channel,
                    text=f"Benchmark message {n + 1} of {messages}",
                    blocks=message_blocks(key, n, messages),
                ),
                at=now,
            )
            if not added:
                raise BenchError(f"{key} was already queued: the database is not fresh")
            queued[key] = channel
    return queued


async def statuses(db: Database) -> Counter[str]:
    async with db.session() as session:
        query = select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
        return Counter({status: count for status, count in (await session.execute(query)).all()})


async def drain(
    delivery: Delivery, db: Database, total: int, slack: Child, within: float
) -> tuple[float, Counter[str]]:
    """Run the engine until every row is sent or failed; (seconds, final statuses)."""
    halt = asyncio.Event()
    began = time.perf_counter()
    sender = asyncio.create_task(delivery.run(halt), name="outbox-delivery")
    try:
        while True:
            counts = await statuses(db)
            if counts[outbox.SENT] + counts[outbox.FAILED] >= total:
                return time.perf_counter() - began, counts
            if sender.done():
                raise BenchError(f"Delivery.run ended early: {sender.exception()!r}")
            slack.check_alive()
            if time.perf_counter() - began > within:
                unsettled = f"{within:.0f} s: {dict(counts)}"
                raise BenchError(f"the outbox was not drained within {unsettled}")
            await asyncio.sleep(POLL_INTERVAL)
    finally:
        halt.set()
        try:
            await asyncio.wait_for(sender, 15)
        except TimeoutError:
            print("Delivery.run did not stop within 15 s of being asked", file=sys.stderr)


async def read_back(api_url: str, queued: dict[str, str], channels: list[str]) -> Delivered:
    """Every channel's history as Slack holds it, keyed by the engine's message metadata."""
    result = Delivered(queued)
    async with aiohttp.ClientSession() as http:
        client = AsyncWebClient(token=TOKEN, base_url=f"{api_url}/api/", session=http)
        for channel in channels:
            messages: list[dict[str, Any]] = []
            cursor = None
            while True:
                page = await client.conversations_history(
                    channel=channel, include_all_metadata=True, limit=SLACK_PAGE, cursor=cursor
                )
                messages += page.get("messages") or []
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
            messages.sort(key=lambda m: Decimal(str(m["ts"])))  # history is newest first
            keys = []
            for message in messages:
                metadata = message.get("metadata") or {}
                if metadata.get("event_type") == METADATA_EVENT:
                    keys.append(str((metadata.get("event_payload") or {}).get("key")))
            result.seen[channel] = keys
            stamps = [float(m["ts"]) for m in messages]
            result.gaps += [b - a for a, b in itertools.pairwise(stamps)]
    return result


def settings_for(api_url: str, database_url: str, pace: float) -> Settings:
    return Settings(
        _env_file=None,
        slack_bot_token=TOKEN,
        slack_api_url=f"{api_url}/api/",
        database_url=database_url,
        scheduler=SchedulerPolicy(channel_pace_seconds=pace),
    )


async def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    channels = channel_names(args.channels)
    per_channel = -(-args.messages // args.channels)
    timeout = args.timeout or max(60.0, per_channel * args.pace * 3 + 60.0)
    children: list[Child] = []
    with tempfile.TemporaryDirectory(prefix="strategic-delivery-bench-") as tmp:
        workdir = Path(tmp)
        try:
            api = await start_slack_api(workdir, children)
            slack = children[-1]

            database_url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
            await asyncio.to_thread(upgrade, database_url)
            settings = settings_for(api.url, database_url, args.pace)
            db = Database(settings.database_url)
            try:
                queued = await fill(db, args.messages, channels)
                if args.tracemalloc:
                    tracemalloc.start()
                async with aiohttp.ClientSession() as http:
                    deps = Deps(settings=settings, db=db)
                    delivery = Delivery(deps, delivery_client(deps, http))
                    seconds, final = await drain(delivery, db, args.messages, slack, timeout)
                traced_peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
                tracemalloc.stop()
            finally:
                await db.dispose()
            delivered = await read_back(api.url, queued, channels)
            async with aiohttp.ClientSession() as http:
                totals = await api.count(http, "chat.postMessage")
            slack.check_alive()
        finally:
            await stop(children)

    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "benchmark": "delivery",
        "messages": args.messages,
        "channels": args.channels,
        "pace_seconds": args.pace,
        "ceiling_msg_per_s": round(args.channels / args.pace, 1) if args.pace > 0 else None,
        "msg_per_s": round(args.messages / seconds, 2),
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(rss_kib / 1024, 1),
        "tracemalloc_peak_mib": (
            round(traced_peak / 2**20, 1) if traced_peak is not None else None
        ),
        "statuses": dict(final),
        "post_calls": int(totals["count"]),
        "block_violations": int(totals["violations"]),
        "delivered": sum(delivered.counts.values()),
        "losses": len(delivered.losses),
        "duplicates": len(delivered.duplicates),
        "misplaced": len(delivered.misplaced),
        "out_of_order_channels": len(delivered.out_of_order),
        "channel_gap_s": {
            "min": round(min(delivered.gaps), 3) if delivered.gaps else None,
            "median": round(statistics.median(delivered.gaps), 3) if delivered.gaps else None,
            "max": round(max(delivered.gaps), 3) if delivered.gaps else None,
        },
        "examples": {
            "lost": delivered.losses[:5],
            "duplicated": delivered.duplicates[:5],
            "misplaced": delivered.misplaced[:5],
            "out_of_order": delivered.out_of_order[:5],
        },
        "python": sys.version.split()[0],
    }


def report(result: dict[str, Any]) -> bool:
    """Print the figures and the JSON line; True when nothing was lost or repeated."""
    ceiling = result["ceiling_msg_per_s"]
    gap = result["channel_gap_s"]
    print(
        f"\nDelivery of {result['messages']} messages over {result['channels']} channels, "
        f"pacing {result['pace_seconds']} s per channel\n"
    )
    print(
        f"rate:            {result['msg_per_s']:.2f} msg/s"
        + (f" (pacing allows {ceiling:.1f})" if ceiling else " (unpaced)")
    )
    print(f"total:           {result['seconds']:.2f} s")
    traced = result["tracemalloc_peak_mib"]
    print(
        f"peak memory:     {result['peak_rss_mib']:.1f} MiB RSS (whole process)"
        + (f", {traced:.1f} MiB traced while delivering" if traced is not None else "")
    )
    print(
        f"gap between a channel's posts: min {gap['min']} s, median {gap['median']} s, "
        f"max {gap['max']} s"
    )
    print(f"outbox:          {result['statuses']}")
    print(f"chat.postMessage calls: {result['post_calls']}; delivered: {result['delivered']}")
    print(f"losses:          {result['losses']}")
    print(f"duplicates:      {result['duplicates']}")
    if result["misplaced"] or result["out_of_order_channels"]:
        print(f"misplaced:       {result['misplaced']}")
        print(f"out of order:    {result['out_of_order_channels']} channel(s)")
    if result["block_violations"]:
        print(f"payloads Slack would reject: {result['block_violations']}")
    if any(result["examples"].values()):
        print(f"examples:        {result['examples']}")
    print(json.dumps(result, separators=(",", ":")))
    return (
        result["losses"] == 0
        and result["duplicates"] == 0
        and result["misplaced"] == 0
        and result["out_of_order_channels"] == 0
        and result["block_violations"] == 0
        and result["statuses"] == {outbox.SENT: result["messages"]}
    )


def main(argv: list[str] | None = None) -> int:
    default_pace = SchedulerPolicy().channel_pace_seconds
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--messages", type=positive, default=1000, help="queued (1000)")
    parser.add_argument("--channels", type=positive, default=20, help="spread over (20)")
    parser.add_argument(
        "--pace",
        type=seconds,
        default=default_pace,
        help=f"seconds between a channel's messages ({default_pace}, the app's default)",
    )
    parser.add_argument(
        "--timeout", type=seconds, default=0.0, help="give up after this many seconds"
    )
    parser.add_argument(
        "--no-tracemalloc",
        dest="tracemalloc",
        action="store_false",
        help="skip tracemalloc (it slows allocation-heavy code; matters with --pace 0)",
    )
    args = parser.parse_args(argv)
    clear_app_environment()  # the benchmark configures the app itself
    logging.basicConfig(level=logging.WARNING, format=LOG_FORMAT)
    return run(benchmark(args), lambda result: 0 if report(result) else 1)


if __name__ == "__main__":
    sys.exit(main())
