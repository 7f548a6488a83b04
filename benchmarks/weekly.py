"""How long the weekly update's post takes to build for 200 accounts with entries, chart
included, and what delivering it costs in Web API calls.

The EM clicks Post (or the job posts at autopost_time) and waits for the post: gathering
the week (entries, how long each blocker has stood, the accounts, their health, the
renewals due, twelve weeks of assistant DAU), laying it out (a summary, then each
account as a reply in its thread once one message would pass 50 blocks), drawing the
chart and queueing it all is what the click costs, so that is what is timed, through
`bot.services.weekly.post_week` as the click calls it. SQLite in a temporary directory,
migrated with the real migrations. Each post is then delivered by the real delivery
engine to the loopback Slack API of the tests, which counts the calls. The figures:

* the time of one post: the first (matplotlib imported on first use), then best and
  median of several weeks (goal: at most 1 s), untraced;
* the Web API calls delivering it made, by method (a file upload is three: the upload
  URL, the bytes sent to it, and completing the upload);
* the peak memory Python allocated while building it (tracemalloc), on one more week
  posted for that alone.

Run from the repository root::

    python -m benchmarks.weekly [--accounts N] [--runs R]

It prints the numbers and one JSON line, and exits non-zero past the time goal.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
import tracemalloc
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from benchmarks.harness import clear_app_environment, positive, run
from bot.config import SchedulerPolicy, Settings, TeamPolicy
from bot.deps import Deps
from bot.domain.accounts import AccountDraft
from bot.domain.updates import EntryDraft, Week, week_of
from bot.services.accounts import create_account
from bot.services.weekly import post_week
from jobs.delivery import Delivery, delivery_client
from storage import metrics, outbox, updates
from storage.db import Database
from storage.migrate import upgrade
from storage.models import OutboxRow
from tests.slack_api import FakeSlackApi

GOAL_SECONDS = 1.0
EM = "U0EMMA"
FRIDAY = datetime(2026, 11, 27, 16, tzinfo=UTC)


async def fill(deps: Deps, accounts: int, weeks: list[Week]) -> None:
    """`accounts` accounts, each with an entry every week, its blocker standing on, and
    daily usage (assistant DAU included) from twelve weeks before the first week on."""
    first = weeks[-1].monday - timedelta(weeks=12)
    days = (weeks[0].sunday - first).days + 1
    for n in range(accounts):
        end = date(2026, 12, 1) + timedelta(days=n % 365)
        draft = AccountDraft(
            name=f"Account {n:04}",
            tier=1 + n % 3,
            lead_engineer="U0LEAD",
            contract_start=end - timedelta(days=364),
            contract_end=end,
            arr=100_000 + n,
        )
        account = await create_account(deps, draft, actor="U0SETUP")
        async with deps.db.session() as session:
            for week in weeks:
                entry = EntryDraft(
                    account_id=account.id,
                    progress=f"Rolled out to team {n} " * 8,
                    blockers=f"Security review of {account.name}",
                    upcoming="The QBR, then the renewal plan. " * 4,
                )
                await updates.save(session, week, "U0LEAD", entry, FRIDAY)
            usage = [
                {
                    "account_id": account.id,
                    "day": first + timedelta(days=d),
                    "dau": 300,
                    "mau": 500,
                    "licensed_seats": 1000,
                    "assistant_dau": 100 + d + n % 50,
                }
                for d in range(days)
            ]
            await metrics.save_snapshots(session, usage, FRIDAY)


async def deliver(deps: Deps) -> None:
    """Send everything queued, as `serve` would, unpaced."""
    delivery = Delivery(deps, delivery_client(deps))
    async with deps.db.session() as session:
        while await outbox.heads(session, deps.clock()):
            await delivery.pass_once()


async def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    this_week = week_of(FRIDAY.date())
    weeks = [Week(this_week.monday - timedelta(weeks=k)) for k in range(args.runs + 1)]
    with tempfile.TemporaryDirectory(prefix="strategic-weekly-bench-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'weekly.db'}"
        await asyncio.to_thread(upgrade, url)
        async with FakeSlackApi() as slack:
            settings = Settings(
                _env_file=None,
                database_url=url,
                team=TeamPolicy(em=EM, strategic_channel="C0STRAT"),
                scheduler=SchedulerPolicy(channel_pace_seconds=0),
                slack_bot_token="xoxb-benchmark",
                slack_api_url=f"{slack.url}/api/",
            )
            deps = Deps(settings=settings, db=Database(url), clock=lambda: FRIDAY)
            try:
                await fill(deps, args.accounts, weeks)
                timings = []
                for week in weeks[1:]:  # each week posts once: a fresh post per run
                    started = time.perf_counter()
                    await post_week(deps, week, EM)
                    timings.append(time.perf_counter() - started)
                    await deliver(deps)
                tracemalloc.start()  # on a week of its own: tracing slows what it traces
                await post_week(deps, weeks[0], EM)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                await deliver(deps)
                count = select(func.count()).select_from(OutboxRow)
                async with deps.db.session() as session:
                    queued = (await session.execute(count)).scalar() or 0
            finally:
                await deps.db.dispose()
            calls = Counter(call.method for call in slack.calls)
            problems = list(slack.violations)
    return {
        "accounts": args.accounts,
        "runs": args.runs,
        "first_seconds": round(timings[0], 4),
        "best_seconds": round(min(timings), 4),
        "median_seconds": round(statistics.median(timings), 4),
        "queued_per_post": queued // len(weeks),
        "web_api_calls_per_post": {m: n // len(weeks) for m, n in sorted(calls.items())},
        "block_limit_violations": problems,
        "peak_memory_mib": round(peak / 2**20, 1),
        "goal_seconds": GOAL_SECONDS,
    }


def finish(result: dict[str, Any]) -> int:
    met = result["median_seconds"] <= GOAL_SECONDS and not result["block_limit_violations"]
    calls = result["web_api_calls_per_post"]
    print(
        f"weekly post for {result['accounts']} accounts with entries, chart included: "
        f"median {result['median_seconds']:.3f} s, best {result['best_seconds']:.3f} s, "
        f"first {result['first_seconds']:.3f} s "
        f"(goal <= {GOAL_SECONDS:.0f} s: {'met' if met else 'MISSED'}); "
        f"{sum(calls.values())} calls per post delivered "
        f"({', '.join(f'{n} {m}' for m, n in calls.items())}); "
        f"peak memory {result['peak_memory_mib']} MiB"
    )
    print(json.dumps(result))
    return 0 if met else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--accounts", type=positive, default=200, help="accounts (200)")
    parser.add_argument("--runs", type=positive, default=5, help="weeks posted, one run each (5)")
    args = parser.parse_args(argv)
    clear_app_environment()  # the benchmark configures the app itself
    return run(benchmark(args), finish)


if __name__ == "__main__":
    raise SystemExit(main())
