"""The health benchmark's data: accounts, their daily snapshots, plans, iARR and outbox rows.

Drawn from a seeded random generator (the same seed gives the same portfolio) and written
with raw ``sqlite3`` into the migrated database, in the text forms SQLAlchemy writes;
``benchmarks/health.py`` says why it is loaded this way and which figures it draws.
"""

from __future__ import annotations

import math
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.domain.accounts import PartnerStatus, name_key
from bot.domain.health import HealthPolicy, Threshold
from storage.outbox import SENT

AS_OF = date(2026, 11, 23)
"""The day the portfolio is judged; the clock stands at noon UTC on it."""
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

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
