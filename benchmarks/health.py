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
  ``strategic-bot serve`` does (``bot.app.freeze_startup_objects``), and no earlier run's
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
import cProfile
import io
import json
import math
import os
import pstats
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from benchmarks.ack import positive
from bot.app import freeze_startup_objects
from bot.blocks.home import home_view
from bot.config import Settings
from bot.deps import Deps
from bot.domain.accounts import PartnerStatus, name_key
from bot.domain.alerts import label_of
from bot.domain.health import HealthPolicy, Threshold, UsageFigures
from bot.services.health import WEEK, AccountHealth, _judged, portfolio
from bot.services.home import home_data
from jobs.catalog import load_jobs
from storage import accounts as account_store
from storage import health as health_store
from storage.db import Database
from storage.metrics import WINDOW_DAYS, figures_as_of
from storage.migrate import upgrade
from storage.outbox import SENT
from tests.block_limits import MAX_VIEW_BLOCKS, check_view

CLEARED_VARIABLES = (
    "SLACK_", "DATABASE_URL", "TEAM__", "SCHEDULER__", "HEALTH__", "STRATEGIC_BOT",
)  # fmt: skip
AS_OF = date(2026, 11, 23)
"""The day the portfolio is judged; the clock stands at noon UTC on it."""
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
VIEWER = "U0VIEWER"
PORTFOLIO_GOAL_S = 1.0
FLOOR_RATIO_GOAL = 4.0
SEED = 20261123

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"
"""How SQLAlchemy's SQLite dialect writes Date and (naive UTC) DateTime values."""

ADJECTIVES = (
    "Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Acme",
    "Hooli", "Vandelay", "Tyrell", "Cyberdyne", "Soylent", "Wonka", "Gringotts", "Straße",
)  # fmt: skip
NOUNS = (
    "Logistics", "Bank", "Health", "Motors", "Energy", "Retail", "Media", "Foods",
    "Insurance", "Airlines", "Telecom", "Pharma", "Software", "Mining", "Studios", "Ærø",
)  # fmt: skip
INDUSTRIES = ("Finance", "Healthcare", "Retail", "Manufacturing", "Media", "Public sector")

ACCOUNT_COLUMNS = (
    "id", "name", "name_key", "tier", "industry", "lead_engineer", "ta_ce", "ae",
    "exec_sponsor", "channel", "contract_start", "contract_end", "production_start",
    "licensed_seats", "available_developers", "arr", "partner_status", "success_plan_url",
    "archived_at", "created_at", "updated_at",
)  # fmt: skip
SNAPSHOT_COLUMNS = (
    "account_id", "day", "dau", "mau", "licensed_seats", "assistant_dau",
    "completions_shown", "completions_accepted", "recorded_at",
)  # fmt: skip
PLAN_COLUMNS = ("account_id", "owner", "text", "due", "updated_by", "updated_at")
IARR_COLUMNS = ("account_id", "day", "amount", "kind", "actor", "recorded_at")
OUTBOX_COLUMNS = (
    "key", "job", "occurrence", "channel", "text", "blocks", "status", "attempts",
    "next_attempt_at", "created_at", "sent_at",
)  # fmt: skip

FLOOR_SQL = """
SELECT account_id,
       max(day) AS latest_day,
       mau, licensed_seats, assistant_dau,
       avg(CASE WHEN day >= :since THEN dau END) AS dau_avg,
       sum(CASE WHEN day >= :since THEN completions_shown END) AS shown,
       sum(CASE WHEN day >= :since THEN completions_accepted END) AS accepted
FROM metric_snapshots
WHERE day <= :day
GROUP BY account_id
"""
"""One pass. With a lone max(), SQLite takes the bare columns from the row holding it:
the newest snapshot's MAU, seats and assistant DAU."""


class BenchError(Exception):
    """The benchmark cannot run, or it would measure the wrong thing."""


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Profile:
    """One account's usage habits, from which its 90 daily snapshots are drawn."""

    account_id: int
    seats: int
    developers: int | None
    """Available developers; None: not set, the adoption measure is not judged."""
    utilization: float
    drift: float
    """Change of utilization over the whole period: trends move, statuses change."""
    consumption: float
    per_user_completions: int
    acceptance: float | None
    """None: the account sends no completion telemetry."""
    adoption: float | None
    """Assistant DAU / available developers; None: the account sends no assistant DAU."""
    lag_days: int
    """Days since the newest snapshot: more than three makes the account stale."""


