"""``--profile`` of the health benchmark: where one portfolio run spends its time.

cProfile sees the main thread only: the SQL runs in aiosqlite's worker threads and shows
there as waiting, so each statement is also timed at the driver, by its cursor (the
portfolio's reads run at once), and SQLite's query plan is given for the snapshot reads.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from benchmarks.health_data import AS_OF
from bot.deps import Deps
from bot.services.health import portfolio


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
