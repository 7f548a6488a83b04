"""Running one occurrence of a job: plan it, then claim it and queue its messages at once."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.deps import Deps
from bot.domain.outbox import FILE, POST, REPLY, post_key
from bot.domain.schedule import plan_catch_up
from jobs.catalog import ScheduledJob
from jobs.job import Outbound, Plan
from storage import job_runs, outbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunResult:
    occurrence: datetime
    ran: bool
    """False when another replica (or an earlier run) had the occurrence already."""
    queued: int


def message_keys(job: str, occurrence: datetime, messages: list[Outbound]) -> list[str]:
    """Idempotency keys: the same job, occurrence and target always give the same key.

    A named post (or named reply) is keyed by its ref instead: that is how edits find it,
    and a ref names one message whichever occurrence queued it. A file is keyed by its
    thread and filename: uploaded once.
    """
    seen: Counter[str] = Counter()
    keys = []
    for item in messages:
        seen[item.channel] += 1
        if item.file is not None:
            keys.append(f"{FILE}:{item.thread_of}:{item.file.filename}")
        elif item.ref is not None:
            keys.append(post_key(item.ref))
        else:
            keys.append(
                f"{job}:{occurrence:%Y-%m-%dT%H:%M:%SZ}:{item.channel}:{seen[item.channel]}"
            )
    return keys


def _queued(key: str, job: str, occurrence: datetime, item: Outbound) -> outbox.NewMessage:
    """The outbox row of one planned message: a post, a reply in a thread of the plan,
    or a file."""
    text, blocks = item.message.text, item.message.blocks
    kind = POST
    if item.file is not None:
        kind, text, blocks = FILE, item.file.title, item.file.stored()
    elif item.thread_of is not None:
        kind = REPLY
    ref = item.thread_of if kind != POST else item.ref
    return outbox.NewMessage(
        key=key,
        job=job,
        occurrence=occurrence,
        channel=item.channel,
        text=text,
        blocks=blocks,
        kind=kind,
        ref=ref,
    )


async def run_occurrence(deps: Deps, scheduled: ScheduledJob, occurrence: datetime) -> RunResult:
    """Plan, then in one transaction claim the occurrence, write its state, queue its posts.

    Planning happens outside the claim so a slow job holds no lock; a replica that loses
    the claim throws its plan away. A crash before the commit leaves nothing behind, so
    the occurrence is still free for a restart or the other replica.
    """
    job = scheduled.job
    async with deps.db.session() as session:
        if await job_runs.is_claimed(session, job.name, occurrence):
            return RunResult(occurrence, ran=False, queued=0)
    plan = await job.plan(deps, occurrence)
    now = deps.clock()
    async with deps.db.session() as session:
        won = await job_runs.claim(
            session,
            job.name,
            occurrence,
            replica=deps.replica,
            at=now,
            messages=len(plan.messages),
        )
        if not won:
            return RunResult(occurrence, ran=False, queued=0)
        if plan.apply is not None:
            await plan.apply(session)
        keys = message_keys(job.name, occurrence, plan.messages)
        queued = [
            _queued(key, job.name, occurrence, item)
            for key, item in zip(keys, plan.messages, strict=True)
        ]
        await outbox.enqueue_all(session, queued, at=now)
    log.info("job %s ran for %s: %d message(s) queued", job.name, occurrence, len(plan.messages))
    return RunResult(occurrence, ran=True, queued=len(plan.messages))


async def plan_only(deps: Deps, scheduled: ScheduledJob, occurrence: datetime) -> Plan:
    """What the occurrence would post, for a dry run: nothing is claimed or written."""
    return await scheduled.job.plan(deps, occurrence)


async def catch_up(deps: Deps, scheduled: ScheduledJob, now: datetime) -> RunResult | None:
    """After downtime: run the latest missed occurrence within the grace window, once.

    Older misses inside the window are folded into it; those past the window are recorded
    (one row for the newest, so the next start does not count them again) and logged, so
    nobody wonders where Monday's reminder went.
    """
    job = scheduled.job
    grace_minutes = deps.settings.scheduler.grace_minutes
    async with deps.db.session() as session:
        last = await job_runs.last_recorded(session, job.name)
    plan = plan_catch_up(scheduled.schedule, last, now, timedelta(minutes=grace_minutes))
    if plan.skipped_until is not None:
        assert plan.skipped_from is not None
        note = f"missed from {plan.skipped_from.isoformat()} while down"
        async with deps.db.session() as session:
            await job_runs.claim(
                session,
                job.name,
                plan.skipped_until,
                replica=deps.replica,
                at=now,
                status=job_runs.SKIPPED,
                note=note,
            )
        log.warning(
            "job %s: occurrences from %s to %s were missed while down and are older than "
            "the %d-minute grace window: skipped",
            job.name,
            plan.skipped_from.isoformat(),
            plan.skipped_until.isoformat(),
            grace_minutes,
        )
    if plan.run is None:
        return None
    log.info("job %s: catching up on %s", job.name, plan.run.isoformat())
    return await run_occurrence(deps, scheduled, plan.run)
