"""How fast `/strategic` is acknowledged, measured against a bare Bolt app in the same run.

Slack waits three seconds for a slash command's acknowledgement, and every millisecond
before the ack is time the user stares at a spinner, so the figure that matters is the
ack's latency, not how long the background work takes. Absolute numbers depend on the
machine, so the benchmark reports them *relative to a bare Bolt app* (a listener that
only acks) measured alongside, and the goals are ratios:

* p99(`/strategic help`) <= 1.5 x bare: help is answered in the ack itself;
* p99(`/strategic account show Acme Corp`) <= 2.5 x bare: the ack leaves at once and
  the card, one indexed read, follows through response_url (a card in the ack would
  count as answered too). The table also gives how long each card took from the command:
  under a closed-loop burst like this one the cards queue behind the store, which is the
  point of acking first.

Why it is shaped this way:

* **Separate processes, like production.** Our app runs as the real CLI,
  ``python -m bot serve``, against its own SQLite file seeded with one account through
  ``python -m bot import accounts``; the bare app runs in a process of its own
  (``python -m benchmarks.servers bare``). Each app's event loop holds only that app, so
  what differs between the rows is what the app does before it acks.
* **Slack is elsewhere.** The fake Slack Web API from ``tests/slack_api.py`` (which checks
  every block payload, CPU-heavy work real Slack does on its own machines) runs in a third
  process (``python -m benchmarks.servers slack-api``), and the load generator stays in
  this one, so neither app is charged for Slack's work or the client's. All of them share
  one machine, though: the two apps, the fake API and the load generator compete for the
  same cores, so the ratios, not the absolute numbers, are the result.
* **Interleaved rounds against noise.** The cases run in rounds (4 by default) in rotating
  order, and each case's latencies are pooled over its rounds, so a burst of background
  load on the machine lands on every row instead of skewing one. After each `account show`
  round the benchmark waits until every acked command has its card, in its ack or through
  response_url (checked against Slack's block limits there), and for every acked
  request, so that round's background work is not charged to the next case. The client
  keeps up to C connections alive to each server, so switching cases opens none.
* **Signed requests.** Every request carries a fresh Slack signature and both apps verify
  it, so the cost of verification is in both rows, as it is in production.
* **Loopback only.** Every server binds 127.0.0.1 on an OS-chosen port: no network, no real
  Slack, no fixed ports, and no `.env` (the children run with a cleaned environment in a
  temporary directory).

Run from the repository root::

    python -m benchmarks.ack [--requests N] [--concurrency C] [--rounds R]

It prints a table, whether each goal is met, and the same numbers as one JSON line. It
exits non-zero when any request fails, not every `account show` answered with a valid
card, or a server process dies.
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
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import aiohttp

from benchmarks.servers import COUNT_PATH, EVENTS_PATH, HEALTH_PATH, RESET_PATH
from tests.block_limits import check_message
from tests.signing import signed_headers

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
ACCOUNT = "Acme Corp"
# One account through the real import, owners as in tests/factories.py; the card shows the
# lead engineer and no error message does, so a reply mentioning CARD_MARKER is the card.
ACCOUNTS_CSV = (
    "name,tier,lead_engineer,ta_ce,ae,licensed_seats,contract_start,contract_end\n"
    f"{ACCOUNT},1,U0LEAD,U0TACE,U0AE,5000,2026-02-01,2027-01-31\n"
)
CARD_MARKER = "U0LEAD"
HELP_MARKER = "/strategic account show"
COMMAND_PAYLOAD = ROOT / "tests" / "payloads" / "slash_command.json"
CLEARED_VARIABLES = ("SLACK_", "DATABASE_URL", "STRATEGIC_BOT", "TEAM__")
WARMUP = 50
HELP_GOAL = 1.5
SHOW_GOAL = 2.5
STARTUP_TIMEOUT = 60.0  # seconds for a server to answer its health check
SEED_TIMEOUT = 120.0
STOP_TIMEOUT = 15.0
POLL_INTERVAL = 0.05
ANSWER_TIMEOUT = 30.0  # seconds to wait for the cards that follow by response_url
REQUEST_TIMEOUT = 30.0
KEEPALIVE = 60.0  # seconds an idle client connection stays open (servers keep them 75 s)
SETTLE = 0.2  # seconds of quiet before every round, the same for every case
LOG_TAIL = 40  # lines of a dead server's log to print
FORM = "application/x-www-form-urlencoded"


class BenchError(Exception):
    """The benchmark cannot run or cannot trust what it measured; the message says why."""


Outcome = tuple[float, str | None, bytes, str]
"""Seconds from send to body read, failure, body, and the path of its response_url."""


@dataclass
class Case:
    """One row of the table: a server and the command text sent to it."""

    key: str
    label: str
    url: str
    text: str


@dataclass
class Result:
    """Latencies (seconds) of the successful requests of one case, pooled over rounds."""

    case: Case
    requests: int = 0
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    round_p99_ms: list[float] = field(default_factory=list)
    cards: list[float] = field(default_factory=list)
    """`account show` only: seconds from each command to its card, in the ack or after."""

    def add(self, requests: int, elapsed: float, outcomes: list[Outcome]) -> int:
        """Pool one round; returns how many of its requests succeeded."""
        self.requests += requests
        self.elapsed += elapsed
        ok = [seconds for seconds, failure, _content, _path in outcomes if failure is None]
        self.latencies += ok
        for _seconds, failure, _content, _path in outcomes:
            if failure is not None:
                self.failures[failure] = self.failures.get(failure, 0) + 1
        self.round_p99_ms.append(percentile(ok, 99) * 1000 if ok else math.nan)
        return len(ok)

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else math.nan

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies, 99) * 1000 if self.latencies else math.nan


def percentile(values: list[float], pct: int) -> float:
    """Nearest-rank percentile: the smallest value with pct% of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


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


