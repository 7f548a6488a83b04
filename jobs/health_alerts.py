"""`health-alerts` (daily): an alert when an account enters a state, and once a week the
red accounts that have no get-well plan (seeds 003, 004).

It also records every account's status of the day: trend and "since when" come from it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.alerts import health_alert, red_without_plan
from bot.deps import Deps
from bot.domain.alerts import AlertState, label_of, should_alert, status_of
from bot.domain.health import Status
from bot.metadata import HealthAck
from bot.services.health import portfolio
from jobs.job import Job, Outbound, Plan
from storage import health as store
from storage import plans


async def plan(deps: Deps, occurrence: datetime) -> Plan:
    day = occurrence.astimezone(deps.settings.team.zone).date()
    items = await portfolio(deps, day)
    async with deps.db.session() as session:
        states = await store.alert_states(session)
        with_plan = set(await plans.by_account(session))
    team = deps.settings.team
    fallback = team.alerts_channel or team.strategic_channel
    messages: list[Outbound] = []
    changed: list[dict[str, object]] = []
    for item in items:
        current = item.health.status
        row = states.get(item.account.id)
        previous = AlertState(status_of(row.status), row.since) if row else None
        if not should_alert(previous, current):
            continue
        ack = HealthAck(account_id=item.account.id, status=label_of(current))
        was = previous.status if previous else None
        alert = health_alert(item, was, ack, show_arr=team.show_sensitive_in_channels)
        messages.append(Outbound(item.account.channel or fallback, alert))
        changed.append(
            {
                "account_id": item.account.id,
                "status": label_of(current),
                "since": day,
                "alerted_at": occurrence,
            }
        )
    neglected = [
        i for i in items if i.health.status is Status.RED and i.account.id not in with_plan
    ]
    if neglected and day.weekday() == deps.settings.health.no_plan_weekday:
        messages.append(Outbound(fallback, red_without_plan(neglected)))
    statuses = {i.account.id: label_of(i.health.status) for i in items}

    async def remember(session: AsyncSession) -> None:
        await store.save_alert_states(session, changed)
        await store.record_day(session, day, statuses)

    return Plan(messages, apply=remember)


JOB = Job(
    "health-alerts",
    "0 9 * * *",
    "Health alerts on change; weekly red accounts without a plan.",
    plan,
)
