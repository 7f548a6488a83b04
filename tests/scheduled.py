"""Running a built-in job's occurrence as the scheduler would, and delivering what it queued."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.deps import Deps
from jobs.catalog import load_jobs
from jobs.delivery import Delivery, delivery_client
from jobs.runner import run_occurrence
from tests.conftest import Clock


async def run_and_deliver(deps: Deps, clock: Clock, job_name: str, at: datetime) -> int:
    """Move the clock to `at`, run the job's occurrence as of then, deliver every message
    it queued; how many it queued (0 when it posted nothing or had run already)."""
    clock.now = at
    job = load_jobs(deps.settings)[job_name]
    result = await run_occurrence(deps, job, job.schedule.latest(at))
    delivery = Delivery(replace(deps, clock=clock), delivery_client(deps))
    while await delivery.pass_once():
        pass
    return result.queued
