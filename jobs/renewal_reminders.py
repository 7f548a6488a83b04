"""`renewal-reminders` (daily): one reminder per window before each contract end, naming the
AE and TA/CE; on the end date, the Renewed / Churned question to the AE."""

from __future__ import annotations

from datetime import datetime

from bot.blocks.renewals import renewal_decision, renewal_reminder
from bot.deps import Deps
from bot.domain.clock import local_day
from bot.domain.renewals import decision_ref
from bot.services.renewals import DueReminder, remember_reminders, reminders_due
from jobs.job import Job, Outbound, Plan


async def plan(deps: Deps, occurrence: datetime) -> Plan:
    due = await reminders_due(deps, local_day(occurrence, deps.settings.team.zone))
    messages = [_message(r, deps.settings.team.currency) for r in due]
    return Plan(messages, apply=lambda session: remember_reminders(session, due, occurrence))


DESCRIPTION = "Renewal reminders at each window before contract end; renewed or churned on the day."


def _message(due: DueReminder, currency: str) -> Outbound:
    account = due.renewal.account
    if not due.end_day:
        return Outbound(due.target, renewal_reminder(due.renewal, currency))
    assert account.contract_end is not None
    ref = decision_ref(account.id, account.contract_end)
    return Outbound(due.target, renewal_decision(account), ref=ref)


JOB = Job("renewal-reminders", "0 9 * * *", DESCRIPTION, plan)