def text_date(value: date) -> str:
    return value.strftime(DATE_FORMAT)


def text_datetime(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).strftime(DATETIME_FORMAT)


def slack_id(prefix: str, rng: random.Random) -> str:
    return prefix + "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=8))


def draw(rng: random.Random, threshold: Threshold, top: float) -> float:
    """A measure's value: green for most accounts, yellow for some, red for a few."""
    luck = rng.random()
    if luck < 0.04:
        return rng.uniform(threshold.yellow * 0.5, threshold.yellow)
    if luck < 0.12:
        return rng.uniform(threshold.yellow, threshold.green)
    return rng.uniform(threshold.green, top)


def make_profiles(accounts: int, rng: random.Random) -> list[Profile]:
    policy = HealthPolicy()
    profiles = []
    for account_id in range(1, accounts + 1):
        seats = int(math.exp(rng.uniform(math.log(20), math.log(5000))))
        telemetry = rng.random() > 0.04
        profiles.append(
            Profile(
                account_id=account_id,
                seats=seats,
                developers=int(seats * rng.uniform(0.5, 1.0)) if rng.random() > 0.1 else None,
                utilization=draw(rng, policy.utilization, 1.05),
                drift=rng.uniform(-0.15, 0.15),
                consumption=draw(rng, policy.consumption, 0.70),
                per_user_completions=rng.randint(10, 80),
                acceptance=draw(rng, policy.acceptance, 0.45) if telemetry else None,
                adoption=draw(rng, policy.assistant_adoption, 0.50) if telemetry else None,
                lag_days=rng.choice((4, 6, 10)) if rng.random() < 0.02 else rng.choice((0, 0, 1)),
            )
        )
    return profiles


def account_rows(profiles: list[Profile], rng: random.Random) -> Iterator[tuple[Any, ...]]:
    created = text_datetime(NOW - timedelta(days=400))
    statuses = list(PartnerStatus)
    for p in profiles:
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {p.account_id:05d}"
        start = AS_OF - timedelta(days=rng.randint(100, 1000))
        # About one in eight contracts ends within the renewal window of 90 days.
        end = AS_OF + timedelta(days=rng.randint(1, 730))
        recent = rng.random() < 0.05  # still in the 60-day utilization grace period
        production = AS_OF - timedelta(days=rng.randint(5, 55) if recent else rng.randint(90, 900))
        yield (
            p.account_id,
            name,
            name_key(name),
            rng.randint(1, 3),
            rng.choice(INDUSTRIES),
            slack_id("U", rng),
            slack_id("U", rng),
            slack_id("U", rng),
            slack_id("U", rng) if rng.random() > 0.3 else None,
            slack_id("C", rng) if rng.random() > 0.2 else None,
            text_date(start),
            text_date(end),
            text_date(production),
            p.seats,
            p.developers,
            p.seats * rng.randint(200, 900),
            rng.choice(statuses).value,
            f"https://docs.example.com/plans/{p.account_id}" if rng.random() > 0.5 else None,
            None,
            created,
            created,
        )


