"""How long the weekly update's post takes to build for 200 accounts with entries.

The EM clicks Post (or the job posts at autopost_time) and waits for the post: gathering
the week (entries, how long each blocker has stood, the accounts, their health, the
renewals due) and building its blocks is what the click costs, so that is what is timed,
through `bot.services.weekly.post_week` as the click calls it, queue included. SQLite in
a temporary directory, migrated with the real migrations; the figures are:

* the time of one post, best and median of several weeks (goal: at most 1 s);
* the Web API calls it makes: the messages it queues, each one call when delivered;
* the peak memory Python allocated while building it (tracemalloc).

Past 50 blocks the post is cut, whole accounts at a time, with a line saying how many
parts were left out (the thread replies that would carry them are not built yet), so
most of the 200 accounts are gathered and judged but not rendered.

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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from benchmarks.harness import clear_app_environment, positive, run
from bot.config import Settings, TeamPolicy
from bot.deps import Deps
from bot.domain.accounts import AccountDraft
from bot.domain.updates import EntryDraft, Week, week_of
from bot.services.accounts import create_account
from bot.services.weekly import post_week
from storage import updates
from storage.db import Database
from storage.migrate import upgrade
from storage.models import OutboxRow

GOAL_SECONDS = 1.0
EM = "U0EMMA"
FRIDAY = datetime(2026, 11, 27, 16, tzinfo=UTC)


async def fill(deps: Deps, accounts: int, weeks: list[Week]) -> None:
    """`accounts` accounts, each with an entry every week, its blocker standing on."""
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


async def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    this_week = week_of(FRIDAY.date())
    weeks = [Week(this_week.monday - timedelta(weeks=k)) for k in range(args.runs)]
    with tempfile.TemporaryDirectory(prefix="strategic-weekly-bench-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'weekly.db'}"
        await asyncio.to_thread(upgrade, url)
        team = TeamPolicy(em=EM, strategic_channel="C0STRAT")
        settings = Settings(_env_file=None, database_url=url, team=team)
        deps = Deps(settings=settings, db=Database(url), clock=lambda: FRIDAY)
        try:
            await fill(deps, args.accounts, weeks)
            timings, peak = [], 0
            for week in weeks:  # each week posts once: a fresh post per run
                tracemalloc.start()
                started = time.perf_counter()
                await post_week(deps, week, EM)
                timings.append(time.perf_counter() - started)
                peak = max(peak, tracemalloc.get_traced_memory()[1])
                tracemalloc.stop()
            count = select(func.count()).select_from(OutboxRow)
            async with deps.db.session() as session:
                queued = (await session.execute(count)).scalar()
        finally:
            await deps.db.dispose()
    return {
        "accounts": args.accounts,
        "runs": args.runs,
        "best_seconds": round(min(timings), 4),
        "median_seconds": round(statistics.median(timings), 4),
        "web_api_calls_per_post": (queued or 0) // args.runs,
        "peak_memory_mib": round(peak / 2**20, 1),
        "goal_seconds": GOAL_SECONDS,
    }


def finish(result: dict[str, Any]) -> int:
    met = result["median_seconds"] <= GOAL_SECONDS
    print(
        f"weekly post for {result['accounts']} accounts with entries: "
        f"median {result['median_seconds']:.3f} s, best {result['best_seconds']:.3f} s "
        f"(goal <= {GOAL_SECONDS:.0f} s: {'met' if met else 'MISSED'}); "
        f"{result['web_api_calls_per_post']} Web API call(s) per post; "
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
