"""`journey-reminders` (Mondays): per account, what is due in the coming days and what is
overdue, to the account's channel or, without one, to its owners by DM (seed 002)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.blocks.journey import journey_reminder
from bot.deps import Deps
from bot.domain.clock import local_day
from bot.domain.journey import pressing, reminder_targets
from bot.services.journey import all_journeys
from jobs.job import Job, Outbound, Plan


async def plan(deps: Deps, occurrence: datetime) -> Plan:
    horizon = occurrence + timedelta(days=deps.settings.journey.due_within_days)
    until = local_day(horizon, deps.settings.team.zone)
    messages = [
        Outbound(target, journey_reminder(journey, theirs))
        for journey in await all_journeys(deps)
        for target, theirs in reminder_targets(journey, pressing(journey, until))
        if theirs
    ]
    return Plan(messages)


DESCRIPTION = "Journey activities due in the next two weeks or overdue, per account."
JOB = Job("journey-reminders", "0 9 * * 1", DESCRIPTION, plan)