def snapshot_rows(
    profiles: list[Profile], days: int, rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    """`days` consecutive snapshots per account, ending `lag_days` before AS_OF."""
    max_lag = max((p.lag_days for p in profiles), default=0)
    first = AS_OF - timedelta(days=days - 1 + max_lag)
    day_text = [text_date(first + timedelta(days=n)) for n in range(days + max_lag)]
    recorded_text = [
        text_datetime(datetime.combine(first + timedelta(days=n + 1), datetime.min.time(), UTC))
        for n in range(days + max_lag)
    ]
    random_ = rng.random
    for p in profiles:
        offset = max_lag - p.lag_days
        seats = p.seats
        # Assistant DAU is judged against available developers, or is about half the DAU.
        adopters = (
            None
            if p.adoption is None
            else p.adoption * (p.developers if p.developers else seats * 0.4)
        )
        for n in range(days):
            progress = n / days
            utilization = max(0.05, p.utilization + p.drift * (progress - 1.0))
            mau = max(1, min(10 * seats, int(seats * utilization * (0.97 + 0.06 * random_()))))
            dau = min(mau, int(mau * p.consumption * (0.8 + 0.4 * random_())))
            assistant = min(dau, int(adopters * (0.95 + 0.1 * random_()))) if adopters else None
            shown: int | None = None
            accepted: int | None = None
            if p.acceptance is not None:
                shown = int(dau * p.per_user_completions * (0.8 + 0.4 * random_()))
                accepted = min(shown, int(shown * p.acceptance * (0.9 + 0.2 * random_())))
            yield (
                p.account_id,
                day_text[offset + n],
                dau,
                mau,
                seats,
                assistant,
                shown,
                accepted,
                recorded_text[offset + n],
            )


def insert(conn: sqlite3.Connection, table: str, columns: tuple[str, ...], rows: Any) -> int:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    return conn.executemany(sql, rows).rowcount


@dataclass
class Loaded:
    accounts: int
    snapshots: int
    plans: int
    iarr_events: int
    seconds: float
    analyze_seconds: float
    db_mib: float


def load(path: Path, accounts: int, days: int, seed: int) -> Loaded:
    """Fill the migrated database with raw sqlite3, in one transaction, then ANALYZE."""
    rng = random.Random(seed)
    started = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")  # what the app sets on every connection
        conn.execute("PRAGMA synchronous=OFF")  # this connection only: a bulk load
        conn.execute("BEGIN")
        profiles = make_profiles(accounts, rng)
        insert(conn, "accounts", ACCOUNT_COLUMNS, account_rows(profiles, rng))
        snapshots = insert(
            conn, "metric_snapshots", SNAPSHOT_COLUMNS, snapshot_rows(profiles, days, rng)
        )
        at = text_datetime(NOW - timedelta(days=2))
        planned = rng.sample(range(1, accounts + 1), k=accounts // 10)
        plans = insert(
            conn,
            "get_well_plans",
            PLAN_COLUMNS,
            (
                (a, slack_id("U", rng), "Weekly office hours; enable the assistant for team B.",
                 text_date(AS_OF + timedelta(days=30)), "U0PLANNER", at)
                for a in planned
            ),
        )  # fmt: skip
        iarr = insert(
            conn,
            "iarr_events",
            IARR_COLUMNS,
            (
                (rng.randint(1, accounts), text_date(AS_OF - timedelta(days=rng.randint(0, 300))),
                 rng.randint(5, 500) * 1000, rng.choice(("expansion", "new")), "U0SELLER", at)
                for _ in range(accounts // 5)
            ),
        )  # fmt: skip
        insert(
            conn,
            "outbox",
            OUTBOX_COLUMNS,
            (
                (f"health-alerts:{n}", "health-alerts", at, f"C0ALERTS{n}", "Health alert",
                 "[]", SENT, 1, at, at, at)
                for n in range(5)
            ),
        )  # fmt: skip
        conn.execute("COMMIT")
        loaded = time.perf_counter()
        conn.execute("ANALYZE")
        analyzed = time.perf_counter()
    finally:
        conn.close()
    return Loaded(
        accounts=accounts,
        snapshots=snapshots,
        plans=plans,
        iarr_events=iarr,
        seconds=loaded - started,
        analyze_seconds=analyzed - loaded,
        db_mib=path.stat().st_size / 2**20,
    )


# --------------------------------------------------------------------------- timing


@dataclass
class Timing:
    samples: list[float] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def as_dict(self) -> dict[str, Any]:
        return {
            "best": round(self.best, 4),
            "median": round(self.median, 4),
            "runs": [round(s, 4) for s in self.samples],
        }


async def timed(runs: int, action: Callable[[], Awaitable[Any]]) -> tuple[Timing, Any]:
    """One warm-up, then `runs` timed runs; the last result comes back for checking."""
    result = await action()
    timing = Timing()
    for _ in range(runs):
        result = None  # the last run's result is garbage before the next, as in the app
        started = time.perf_counter()
        result = await action()
        timing.samples.append(time.perf_counter() - started)
    return timing, result


def floor_pass(conn: sqlite3.Connection, day: date) -> list[tuple[Any, ...]]:
    since = day - timedelta(days=WINDOW_DAYS - 1)
    return conn.execute(FLOOR_SQL, {"day": text_date(day), "since": text_date(since)}).fetchall()


def disagreements(
    figures: dict[int, UsageFigures], floor_rows: list[tuple[Any, ...]], accounts: int
) -> list[str]:
    """Where the app's figures for AS_OF differ from the floor's; empty when they agree."""
    problems = []
    if len(figures) != accounts:
        problems.append(f"the app has figures for {len(figures)} of {accounts} accounts")
    by_id = {row[0]: row for row in floor_rows}
    for account_id, got in figures.items():
        row = by_id.get(account_id)
        if row is None:
            problems.append(f"account {account_id}: no floor row")
            continue
        _, latest, mau, seats, assistant, dau_avg, shown, accepted = row
        expected = (date.fromisoformat(latest), mau, seats, assistant, shown, accepted)
        actual = (
            got.latest_day,
            got.mau,
            got.licensed_seats,
            got.assistant_dau,
            got.completions_shown,
            got.completions_accepted,
        )
        average = got.dau_4week_average
        if actual != expected or average is None or not math.isclose(average, dau_avg):
            problems.append(f"account {account_id}: app {actual, average} floor {row}")
        if len(problems) >= 5:
            break
    return problems


# --------------------------------------------------------------------------- profile


async def profile_portfolio(deps: Deps, url_path: Path) -> str:
    """cProfile of one portfolio run, each SQL statement's time, and SQLite's plans."""
    statements: list[tuple[str, Any, float]] = []
    starts: dict[int, float] = {}  # by cursor: the portfolio's reads run at once

    def before(_conn: Any, cursor: Any, *_args: Any) -> None:
        starts[id(cursor)] = time.perf_counter()

    def after(_conn: Any, cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        seconds = time.perf_counter() - starts.pop(id(cursor))
        statements.append((statement, parameters, seconds))

    engine = deps.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        started = time.perf_counter()
        await portfolio(deps, AS_OF)
        total = time.perf_counter() - started
        profiler.disable()
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    out = io.StringIO()
    out.write(f"\n--- profile of one portfolio run: {total:.3f} s ---\n")
    out.write("SQL statements (time at the driver: execute and fetch in aiosqlite's thread):\n")
    conn = sqlite3.connect(url_path)
    try:
        for statement, parameters, seconds in statements:
            flat = " ".join(statement.split())
            out.write(f"  {seconds:7.3f} s  {flat[:150]}{'…' if len(flat) > 150 else ''}\n")
            if flat.upper().startswith("SELECT") and "metric_snapshots" in flat:
                plan = conn.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
                for row in plan:
                    out.write(f"             plan: {row[-1]}\n")
        sql_total = sum(s for _, _, s in statements)
        out.write(f"  {sql_total:7.3f} s  in SQL; {total - sql_total:.3f} s elsewhere\n")
    finally:
        conn.close()
    out.write("\nTop functions by own time (main thread):\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(18)
    out.write("Top functions by cumulative time (main thread):\n")
    stats.sort_stats("cumulative").print_stats(25)
    return out.getvalue()


# --------------------------------------------------------------------------- benchmark


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

    jobs = load_jobs(deps.settings)
    data_time, data = await timed(runs, lambda: home_data(deps, jobs))

    async def view_dict() -> dict[str, Any]:
        built: dict[str, Any] = home_view(data, VIEWER, []).to_dict()
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


def build_result(
    args: argparse.Namespace, migrated: float, loaded: Loaded, found: dict[str, Any]
) -> dict[str, Any]:
    portfolio_time: Timing = found["portfolio"]
    floor_time: Timing = found["floor"]
    ratio = portfolio_time.best / floor_time.best
    return {
        "benchmark": "health",
        "accounts": args.accounts,
        "days": args.days,
        "snapshots": loaded.snapshots,
        "runs": args.runs,
        "as_of": AS_OF.isoformat(),
        "migrate_s": round(migrated, 2),
        "load_s": round(loaded.seconds, 2),
        "analyze_s": round(loaded.analyze_seconds, 2),
        "db_mib": round(loaded.db_mib, 1),
        "history_rows": found["history_rows"],
        "portfolio_s": portfolio_time.as_dict(),
        "accounts_s": found["accounts"].as_dict(),
        "figures_as_of_s": found["figures"].as_dict(),
        "statuses_on_s": found["recorded"].as_dict(),
        "judging_s": found["judging"].as_dict(),
        "portfolio_cold_s": found["portfolio_cold"].as_dict(),
        "floor_s": floor_time.as_dict(),
        "ratio_to_floor": round(ratio, 2),
        "cold_ratio_to_floor": round(found["portfolio_cold"].best / floor_time.best, 2),
        "sql_pass_to_floor": round(found["figures"].best / floor_time.best, 2),
        "goal_portfolio_s": PORTFOLIO_GOAL_S,
        "goal_ratio": FLOOR_RATIO_GOAL,
        "portfolio_goal_met": portfolio_time.best <= PORTFOLIO_GOAL_S,
        "ratio_goal_met": ratio <= FLOOR_RATIO_GOAL,
        "home_data_s": found["home_data"].as_dict(),
        "home_view_s": found["home_view"].as_dict(),
        "home_total_best_s": round(found["home_data"].best + found["home_view"].best, 4),
        "view_blocks": found["view_blocks"],
        "view_block_limit": MAX_VIEW_BLOCKS,
        "view_problems": found["view_problems"],
        "items": found["items"],
        "statuses": found["statuses"],
        "trends": found["trends"],
        "stale": found["stale"],
        "renewals": found["renewals"],
        "red_without_plan": found["red_without_plan"],
        "floor_mismatches": found["floor_mismatches"],
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "profile": found["profile"],
    }


def report(result: dict[str, Any]) -> bool:
    """Print the table and the JSON line; True when the Home view is within Slack's limits."""

    def row(label: str, timing: dict[str, Any], note: str = "") -> None:
        print(f"  {label:<36} {timing['best']:>8.3f} {timing['median']:>8.3f}  {note}")

    def verdict(met: bool) -> str:
        return "met" if met else "MISSED"

    print(
        f"\nHealth of {result['accounts']:,} accounts x {result['days']} days = "
        f"{result['snapshots']:,} snapshots (SQLite {result['sqlite']}, {result['db_mib']} MiB), "
        f"as of {result['as_of']}"
    )
    print(
        f"setup: migrate {result['migrate_s']} s, load {result['load_s']} s, "
        f"ANALYZE {result['analyze_s']} s; {result['history_rows']:,} rows of daily health "
        f"history; best and median of {result['runs']} after a warm-up\n"
    )
    print(f"  {'':<36} {'best s':>8} {'median s':>8}")
    row("portfolio(deps, day)", result["portfolio_s"], f"goal ≤ {result['goal_portfolio_s']} s")
    row("  list_accounts", result["accounts_s"], "these three run at once")
    row("  figures_as_of(day)", result["figures_as_of_s"])
    row("  statuses_on(day - 7)", result["statuses_on_s"])
    row("  judging (assess, trend, sort)", result["judging_s"])
    row(
        "portfolio, cold: no history yet",
        result["portfolio_cold_s"],
        f"{result['cold_ratio_to_floor']}x the floor",
    )
    row(
        "floor: one raw sqlite3 pass",
        result["floor_s"],
        f"one figures_as_of pass is {result['sql_pass_to_floor']}x it",
    )
    row("home_data(deps, jobs)", result["home_data_s"])
    row("home_view(...).to_dict()", result["home_view_s"])
    print()
    print(
        f"portfolio {result['portfolio_s']['best']:.3f} s: ≤ {result['goal_portfolio_s']} s "
        f"{verdict(result['portfolio_goal_met'])}; {result['ratio_to_floor']}x the floor "
        f"({result['floor_s']['best']:.3f} s): ≤ {result['goal_ratio']}x "
        f"{verdict(result['ratio_goal_met'])}"
    )
    print(
        f"statuses {result['statuses']}, trends {result['trends']}, stale {result['stale']}, "
        f"renewals {result['renewals']}, red without plan {result['red_without_plan']}"
    )
    print(
        f"Home view: {result['view_blocks']} blocks (max {result['view_block_limit']}), "
        f"{len(result['view_problems'])} problem(s)"
    )
    for problem in result["view_problems"][:10]:
        print(f"  {problem}")
    for mismatch in result["floor_mismatches"]:
        print(f"app and floor disagree: {mismatch}")
    print(json.dumps(result, separators=(",", ":"), ensure_ascii=False))
    return not result["view_problems"] and result["view_blocks"] <= result["view_block_limit"]


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
    # The benchmark configures the app itself; a developer's shell must not leak into it.
    for variable in list(os.environ):
        if variable.startswith(CLEARED_VARIABLES):
            os.environ.pop(variable)
    try:
        result = asyncio.run(benchmark(args))
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 2
    profile = result.pop("profile", None)
    if profile:
        print(profile)
    ok = report(result)
    if result["floor_mismatches"]:
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
