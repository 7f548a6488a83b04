"""`renewal-reminders` (daily): one reminder per window before each contract end, naming the
AE and TA/CE; on the end date, the Renewed / Churned question to the AE."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.renewals import renewal_decision, renewal_reminder
from bot.deps import Deps
from bot.domain.renewals import END_DAY, reminder_due
from bot.services.renewals import upcoming_renewals
from jobs.job import Job, Outbound, Plan
from storage import journey as store


async def plan(deps: Deps, occurrence: datetime) -> Plan:
    today = occurrence.astimezone(deps.settings.team.zone).date()
    policy = deps.settings.renewals
    team = deps.settings.team
    async with deps.db.session() as session:
        sent = await store.reminded(session)
    messages: list[Outbound] = []
    records: list[tuple[int, date, dict[int, str]]] = []
    for item in await upcoming_renewals(deps, max(policy.windows)):
        account = item.account
        assert account.contract_end is not None
        already = sent.get((account.id, account.contract_end), set())
        target = account.channel or team.strategic_channel
        if item.days_left == 0:
            if END_DAY in already:
                continue
            messages.append(Outbound(target, renewal_decision(account)))
            covered = {w: "covered" for w in policy.windows if w not in already}
            records.append((account.id, account.contract_end, {END_DAY: "sent", **covered}))
            continue
        due = reminder_due(account.contract_end, today, policy.windows, already)
        if due is None:
            continue
        messages.append(Outbound(target, renewal_reminder(item, team.show_sensitive_in_channels)))
        covered = {w: "covered" for w in due.covered}
        records.append((account.id, account.contract_end, {due.window: "sent", **covered}))

    async def remember(session: AsyncSession) -> None:
        for account_id, end, windows in records:
            await store.record_reminders(session, account_id, end, windows, occurrence)

    return Plan(messages, apply=remember)


JOB = Job(
    "renewal-reminders",
    "0 9 * * *",
    "Renewal reminders at each window before contract end; renewed or churned on the day.",
    plan,
)
