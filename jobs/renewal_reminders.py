"""`renewal-reminders` (daily): one reminder per window before each contract end, naming the
AE and TA/CE; on the end date, the Renewed / Churned question to the AE."""

from __future__ import annotations

from datetime import datetime

from bot.blocks.renewals import renewal_decision, renewal_reminder
from bot.deps import Deps
from bot.domain.clock import local_day
from bot.services.renewals import remember_reminders, reminders_due
from jobs.job import Job, Outbound, Plan


async def plan(deps: Deps, occurrence: datetime) -> Plan:
    due = await reminders_due(deps, local_day(occurrence, deps.settings.team.zone))
    messages = [
        Outbound(
            r.target,
            renewal_decision(r.renewal.account) if r.end_day else renewal_reminder(r.renewal),
        )
        for r in due
    ]
    return Plan(messages, apply=lambda session: remember_reminders(session, due, occurrence))


DESCRIPTION = "Renewal reminders at each window before contract end; renewed or churned on the day."
JOB = Job("renewal-reminders", "0 9 * * *", DESCRIPTION, plan)
