"""How long `strategic-bot` takes to start: `--help`, and `jobs list` (settings, the job
catalog, the schedules), beside `python -c "import typer"` measured in the same run.

Every command pays its imports before it does anything, and an operator types `--help`
and `jobs list` to find their way: they took 1.2-2.0 s when the command line imported
Bolt, SQLAlchemy, APScheduler and matplotlib up front (goal: at most 0.5 s each). The
typer line is the floor on this machine: a command line in typer cannot start faster.

Each is a fresh `python` process (`-m bot`, as the console script runs it), started
`--runs` times in turn (so a busy moment of the machine hits all three alike) after one
warm-up each (which writes the bytecode caches), in a temporary directory with its own
DATABASE_URL, timed from start to exit. Run from the repository root::

    python -m benchmarks.cli_start [--runs N]

It prints the medians and one JSON line, and exits non-zero past the goal.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parent.parent
GOAL_SECONDS = 0.5
COMMANDS = {
    "import typer": ["-c", "import typer"],
    "strategic-bot --help": ["-m", "bot", "--help"],
    "strategic-bot jobs list": ["-m", "bot", "jobs", "list"],
}
"""What is timed, by name; the first is the floor, the others have the goal."""


def _started(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - began


def measure(runs: int) -> dict[str, float]:
    """The median seconds from start to exit of each command, over `runs` starts."""
    with tempfile.TemporaryDirectory() as scratch:
        cwd = Path(scratch)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "DATABASE_URL", "STRATEGIC_BOT", "TEAM__", "LOG_"))
        }
        env |= {"PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite:///{cwd / 'bench.db'}"}
        times: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for args in COMMANDS.values():
            _started(args, cwd, env)  # warm-up: bytecode caches written, files in the page cache
        for _ in range(runs):
            for name, args in COMMANDS.items():
                times[name].append(_started(args, cwd, env))
    return {name: statistics.median(taken) for name, taken in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="starts of each command")
    runs = parser.parse_args().runs
    medians = measure(runs)
    floor = medians["import typer"]
    print(f"median of {runs} starts each (python {sys.version.split()[0]}):")
    for name, seconds in medians.items():
        over = "" if name == "import typer" else f"  ({seconds - floor:+.2f} s over typer)"
        print(f"  {name:26} {seconds:5.2f} s{over}")
    slow = [n for n, s in medians.items() if n != "import typer" and s > GOAL_SECONDS]
    print(
        json.dumps(
            {
                "benchmark": "cli_start",
                "runs": runs,
                "median_seconds": {n: round(s, 3) for n, s in medians.items()},
                "goal_seconds": GOAL_SECONDS,
                "within_goal": not slow,
            }
        )
    )
    if slow:
        sys.exit(f"over the {GOAL_SECONDS} s goal: {', '.join(slow)}")


if __name__ == "__main__":
    main()
