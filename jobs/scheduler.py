"""When jobs run: APScheduler's timer in each replica, our tables deciding whether.

Each replica keeps its own in-memory APScheduler (a shared job store double-fires, see
TECH-NOTES) and arms one DateTrigger per job for its next occurrence, computed by
`bot.domain.schedule` so daylight-saving nights neither skip nor double a run. The
occurrence claim in the database makes a second replica's identical timer a no-op.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.deps import Deps
from jobs.catalog import ScheduledJob
from jobs.delivery import Delivery
from jobs.runner import catch_up, run_occurrence

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(self, deps: Deps, jobs: dict[str, ScheduledJob], delivery: Delivery) -> None:
        self.deps = deps
        self.jobs = jobs
        self.delivery = delivery
        self._timer = AsyncIOScheduler(timezone=UTC)

    async def start(self) -> None:
        """Catch up on what was missed while down, then arm every job's next occurrence."""
        now = self.deps.clock()
        for scheduled in self.jobs.values():
            try:
                await catch_up(self.deps, scheduled, now)
            except Exception:
                log.exception("catch-up of job %s failed", scheduled.job.name)
        self.delivery.wake()
        self._timer.start()
        for scheduled in self.jobs.values():
            self._arm(scheduled, after=now)

    async def stop(self) -> None:
        self._timer.shutdown(wait=False)
        await asyncio.sleep(0)

    def _arm(self, scheduled: ScheduledJob, after: datetime) -> None:
        occurrence = scheduled.schedule.next_after(after)
        if occurrence is None:
            return
        self._timer.add_job(
            self._fire,
            DateTrigger(run_date=occurrence),
            args=[scheduled, occurrence],
            id=scheduled.job.name,
            replace_existing=True,
            # A busy loop may fire late; the claim, not APScheduler, guards against doubles.
            misfire_grace_time=self.deps.settings.scheduler.grace_minutes * 60 or None,
        )

    async def _fire(self, scheduled: ScheduledJob, occurrence: datetime) -> None:
        try:
            await run_occurrence(self.deps, scheduled, occurrence)
        except Exception:
            log.exception("job %s failed for %s", scheduled.job.name, occurrence.isoformat())
        finally:
            self._arm(scheduled, after=occurrence)
            self.delivery.wake()
