"""How fast `/strategic` is acknowledged, measured against a bare Bolt app in the same run.

Slack waits three seconds for a slash command's acknowledgement, and every millisecond
before the ack is time the user stares at a spinner, so the figure that matters is the
ack's latency, not how long the background work takes. Absolute numbers depend on the
machine, so the benchmark reports them *relative to a bare Bolt app* (a listener that
only acks) measured alongside, and the goals are ratios:

* p99(`/strategic help`) <= 1.5 x bare: help is answered in the ack itself;
* p99(`/strategic account show Acme Corp`) <= 1.5 x bare in rounds, <= 2.0 x bare in one
  continuous burst: the ack leaves at once and the card, one indexed read, follows
  through response_url (a card in the ack would count as answered too). The table also
  gives how long each card took from the command: under a closed-loop burst like this
  one the cards queue behind the store, which is the point of acking first.

It runs the load twice: in **rounds** (the cards of each round drain before the next), and
as **one continuous burst** of the same requests per case, where thousands of cards wait
behind the store while acks keep coming: the case that showed full garbage collections
stalling the loop mid-burst (bot/startup/collector.py).

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
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from benchmarks.ack_load import ACCOUNT, ACCOUNTS_CSV, SECRET, Case, Load, measure, sanity_check
from benchmarks.ack_report import Variant, report
from benchmarks.harness import (
    TOKEN,
    BenchError,
    Child,
    child_environment,
    free_port,
    positive,
    run,
    spawn,
    start_slack_api,
    stop,
    wait_healthy,
)

SEED_TIMEOUT = 120.0
REQUEST_TIMEOUT = 30.0
KEEPALIVE = 60.0  # seconds an idle client connection stays open (servers keep them 75 s)


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
                api = await start_slack_api(workdir, children)

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
                variants = [
                    Variant(name, count, *await measure(load, cases, requests, count))
                    for name, count in (("rounds", rounds), ("burst", 1))
                ]
                for child in children:  # a server that died mid-run invalidates the run
                    child.check_alive()
            finally:
                await stop(children)
    settings = {"requests": requests, "concurrency": concurrency}
    return report(variants, settings, time.perf_counter() - began)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--requests", type=positive, default=2000, help="per case (2000)")
    parser.add_argument("--concurrency", type=positive, default=50, help="in flight (50)")
    parser.add_argument("--rounds", type=positive, default=4, help="interleaved rounds (4)")
    args = parser.parse_args(argv)
    return run(benchmark(args.requests, args.concurrency, args.rounds), lambda ok: 0 if ok else 1)


if __name__ == "__main__":
    sys.exit(main())
