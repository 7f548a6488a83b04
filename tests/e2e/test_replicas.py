"""Two `serve` replicas on one database: every occurrence runs once and is posted once.

Each replica keeps its own timer, so both fire every occurrence; the claim in job_runs and
the leases on the outbox are all that stand between them and a doubled post.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time
from collections import Counter
from pathlib import Path

from storage import job_runs, outbox
from storage.db import Database
from tests.processes import AppProcess, app_env, start_serve, stop
from tests.slack_api import FakeSlackApi

CHANNEL = "C0SAMPLE"
EVERY_SECONDS = 2
RUN_FOR_SECONDS = 7.0
RAN = re.compile(r"job hello ran for (\S+ \S+): 1 message\(s\) queued")
FIRED = 'Running job "Scheduler._fire'


async def test_two_replicas_post_every_occurrence_exactly_once(
    tmp_path: Path, db: Database, slack_api: FakeSlackApi
) -> None:
    env = app_env(
        f"{slack_api.url}/api",
        db.url,
        SCHEDULER__EXTRA_JOB_MODULES=json.dumps(["tests.sample_jobs"]),
        SCHEDULER__JOBS=json.dumps({"hello": {"cron": f"*/{EVERY_SECONDS} * * * * *"}}),
        SCHEDULER__CHANNEL_PACE_SECONDS="0",
        # APScheduler says each timer it fires ("Running job …", FIRED) under DEBUG only:
        # at INFO it is start-up and per-run noise (bot/startup/logs.py).
        LOG_LEVEL="DEBUG",
    )
    started = await asyncio.gather(
        start_serve(env, tmp_path, "replica-a"),
        start_serve(env, tmp_path, "replica-b"),
        return_exceptions=True,
    )
    replicas = [s[0] for s in started if not isinstance(s, BaseException)]
    try:
        for outcome in started:
            if isinstance(outcome, BaseException):
                raise outcome
        await asyncio.sleep(RUN_FOR_SECONDS)
        await _between_occurrences(db)
    finally:
        codes = await asyncio.gather(*(stop(r) for r in replicas))
    logs = [r.output() for r in replicas]
    assert codes == [0, 0], _logs(replicas)

    texts = [m["text"] for m in slack_api.messages_in(CHANNEL)]
    assert len(set(texts)) >= 2, texts
    assert [t for t, n in Counter(texts).items() if n > 1] == [], "posted more than once"
    assert len(slack_api.calls_to("chat.postMessage")) == len(set(texts))

    async with db.session() as session:
        runs = await job_runs.runs(session, "hello")
        unsent = [r for r in await outbox.listing(session) if r.status != outbox.SENT]
    done = [r for r in runs if r.status == job_runs.DONE]
    assert unsent == [], [(r.key, r.status, r.last_error) for r in unsent]
    assert sorted(f"hello for {r.scheduled_for.isoformat()}" for r in done) == sorted(texts)

    # Both replicas were live: each one's timer fired every occurrence, each claim came
    # from one of them, and no occurrence was run by both (either may have won them all).
    assert all(log.count(FIRED) >= 2 for log in logs), _logs(replicas)
    names = {f"{socket.gethostname()}-{r.pid}-" for r in replicas}
    assert all(any(run.replica.startswith(n) for n in names) for run in runs), [
        run.replica for run in runs
    ]
    won = [set(RAN.findall(log)) for log in logs]
    assert won[0].isdisjoint(won[1]), won
    assert won[0] | won[1] == {str(r.scheduled_for) for r in done}
    assert Counter(_replica_pid(run.replica) for run in done) == Counter(
        {r.pid: len(w) for r, w in zip(replicas, won, strict=True) if w}
    )


def _replica_pid(replica: str) -> int:
    return int(replica.rsplit("-", 2)[-2])


async def _between_occurrences(db: Database) -> None:
    """Wait for a moment well clear of the next firing, with the outbox drained.

    A replica stopped between claiming an occurrence and sending its message leaves the
    message for the next start, by design; stopping right after a delivery keeps this
    test's one-to-one count of runs and posts exact.
    """
    deadline = time.monotonic() + 3 * EVERY_SECONDS
    while time.monotonic() < deadline:
        if 0.3 <= time.time() % EVERY_SECONDS <= 0.8:
            async with db.session() as session:
                rows = await outbox.listing(session)
            if all(r.status == outbox.SENT for r in rows):
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the outbox did not drain between two occurrences")


def _logs(replicas: list[AppProcess]) -> str:
    return "\n\n".join(r.output() for r in replicas)
