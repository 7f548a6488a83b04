"""Every job the app knows: the built-in ones, plus those of `scheduler.extra_job_modules`.

An extra module exposes `JOBS: list[Job]`; it is how a team adds a job of its own without
forking, and how the tests run replicas with a job of theirs.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings
from bot.domain.schedule import Schedule, Timetable
from jobs import weekly_schedule
from jobs.cron import parse_schedule
from jobs.job import Job, Plan

if TYPE_CHECKING:
    from bot.deps import Deps


@dataclass(frozen=True)
class PlannedIn:
    """A built-in job's plan, imported from its module (its `JOB`) at the job's first run.

    A job's module brings the services, the store and Slack with it, a second of start-up;
    listing the jobs, checking `[scheduler.jobs]` and building the App Home's timetable
    need only each job's name, schedule and description.
    """

    module: str

    async def __call__(self, deps: Deps, occurrence: datetime) -> Plan:
        job: Job = importlib.import_module(self.module).JOB
        return await job.plan(deps, occurrence)


BUILTIN: list[Job] = [
    # Each as its module's JOB defines it (tests/test_cli_start.py compares them).
    Job(
        "health-alerts",
        "0 9 * * *",
        "Health alerts on change; weekly red accounts without a plan.",
        PlannedIn("jobs.health_alerts"),
    ),
    Job(
        "initiative-reminders",
        "0 9 * * *",
        "Strategy initiatives: their owners a week before the due date, and once overdue.",
        PlannedIn("jobs.initiative_reminders"),
        previewed=False,
    ),
    Job(
        "journey-reminders",
        "0 9 * * 1",
        "Journey activities due in the next two weeks or overdue, per account.",
        PlannedIn("jobs.journey_reminders"),
    ),
    Job(
        "okr-checkins",
        "0 10 * * 1",
        "OKR check-ins: each key result's owner is asked where it stands.",
        PlannedIn("jobs.okr_checkins"),
    ),
    Job(
        "okr-quarter-summary",
        "0 16 * * *",
        "The quarter's OKR results per team, on its last day.",
        PlannedIn("jobs.okr_quarter_summary"),
        previewed=False,
    ),
    Job(
        "renewal-reminders",
        "0 9 * * *",
        "Renewal reminders at each window before contract end; renewed or churned on the day.",
        PlannedIn("jobs.renewal_reminders"),
    ),
    Job(
        "update-reminders",
        "0 * * * *",
        "Weekly update reminders, at each person's own Thursday 15:00.",
        PlannedIn("jobs.update_reminders"),
        previewed=False,
    ),
    Job(
        "weekly-update",
        "0 14,16 * * 5",
        "The weekly update: the EM's draft, and the post at autopost_time if not posted.",
        PlannedIn("jobs.weekly_update"),
        cron_for=weekly_schedule.cron_for,
    ),
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
