"""The ack benchmark's load: signed `/strategic` commands, sent in rounds, and what came back.

Each case (a server and a command text) is warmed up, then run in interleaved rounds of at
most C requests in flight; its latencies are pooled over the rounds. Every acked `account
show` is matched to its own card, in the ack or through its own response_url, so a late
card of another command cannot stand in for a missing one.
"""

from __future__ import annotations

import asyncio
import json
import math
import statistics
import time
import urllib.parse
from dataclasses import dataclass, field

import aiohttp

from benchmarks.harness import ROOT, BenchError, SlackApi, percentile
from benchmarks.servers import EVENTS_PATH
from tests.block_limits import check_message
from tests.signing import signed_headers

SECRET = "bench-signing-secret"
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
WARMUP = 50
SETTLE = 0.2  # seconds of quiet before every round, the same for every case
FORM = "application/x-www-form-urlencoded"

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
    await api.reset(http)  # a measure run before this one must not count as its warm-up
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
