"""The health benchmark's report: its figures as one result, a table, and one JSON line.

Missed time goals are reported, not failed: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from typing import Any

from benchmarks.harness import Timing
from benchmarks.health_data import AS_OF, Loaded
from tests.block_limits import MAX_VIEW_BLOCKS

PORTFOLIO_GOAL_S = 1.0
FLOOR_RATIO_GOAL = 4.0


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
    row("home_data(deps, timetables, viewer)", result["home_data_s"])
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