def child_environment(extra: dict[str, str]) -> dict[str, str]:
    """This environment without the app's settings (a developer's shell must not leak)."""
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


async def start_slack_api(workdir: Path, children: list[Child]) -> dict[str, str]:
    """The fake Slack API in a child process of its own; its URLs once it listens."""
    port_file = workdir / "slack-api.json"
    slack = await spawn(
        "fake Slack API",
        ["-m", "benchmarks.servers", "slack-api", "--port-file", str(port_file)],
        child_environment({}),
        workdir,
    )
    children.append(slack)
    return await read_port_file(slack, port_file)


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


async def seed(env: dict[str, str], workdir: Path) -> None:
    """The one account, through the real `import accounts` into the app's database."""
    csv = workdir / "accounts.csv"
    csv.write_text(ACCOUNTS_CSV)
    child = await spawn(
        "import accounts", ["-m", "bot", "import", "accounts", str(csv)], env, workdir
    )
    try:
        code = await asyncio.wait_for(child.process.wait(), SEED_TIMEOUT)
    except TimeoutError:
        await stop([child])
        raise BenchError(f"import accounts took over {SEED_TIMEOUT:.0f} s") from None
    child.log.close()
    if code != 0:
        raise BenchError(f"import accounts exited with {code}:\n{child.tail()}")


class SlackApi:
    """The fake Slack API child seen from here: its URLs and its call counter."""

    def __init__(self, urls: dict[str, str]) -> None:
        self.url = urls["api"]
        self.control = urls["control"]
        self._response_ids = itertools.count(1)

    def response_url(self) -> str:
        return f"{self.url}/response/{next(self._response_ids)}"

    async def count(self, http: aiohttp.ClientSession, *, last: bool = False) -> dict[str, Any]:
        query = "?method=response_url" + ("&last=1" if last else "")
        async with http.get(self.control + COUNT_PATH + query) as response:
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


# --------------------------------------------------------------------- load generator


