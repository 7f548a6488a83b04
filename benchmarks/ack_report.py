"""The ack benchmark's report: the table, whether each goal is met, and one JSON line.

The goals are ratios to the bare Bolt app measured in the same run, since absolute numbers
depend on the machine.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
from dataclasses import dataclass
from typing import Any

from benchmarks.ack_load import Result
from benchmarks.harness import percentile

HELP_GOAL = 1.5
SHOW_GOALS = {"rounds": 1.5, "burst": 2.0}
"""p99(account show) against bare Bolt's: in rounds that let the cards drain between
them, and in one continuous burst, where the cards' work competes with the acks."""


@dataclass(frozen=True)
class Variant:
    """One way of sending the load, and what came of it."""

    name: str
    rounds: int
    results: list[Result]
    answers: int
    violations: int


def ratio(ours: float, bare: float) -> float:
    return ours / bare if bare > 0 else math.nan


def report(variants: list[Variant], settings: dict[str, int], seconds: float) -> bool:
    """Print each variant's table and goals, then one JSON line; True when all are clean."""
    clean, summary = True, {}
    for variant in variants:
        ok, summary[variant.name] = _variant(variant, settings)
        clean = clean and ok
    print(f"run took {seconds:.1f} s")
    out: dict[str, Any] = {
        "benchmark": "ack",
        "requests": settings["requests"],
        "concurrency": settings["concurrency"],
        "variants": summary,
        "seconds": round(seconds, 1),
        "python": sys.version.split()[0],
    }
    print(json.dumps(out, separators=(",", ":")))
    return clean


def _variant(variant: Variant, settings: dict[str, int]) -> tuple[bool, dict[str, Any]]:
    requests, concurrency = settings["requests"], settings["concurrency"]
    results, answers, violations = variant.results, variant.answers, variant.violations
    bare = results[0]
    shape = (
        "one continuous burst"
        if variant.rounds == 1
        else f"{variant.rounds} interleaved rounds, the cards drained between them"
    )
    print(
        f"\n/strategic ack latency, {variant.name}: {requests} requests per case in {shape}, "
        f"{concurrency} in flight\n"
    )
    header = f"{'case':<28}{'req/s':>9}{'median ms':>11}{'p99 ms':>9}{'median x':>9}{'p99 x':>7}"
    print(header)
    print("-" * len(header))
    for r in results:
        median_x = ratio(r.median_ms, bare.median_ms)
        p99_x = ratio(r.p99_ms, bare.p99_ms)
        print(
            f"{r.case.label:<28}{r.rps:>9.0f}{r.median_ms:>11.2f}{r.p99_ms:>9.2f}"
            f"{median_x:>9.2f}{p99_x:>7.2f}"
        )
        if r.failures:
            print(f"  failures: {r.failures}")

    by_key = {r.case.key: r for r in results}
    goals = {
        "help_p99": (ratio(by_key["help"].p99_ms, bare.p99_ms), HELP_GOAL),
        "show_p99": (ratio(by_key["show"].p99_ms, bare.p99_ms), SHOW_GOALS[variant.name]),
    }
    print()
    print(_goal_line("p99(help)", *goals["help_p99"]))
    print(_goal_line("p99(account show)", *goals["show_p99"]))
    print(f"account show answered with the card (in the ack or after it): {answers}/{requests}")
    cards = by_key["show"].cards
    card_ms = [c * 1000 for c in cards]
    if card_ms:
        print(
            f"account show, command to card: median {statistics.median(card_ms):.1f} ms, "
            f"p99 {percentile(card_ms, 99):.1f} ms, max {max(card_ms):.1f} ms"
        )
    if violations:
        print(f"payloads Slack would reject: {violations}")
    print(
        "p99 ms per round: "
        + "; ".join(
            f"{r.case.key} " + " ".join(f"{p:.1f}" for p in r.round_p99_ms) for r in results
        )
    )
    failed = sum(r.failed for r in results)
    print(f"failed requests: {failed}")

    summary: dict[str, Any] = {
        "rounds": variant.rounds,
        "cases": {
            r.case.key: {
                "rps": round(r.rps, 1),
                "median_ms": round(r.median_ms, 3),
                "p99_ms": round(r.p99_ms, 3),
                "median_ratio": round(ratio(r.median_ms, bare.median_ms), 3),
                "p99_ratio": round(ratio(r.p99_ms, bare.p99_ms), 3),
                "round_p99_ms": [round(p, 3) for p in r.round_p99_ms],
                "failures": r.failed,
            }
            for r in results
        },
        "goals": {
            name: {"ratio": round(value, 3), "limit": limit, "met": value <= limit}
            for name, (value, limit) in goals.items()
        },
        "show_answered": answers,
        "show_card_ms": {
            "median": round(statistics.median(card_ms), 3) if card_ms else None,
            "p99": round(percentile(card_ms, 99), 3) if card_ms else None,
            "max": round(max(card_ms), 3) if card_ms else None,
        },
        "block_violations": violations,
        "failures": failed,
    }
    return failed == 0 and answers >= by_key["show"].requests and violations == 0, summary


def _goal_line(name: str, value: float, limit: float) -> str:
    verdict = "met" if value <= limit else "NOT met"
    return f"goal {name} <= {limit}x bare: {value:.2f}x: {verdict}"
