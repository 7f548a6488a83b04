"""`initiative-reminders` (daily, 9:00 team time): each initiative's owner is told by DM a
week before its due date, and on the day after it passed if it is not done — each once
per due date, remembered with the occurrence's claim."""

from __future__ import annotations

from datetime import datetime

from bot.blocks.initiatives import initiative_reminder
from bot.deps import Deps
from bot.domain.clock import local_day
from bot.services.initiatives import remember_reminders, reminders_due
from jobs.job import Job, Outbound, Plan


async def plan(deps: Deps, occurrence: datetime) -> Plan:
    today = local_day(occurrence, deps.settings.team.zone)
    due = await reminders_due(deps, today)
    messages = [
        Outbound(r.initiative.owner, initiative_reminder(r.initiative, r.kind, today)) for r in due
    ]
    return Plan(messages, apply=lambda session: remember_reminders(session, due, occurrence))


DESCRIPTION = "Strategy initiatives: their owners a week before the due date, and once overdue."
JOB = Job("initiative-reminders", "0 9 * * *", DESCRIPTION, plan, previewed=False)
"""Not in the App Home's week: it checks daily and DMs an owner rarely, as
update-reminders does."""
