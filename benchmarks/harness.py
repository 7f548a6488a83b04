"""What the benchmarks share: their child processes, argument checks and measuring helpers.

The servers the benchmarks start run in processes of their own (``benchmarks/servers.py``
holds what runs there); this module is the benchmark's side: starting them with a cleaned
environment, finding their ports, waiting for them to listen and to be healthy, asking the
fake Slack API what it received, and stopping them, killing a stuck one and saying which
died. It also holds the checks of the scripts' options, the timing helpers, and how a run
ends: exit 2, with the reason on stderr, when the benchmark cannot run or cannot trust
what it measured.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import os
import socket
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

import aiohttp

from benchmarks.servers import COUNT_PATH, HEALTH_PATH, RESET_PATH

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "xoxb-bench"  # the fake Slack API takes any bot token
CLEARED_VARIABLES = (
    "SLACK_", "DATABASE_URL", "TEAM__", "SCHEDULER__", "HEALTH__", "STRATEGIC_BOT",
)  # fmt: skip
"""The app's settings in the environment: a developer's shell must not leak into a run."""
STARTUP_TIMEOUT = 60.0  # seconds for a server to answer its health check
STOP_TIMEOUT = 15.0
POLL_INTERVAL = 0.05
ANSWER_TIMEOUT = 30.0  # seconds to wait for the cards that follow by response_url
LOG_TAIL = 40  # lines of a dead server's log to print

T = TypeVar("T")


class BenchError(Exception):
    """The benchmark cannot run or cannot trust what it measured; the message says why."""


# ------------------------------------------------------------------ server processes


@dataclass
class Child:
    """A server process and the file its stdout and stderr go to."""

    name: str
    process: asyncio.subprocess.Process
    log_path: Path
    log: IO[bytes]
    reported: bool = False  # its death is already in an error message

    def tail(self) -> str:
        self.log.flush()
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-LOG_TAIL:])

    def check_alive(self) -> None:
        if self.process.returncode is not None:
            self.reported = True
            raise BenchError(
                f"{self.name} exited with {self.process.returncode}; its log ends:\n{self.tail()}"
            )


def free_port() -> int:
    """A loopback port the OS just handed out (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clear_app_environment() -> None:
    """For a benchmark that configures the app in its own process."""
    for variable in list(os.environ):
        if variable.startswith(CLEARED_VARIABLES):
            os.environ.pop(variable)


def child_environment(extra: dict[str, str]) -> dict[str, str]:
    """This environment without the app's settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED_VARIABLES)}
    return env | {"PYTHONPATH": str(ROOT)} | extra


async def spawn(name: str, args: list[str], env: dict[str, str], workdir: Path) -> Child:
    log_path = workdir / f"{name.replace(' ', '-')}.log"
    log = log_path.open("wb")
    # Output goes to a file, never a pipe nobody reads: a full pipe would stall the server.
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        env=env,
        cwd=workdir,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=log,
        stderr=asyncio.subprocess.STDOUT,
    )
    return Child(name, process, log_path, log)


async def stop(children: list[Child]) -> None:
    """Terminate every child still running (killing a stuck one); say which died early."""
    for child in children:
        if child.process.returncode is not None:
            if child.reported:
                continue
            print(
                f"{child.name} had exited with {child.process.returncode}; its log ends:\n"
                f"{child.tail()}",
                file=sys.stderr,
            )
        else:
            with contextlib.suppress(ProcessLookupError):
                child.process.terminate()
    for child in children:
        try:
            await asyncio.wait_for(child.process.wait(), STOP_TIMEOUT)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                child.process.kill()
            await child.process.wait()
        child.log.close()


def _urls_written(path: Path) -> dict[str, str] | None:
    """The URLs a child wrote, or None while the file is not there yet."""
    if not path.exists():
        return None
    urls: dict[str, str] = json.loads(path.read_text())
    return urls


async def read_port_file(child: Child, path: Path) -> dict[str, str]:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while (urls := _urls_written(path)) is None:  # the child renames a complete file in
        child.check_alive()
        if time.monotonic() >= deadline:
            raise BenchError(f"{child.name} wrote no {path.name} in {STARTUP_TIMEOUT:.0f} s")
        await asyncio.sleep(POLL_INTERVAL)
    return urls


async def wait_healthy(http: aiohttp.ClientSession, child: Child, url: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        child.check_alive()
        with contextlib.suppress(aiohttp.ClientError, TimeoutError):
            async with http.get(url + HEALTH_PATH) as response:
                if response.status == 200:
                    return
        if time.monotonic() >= deadline:
            raise BenchError(f"{child.name} was not healthy within {STARTUP_TIMEOUT:.0f} s")
        await asyncio.sleep(0.1)


class SlackApi:
    """The fake Slack API child seen from here: its URLs and its call counter."""

    def __init__(self, urls: dict[str, str]) -> None:
        self.url = urls["api"]
        self.control = urls["control"]
        self._response_ids = itertools.count(1)

    def response_url(self) -> str:
        return f"{self.url}/response/{next(self._response_ids)}"

    async def count(
        self, http: aiohttp.ClientSession, method: str = "response_url"
    ) -> dict[str, Any]:
        """Calls of `method` since the last reset, and payloads Slack would have rejected."""
        async with http.get(f"{self.control}{COUNT_PATH}?method={method}") as response:
            response.raise_for_status()
            body: dict[str, Any] = await response.json()
            return body

    async def reset(self, http: aiohttp.ClientSession) -> None:
        async with http.post(self.control + RESET_PATH) as response:
            response.raise_for_status()

    async def arrivals(self, http: aiohttp.ClientSession) -> dict[str, float]:
        """When each response_url since the last reset was called, by path (monotonic)."""
        query = "?method=response_url&arrivals=1"
        async with http.get(self.control + COUNT_PATH + query) as response:
            response.raise_for_status()
            body: dict[str, Any] = await response.json()
            return {path: float(at) for path, at in body["arrivals"].items()}

    async def answered(self, http: aiohttp.ClientSession, expected: int) -> int:
        """response_url calls since the last reset, waiting (bounded) until `expected`."""
        deadline = time.monotonic() + ANSWER_TIMEOUT
        while True:
            count = int((await self.count(http))["count"])
            if count >= expected or time.monotonic() >= deadline:
                return count
            await asyncio.sleep(POLL_INTERVAL)


async def start_slack_api(workdir: Path, children: list[Child]) -> SlackApi:
    """The fake Slack API in a child process of its own, once it listens."""
    port_file = workdir / "slack-api.json"
    slack = await spawn(
        "fake Slack API",
        ["-m", "benchmarks.servers", "slack-api", "--port-file", str(port_file)],
        child_environment({}),
        workdir,
    )
    children.append(slack)
    return SlackApi(await read_port_file(slack, port_file))


# ------------------------------------------------------------------ options and runs


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def seconds(value: str) -> float:
    number = float(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return number


def run(benchmark: Coroutine[Any, Any, T], finish: Callable[[T], int]) -> int:
    """The exit code: `finish`'s verdict on the result, or 2 when the benchmark failed."""
    try:
        result = asyncio.run(benchmark)
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 2
    return finish(result)


# ------------------------------------------------------------------------- measuring


def percentile(values: list[float], pct: int) -> float:
    """Nearest-rank percentile: the smallest value with pct% of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Timing:
    """Seconds of each timed run of one figure."""

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
