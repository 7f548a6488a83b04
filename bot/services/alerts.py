"""Health alerts: which accounts entered a state today (and so get an alert), and
acknowledging one: once, by someone responsible, and only the current one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import phrases
from bot.blocks.common import user
from bot.blocks.phrases import Act
from bot.deps import Deps
from bot.domain.alerts import label_of, should_alert
from bot.domain.health import AccountHealth, Status
from bot.domain.plans import red_without_plan
from bot.errors import UserError
from bot.metadata import HealthAck
from bot.services.guard import authorized, sees_sensitive
from bot.services.health import portfolio
from bot.services.replays import once
from storage import accounts as account_store
from storage import health as store
from storage import plans


async def acknowledge(deps: Deps, ack: HealthAck, user_id: str) -> datetime:
    """When it was taken; a stale, repeated or unauthorised click changes nothing."""
    at = deps.clock()
    async with deps.db.session() as session:
        await once(session, deps)
        account = await authorized(session, deps.settings, ack.account_id, user_id, Act.ACKNOWLEDGE)
        if not await store.acknowledge(session, ack.account_id, ack.status, user_id, at):
            state = await store.alert_state(session, ack.account_id)
            if state is None or label_of(state.status) != ack.status:
                now = label_of(state.status) if state else "unknown"
                raise UserError(phrases.alert_out_of_date(account.name, now))
            raise UserError(phrases.already_acknowledged(user(state.acknowledged_by)))
        changes = {"status": [None, ack.status]}
        account_store.audit(session, ack.account_id, "health.acknowledge", user_id, at, changes)
    return at


@dataclass(frozen=True)
class Entered:
    """An account that entered a state since its last alert: the alert to post."""

    item: AccountHealth
    previous: Status | None
    ack: HealthAck
    channel: str
    show_arr: bool


@dataclass(frozen=True)
class AlertRound:
    """What one day's health check found, and what it must remember once posted."""

    day: date
    entered: list[Entered]
    neglected: list[AccountHealth]
    """Red accounts with no get-well plan, listed on `no_plan_weekday` only (else empty)."""
    neglected_channel: str
    statuses: dict[int, str]


async def alert_round(deps: Deps, day: date) -> AlertRound:
    """Judge the portfolio on `day` against the last alerted states (rule: domain.alerts)."""
    items = await portfolio(deps, day)
    async with deps.db.session() as session:
        states = await store.alert_states(session)
        planned = await plans.planned_accounts(session)
    team = deps.settings.team
    fallback = team.alerts_channel or team.strategic_channel
    entered = []
    for item in items:
        previous = states.get(item.account.id)
        if not should_alert(previous, item.health.status):
            continue
        ack = HealthAck(account_id=item.account.id, status=label_of(item.health.status))
        entered.append(
            Entered(
                item,
                previous.status if previous else None,
                ack,
                item.account.channel or fallback,
                sees_sensitive(deps.settings, item.account, None),
            )
        )
    weekly = day.weekday() == deps.settings.health.no_plan_weekday
    return AlertRound(
        day,
        entered,
        red_without_plan(items, planned) if weekly else [],
        fallback,
        {i.account.id: label_of(i.health.status) for i in items},
    )


async def remember_round(session: AsyncSession, found: AlertRound, occurrence: datetime) -> None:
    """With the occurrence's claim: the new alert states (clearing acknowledgements) and
    every account's status of the day, which trends and "since when" read."""
    changed = [
        {
            "account_id": e.item.account.id,
            "status": e.ack.status,
            "since": found.day,
            "alerted_at": occurrence,
        }
        for e in found.entered
    ]
    await store.save_alert_states(session, changed)
    await store.record_day(session, found.day, found.statuses)
