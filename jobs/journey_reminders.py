"""`journey-reminders` (Mondays): per account, what is due in the coming days and what is
overdue, to the account's channel or, without one, to its owners by DM (seed 002)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.blocks.journey import journey_reminder
from bot.deps import Deps
from bot.domain.journey import State
from bot.services.journey import AccountJourney, JourneyItem, all_journeys
from jobs.job import Job, Outbound, Plan


def _pressing(journey: AccountJourney, horizon: datetime, deps: Deps) -> list[JourneyItem]:
    until = horizon.astimezone(deps.settings.team.zone).date()
    return [
        i
        for i in journey.items
        if i.state is State.OVERDUE or (i.state is State.DUE and i.activity.due <= until)
    ]


async def plan(deps: Deps, occurrence: datetime) -> Plan:
    horizon = occurrence + timedelta(days=deps.settings.journey.due_within_days)
    messages: list[Outbound] = []
    for journey in await all_journeys(deps):
        items = _pressing(journey, horizon, deps)
        if not items:
            continue
        account = journey.account
        if account.channel:
            messages.append(Outbound(account.channel, journey_reminder(journey, items)))
            continue
        by_owner: dict[str, list[JourneyItem]] = {}
        for item in items:
            for role in item.activity.owners:
                person = getattr(account, role)
                if person:
                    by_owner.setdefault(person, []).append(item)
        for person, theirs in by_owner.items():
            messages.append(Outbound(person, journey_reminder(journey, theirs)))
    return Plan(messages)


JOB = Job(
    "journey-reminders",
    "0 9 * * 1",
    "Journey activities due in the next two weeks or overdue, per account.",
    plan,
)
