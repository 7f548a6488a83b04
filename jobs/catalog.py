"""Every job the app knows: the built-in ones, plus those of `scheduler.extra_job_modules`.

An extra module exposes `JOBS: list[Job]`; it is how a team adds a job of its own without
forking, and how the tests run replicas with a job of theirs.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace

from bot.config import ConfigError, Settings
from bot.domain.schedule import Schedule, Timetable
from jobs import (
    health_alerts,
    journey_reminders,
    okr_checkins,
    okr_quarter_summary,
    renewal_reminders,
    update_reminders,
    weekly_update,
)
from jobs.cron import parse_schedule
from jobs.job import Job

BUILTIN: list[Job] = [
    health_alerts.JOB,
    journey_reminders.JOB,
    okr_checkins.JOB,
    okr_quarter_summary.JOB,
    renewal_reminders.JOB,
    update_reminders.JOB,
    weekly_update.JOB,
]


@dataclass(frozen=True)
class ScheduledJob:
    job: Job
    schedule: Schedule

    @property
    def timetable(self) -> Timetable:
        """The job as the App Home shows it; the core knows jobs only in this form."""
        return Timetable(self.job.name, self.job.description, self.schedule, self.job.previewed)


def load_jobs(settings: Settings) -> dict[str, ScheduledJob]:
    """The enabled jobs with their schedules in the team's time zone, by name."""
    found = list(BUILTIN)
    for module_name in settings.scheduler.extra_job_modules:
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ConfigError(f"The job module {module_name} cannot be imported: {exc}.") from None
        found += list(getattr(module, "JOBS", []))
    jobs: dict[str, ScheduledJob] = {}
    for job in found:
        override = settings.scheduler.jobs.get(job.name)
        if override and not override.enabled:
            continue
        cron = override.cron if override else job.default_cron(settings)
        try:
            schedule = parse_schedule(cron, settings.team.timezone)
        except ValueError as exc:
            raise ConfigError(f"The schedule of job {job.name} is invalid: {exc}.") from None
        jobs[job.name] = ScheduledJob(replace(job, cron=cron), schedule)
    unknown = set(settings.scheduler.jobs) - {j.name for j in found}
    if unknown:
        raise ConfigError(f"[scheduler.jobs] names unknown job(s): {', '.join(sorted(unknown))}.")
    return jobs
