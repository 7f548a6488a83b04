"""The health benchmark's floor: the same figures in one grouped raw ``sqlite3`` pass.

The portfolio's goal is a ratio to this floor, and the floor's figures are compared with
the app's, so a benchmark that measures the wrong thing fails loudly.
"""

from __future__ import annotations

import math
import sqlite3
from datetime import date, timedelta
from typing import Any

from benchmarks.health_data import text_date
from bot.domain.health import UsageFigures
from storage.metrics import WINDOW_DAYS

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