class Load:
    """Signed `/strategic` commands, each with a fresh response_url on the fake API."""

    def __init__(self, http: aiohttp.ClientSession, api: SlackApi, concurrency: int) -> None:
        self.http = http
        self.api = api
        self.concurrency = concurrency
        self.form: dict[str, str] = json.loads(COMMAND_PAYLOAD.read_text())
        self.sent_at: dict[str, float] = {}
        """When each command was sent, by its response_url's path, on the clock the fake
        Slack API stamps arrivals with (time.monotonic, shared by all processes)."""

    async def send_one(self, case: Case) -> Outcome:
        response_url = self.api.response_url()
        path = urllib.parse.urlsplit(response_url).path
        form = self.form | {"text": case.text, "response_url": response_url}
        body = urllib.parse.urlencode(form)
        headers = {"Content-Type": FORM, **signed_headers(SECRET, body)}
        self.sent_at[path] = time.monotonic()
        started = time.perf_counter()
        try:
            async with self.http.post(case.url + EVENTS_PATH, data=body, headers=headers) as r:
                content = await r.read()
                status = r.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            return time.perf_counter() - started, type(exc).__name__, b"", path
        elapsed = time.perf_counter() - started
        return elapsed, None if status == 200 else f"HTTP {status}", content, path

    async def run(self, case: Case, requests: int) -> tuple[float, list[Outcome]]:
        """`requests` commands with at most `concurrency` in flight; (seconds, outcomes)."""
        gate = asyncio.Semaphore(self.concurrency)

        async def limited() -> Outcome:
            async with gate:
                return await self.send_one(case)

        started = time.perf_counter()
        outcomes = await asyncio.gather(*(limited() for _ in range(requests)))
        return time.perf_counter() - started, list(outcomes)


async def sanity_check(load: Load, cases: list[Case]) -> None:
    """Refuse to time the wrong thing: help must ack with help, show must post the card."""
    api, http = load.api, load.http
    await api.reset(http)
    for case in cases:
        _seconds, failure, content, _path = await load.send_one(case)
        if failure is not None:
            raise BenchError(f"{case.label}: the first request failed ({failure})")
        if case.key == "help" and HELP_MARKER not in content.decode():
            raise BenchError(f"{case.label}: the ack is not the help text: {content[:200]!r}")
        if case.key == "show" and CARD_MARKER in content.decode():
            problems = check_message(json.loads(content))
            if problems:
                raise BenchError(f"account show: Slack would reject the card: {problems}")
        elif case.key == "show" and await api.answered(http, 1) < 1:
            raise BenchError("account show: no card, neither in the ack nor by response_url")
    await api.reset(http)


def split(requests: int, rounds: int) -> list[int]:
    """`requests` spread over `rounds` as evenly as whole numbers allow."""
    share, extra = divmod(requests, rounds)
    return [share + (1 if r < extra else 0) for r in range(rounds)]


async def measure(
    load: Load, cases: list[Case], requests: int, rounds: int
) -> tuple[list[Result], int, int]:
    """Warm up, then interleaved rounds; (results, show requests answered with their own
    card, block violations)."""
    api, http = load.api, load.http
    for case in cases:
        await load.run(case, WARMUP)
    await api.answered(http, WARMUP)  # the warm-up's cards land before the count restarts
    await api.reset(http)

    results = {case.key: Result(case) for case in cases}
    deferred = 0
    shows: list[Outcome] = []
    for index, share in enumerate(split(requests, rounds)):
        if share == 0:
            continue
        shift = index % len(cases)
        for case in cases[shift:] + cases[:shift]:
            await asyncio.sleep(SETTLE)  # leftovers of the previous round finish first
            elapsed, outcomes = await load.run(case, share)
            results[case.key].add(share, elapsed, outcomes)
            if case.key == "show":  # every acked command has its card, one way or the other
                acked = [o for o in outcomes if o[1] is None]
                deferred += sum(1 for o in acked if CARD_MARKER not in o[2].decode())
                await api.answered(http, deferred)
                shows += acked
    violations = int((await api.count(http))["violations"])
    results["show"].cards = card_times(shows, load.sent_at, await api.arrivals(http))
    return [results[case.key] for case in cases], len(results["show"].cards), violations


def card_times(
    shows: list[Outcome], sent_at: dict[str, float], arrivals: dict[str, float]
) -> list[float]:
    """Seconds from each acked `account show` to its card: the ack's own latency when the
    card rode in it, else until its response_url was called."""
    times = []
    for seconds, _failure, content, path in shows:
        if CARD_MARKER in content.decode():
            times.append(seconds)
        elif path in arrivals:
            times.append(arrivals[path] - sent_at[path])
    return times


