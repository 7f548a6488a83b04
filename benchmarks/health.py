"""How fast the whole portfolio's health and the App Home are computed for 10,000 accounts.

A SQLite database in a temporary directory, migrated with the real Alembic migrations
(``storage.migrate.upgrade``), is filled with 10,000 accounts and 90 days of daily usage
snapshots each (900,000 rows in ``metric_snapshots``), then:

* **The daily history** — what the ``health-alerts`` job records every day. The app judges
  the day a week before and records it (``services.health.portfolio`` then
  ``storage.health.record_day``, as the job does); the other 89 days are padded with
  copies of it, so that ``health_history`` has the 900,000 rows of a quarter's runs.
* **Portfolio health** — ``bot.services.health.portfolio(deps, day)``, as ``/strategic
  health``, the App Home and the job call it, timed whole and in its parts: the accounts
  (``storage.accounts.list_accounts``), one grouped SQL pass (``storage.metrics.
  figures_as_of``), the statuses recorded a week before (``storage.health.statuses_on``)
  and the Python judging (``bot.domain.health.assess`` of every account, trend, sort).
  It is timed twice: with the history in place, the normal case, and cold, with no
  history (the first week after installing), when the week-ago statuses are judged
  again from a second grouped pass. Both must give the same portfolio.
* **The floor** — one grouped pass over the same rows with the raw ``sqlite3`` module,
  yielding what a single as-of day needs (newest MAU, seats and assistant DAU, the 28-day
  average DAU and completion sums). The issue's goals: the whole portfolio within 1 s and
  within 4x this floor. The floor's figures are also compared with the app's, so a
  benchmark that measures the wrong thing fails loudly.
* **The App Home** — ``bot.services.home.home_data`` then ``bot.blocks.home.home_view``,
  timed apart; the view must stay within Slack's 100 blocks and pass
  ``tests.block_limits.check_view``.

Why it is shaped this way:

* **Loaded fast, read by the app.** The rows go in with ``sqlite3`` and ``executemany`` in
  one transaction (the app's services would take minutes), in the text forms SQLAlchemy
  itself writes (dates ``YYYY-MM-DD``, UTC datetimes ``YYYY-MM-DD HH:MM:SS.ffffff``), then
  ``ANALYZE`` runs as a DBA would after a bulk load. Everything timed goes through the app.
* **Plausible figures.** Per account: seats, a utilization, consumption, acceptance and
  assistant adoption drawn so that all three statuses occur, a drift over the 90 days so
  trends move, a few accounts in their utilization grace period, a few that stopped
  reporting (stale), a few without completions or assistant telemetry; always
  DAU ≤ MAU ≤ 10 x seats and accepted ≤ shown.
* **As in the server.** Start-up objects are frozen out of garbage collection, as
  ``strategic-bot serve`` does (``bot.startup.app.freeze_startup_objects``), and no earlier run's
  results stay alive while the next is timed.
* **Warm, repeated timing.** Each figure is one warm-up, then ``--runs`` timed runs (5 by
  default), reported as best and median; the portfolio and the floor alternate run by run
  so that a busy machine weighs on their ratio as little as possible.

Run from the repository root::

    python -m benchmarks.health [--accounts 10000] [--days 90] [--runs 5] [--profile]

``--profile`` adds a cProfile of one portfolio run (the main thread: SQL runs in
aiosqlite's worker threads and shows as waiting), each SQL statement's time at the driver
and SQLite's query plan for it.

It prints a table, then the same as one JSON line. It exits 1 when the Home view breaks
a Slack limit, 2 when the benchmark cannot run or the app's figures disagree with the
floor's (or the cold portfolio with the warm one); missed time goals are reported, not
failed.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    BenchError,
    Timing,
    clear_app_environment,
    positive,
    run,
    timed,
)
from benchmarks.health_data import AS_OF, NOW, load, text_date
from benchmarks.health_floor import disagreements, floor_pass
from benchmarks.health_profile import profile_portfolio
from benchmarks.health_report import build_result, report
from bot.blocks.home import home_view
from bot.config import Settings
from bot.deps import Deps
from bot.domain.alerts import label_of
from bot.domain.health import AccountHealth
from bot.services.health import WEEK, _judged, portfolio
from bot.services.home import home_data
from bot.startup.app import freeze_startup_objects
from jobs.catalog import load_jobs
from storage import accounts as account_store
from storage import health as health_store
from storage.db import Database
from storage.metrics import figures_as_of
from storage.migrate import upgrade
from tests.block_limits import check_view

VIEWER = "U0VIEWER"
SEED = 20261123


async def record_history(deps: Deps, db_path: Path, days: int) -> int:
    """The job's record of the day a week before AS_OF, judged by the app, and the other
    days of the period padded with copies of it; the rows in ``health_history``."""
    week_ago = AS_OF - WEEK
    items = await portfolio(deps, week_ago)
    statuses = {i.account.id: label_of(i.health.status) for i in items}
    async with deps.db.session() as session:
        await health_store.record_day(session, week_ago, statuses)
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        for n in range(1, days + 1):
            if n != WEEK.days:
                conn.execute(
                    "INSERT INTO health_history (account_id, day, status) "
                    "SELECT account_id, ?, status FROM health_history WHERE day = ?",
                    (text_date(AS_OF - timedelta(days=n)), text_date(week_ago)),
                )
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        rows: int = conn.execute("SELECT count(*) FROM health_history").fetchone()[0]
    finally:
        conn.close()
    return rows


def outcome(items: list[AccountHealth]) -> list[tuple[Any, ...]]:
    """What a portfolio says of each account, to compare two ways of computing it."""
    return [(i.account.id, i.health.status, i.health.stale, i.trend) for i in items]


async def measure(deps: Deps, db_path: Path, args: argparse.Namespace) -> dict[str, Any]:
    runs = args.runs
    policy = deps.settings.health
    cold_time, cold_items = await timed(runs, lambda: portfolio(deps, AS_OF))
    # Only the summary is kept: a benchmark holding 10,000 more objects would make every
    # full garbage collection in the timed runs longer than it is in the app.
    cold = outcome(cold_items)
    del cold_items
    history_rows = await record_history(deps, db_path, args.days)

    conn = sqlite3.connect(db_path)
    try:
        # The two goal figures alternate run by run, so a busy machine slows both alike.
        items = await portfolio(deps, AS_OF)
        floor_rows = floor_pass(conn, AS_OF)
        portfolio_time, floor_time = Timing(), Timing()
        for _ in range(runs):
            items = []  # the last run's portfolio is garbage before the next, as in the app
            started = time.perf_counter()
            items = await portfolio(deps, AS_OF)
            portfolio_time.samples.append(time.perf_counter() - started)
            started = time.perf_counter()
            floor_rows = floor_pass(conn, AS_OF)
            floor_time.samples.append(time.perf_counter() - started)
    finally:
        conn.close()

    accounts_time, accounts = await timed(runs, lambda: deps.db.read(account_store.list_accounts))
    figures_time, now = await timed(runs, lambda: deps.db.read(figures_as_of, AS_OF))
    recorded_time, recorded = await timed(
        runs, lambda: deps.db.read(health_store.statuses_on, AS_OF - WEEK)
    )

    async def judging() -> list[AccountHealth]:
        found = [_judged(a, now[a.id], recorded[a.id], policy, AS_OF) for a in accounts]
        return sorted(found, key=lambda h: h.rank)

    judge_time, _ = await timed(runs, judging)
    mismatch = disagreements(now, floor_rows, args.accounts)
    if cold != outcome(items):
        mismatch.append("the cold portfolio (no history) differs from the one with history")

    timetables = [j.timetable for j in load_jobs(deps.settings).values()]
    data_time, data = await timed(runs, lambda: home_data(deps, timetables, VIEWER))

    async def view_dict() -> dict[str, Any]:
        built: dict[str, Any] = home_view(data).to_dict()
        return built

    view_time, view = await timed(runs, view_dict)
    problems = check_view(view)

    profile = await profile_portfolio(deps, db_path) if args.profile else None
    statuses = Counter(
        i.health.status.label if i.health.status is not None else "none" for i in items
    )
    return {
        "portfolio": portfolio_time,
        "portfolio_cold": cold_time,
        "history_rows": history_rows,
        "accounts": accounts_time,
        "figures": figures_time,
        "recorded": recorded_time,
        "judging": judge_time,
        "floor": floor_time,
        "home_data": data_time,
        "home_view": view_time,
        "items": len(items),
        "statuses": dict(statuses),
        "trends": dict(Counter(i.trend for i in items)),
        "stale": sum(1 for i in items if i.health.stale),
        "renewals": len(data.renewals),
        "red_without_plan": len(data.red_without_plan),
        "view_blocks": len(view["blocks"]),
        "view_problems": problems,
        "floor_mismatches": mismatch,
        "profile": profile,
    }


async def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="strategic-health-bench-") as tmp:
        db_path = Path(tmp) / "health.db"
        url = f"sqlite+aiosqlite:///{db_path}"
        started = time.perf_counter()
        await asyncio.to_thread(upgrade, url)
        migrated = time.perf_counter() - started
        loaded = await asyncio.to_thread(load, db_path, args.accounts, args.days, args.seed)
        if loaded.snapshots != args.accounts * args.days:
            raise BenchError(
                f"loaded {loaded.snapshots} snapshots, not {args.accounts * args.days}"
            )
        settings = Settings(_env_file=None, database_url=url)
        deps = Deps(settings=settings, db=Database(url), clock=lambda: NOW)
        if deps.today() != AS_OF:
            raise BenchError(f"the app's today is {deps.today()}, not {AS_OF}")
        freeze_startup_objects()  # as `strategic-bot serve` does once the app is built
        try:
            found = await measure(deps, db_path, args)
        finally:
            await deps.db.dispose()
    return build_result(args, migrated, loaded, found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--accounts", type=positive, default=10_000, help="accounts (10000)")
    parser.add_argument("--days", type=positive, default=90, help="daily snapshots each (90)")
    parser.add_argument("--runs", type=positive, default=5, help="timed runs after a warm-up (5)")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed of the data")
    parser.add_argument(
        "--profile", action="store_true", help="also profile one portfolio run and explain its SQL"
    )
    args = parser.parse_args(argv)
    clear_app_environment()  # the benchmark configures the app itself
    return run(benchmark(args), finish)


def finish(result: dict[str, Any]) -> int:
    """Print the profile (if any) and the report; the exit code the module docstring gives."""
    profile = result.pop("profile", None)
    if profile:
        print(profile)
    ok = report(result)
    if result["floor_mismatches"]:
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