# ---------------------------------------------------------------------------- report


def ratio(ours: float, bare: float) -> float:
    return ours / bare if bare > 0 else math.nan


def report(
    results: list[Result],
    settings: dict[str, int],
    answers: int,
    violations: int,
    seconds: float,
) -> bool:
    """Print the table, the goals and the JSON line; True when the run is clean."""
    requests, concurrency, rounds = (
        settings["requests"],
        settings["concurrency"],
        settings["rounds"],
    )
    bare = results[0]
    print(
        f"\n/strategic ack latency, {requests} requests per case in {rounds} interleaved rounds, "
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
        "show_p99": (ratio(by_key["show"].p99_ms, bare.p99_ms), SHOW_GOAL),
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
    print(f"failed requests: {failed}; run took {seconds:.1f} s")

    summary: dict[str, Any] = {
        "benchmark": "ack",
        "requests": requests,
        "concurrency": concurrency,
        "rounds": rounds,
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
        "seconds": round(seconds, 1),
        "python": sys.version.split()[0],
    }
    print(json.dumps(summary, separators=(",", ":")))
    return failed == 0 and answers >= by_key["show"].requests and violations == 0


def _goal_line(name: str, value: float, limit: float) -> str:
    verdict = "met" if value <= limit else "NOT met"
    return f"goal {name} <= {limit}x bare: {value:.2f}x: {verdict}"


# ------------------------------------------------------------------------------ main


async def benchmark(requests: int, concurrency: int, rounds: int) -> bool:
    began = time.perf_counter()
    children: list[Child] = []
    with tempfile.TemporaryDirectory(prefix="strategic-bench-") as tmp:
        workdir = Path(tmp)
        # Up to `concurrency` kept-alive connections to each server, so switching cases
        # between rounds reuses connections instead of closing and opening fifty.
        connector = aiohttp.TCPConnector(
            limit=0, limit_per_host=concurrency, keepalive_timeout=KEEPALIVE
        )
        timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
            try:
                api = SlackApi(await start_slack_api(workdir, children))

                env = child_environment(
                    {
                        "SLACK_BOT_TOKEN": TOKEN,
                        "SLACK_SIGNING_SECRET": SECRET,
                        "SLACK_API_URL": f"{api.url}/api",
                        "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
                    }
                )
                await seed(env, workdir)
                ours_port, bare_port = free_port(), free_port()
                ours = await spawn(
                    "our app",
                    ["-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(ours_port)],
                    env,
                    workdir,
                )
                children.append(ours)
                bare = await spawn(
                    "bare Bolt app",
                    ["-m", "benchmarks.servers", "bare", "--port", str(bare_port)],
                    env,
                    workdir,
                )
                children.append(bare)
                ours_url, bare_url = (
                    f"http://127.0.0.1:{ours_port}",
                    f"http://127.0.0.1:{bare_port}",
                )
                await wait_healthy(http, ours, ours_url)
                await wait_healthy(http, bare, bare_url)

                show = f"account show {ACCOUNT}"
                cases = [
                    Case("bare", "bare Bolt (ack only)", bare_url, "help"),
                    Case("help", "ours: help", ours_url, "help"),
                    Case("show", f"ours: {show}", ours_url, show),
                ]
                load = Load(http, api, concurrency)
                await sanity_check(load, cases)
                results, answers, violations = await measure(load, cases, requests, rounds)
                for child in children:  # a server that died mid-run invalidates the run
                    child.check_alive()
            finally:
                await stop(children)
    settings = {"requests": requests, "concurrency": concurrency, "rounds": rounds}
    return report(results, settings, answers, violations, time.perf_counter() - began)


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--requests", type=positive, default=2000, help="per case (2000)")
    parser.add_argument("--concurrency", type=positive, default=50, help="in flight (50)")
    parser.add_argument("--rounds", type=positive, default=4, help="interleaved rounds (4)")
    args = parser.parse_args(argv)
    try:
        ok = asyncio.run(benchmark(args.requests, args.concurrency, args.rounds))
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
