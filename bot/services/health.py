"""The portfolio's health: figures from the store, judged by the rules, worst first."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from bot.blocks import phrases
from bot.deps import Deps
from bot.domain.accounts import Account
from bot.domain.alerts import status_of, status_since
from bot.domain.health import (
    AccountHealth,
    HealthPolicy,
    Status,
    UsageFigures,
    assess,
    trend,
)
from bot.errors import UserError
from bot.services.accounts import get_account
from storage import accounts as account_store
from storage import health as health_store
from storage.metrics import figures_as_of

WEEK = timedelta(days=7)
HISTORY_WEEKS = 12


LOOKUP_LIMIT = 500
"""Up to this many accounts without a recorded status a week ago are judged from that
day's figures one by one (index lookups); more, and one grouped pass is cheaper."""


def _judged(
    account: Account, now: UsageFigures, week_ago: Status | None, policy: HealthPolicy, day: date
) -> AccountHealth:
    health = assess(now, policy, day)
    return AccountHealth(account, health, trend(health.status, week_ago), now)


async def portfolio(deps: Deps, day: date | None = None) -> list[AccountHealth]:
    """Every active account, worst first, in a fixed number of queries whatever its size.

    The trend compares with the status the daily health job recorded seven days earlier,
    which is also what that day's alerts said; accounts with nothing recorded then (new,
    or the job was not running yet) are judged again from that day's figures.

    The reads go to separate connections at once, so that the database works while this
    process turns rows into objects. They are separate transactions: a metrics batch
    landing in between shows in the next refresh, as it would anyway.
    """
    day = day or deps.today()
    policy = deps.settings.health
    accounts, now, week_ago = await asyncio.gather(
        deps.db.read(account_store.list_accounts),
        deps.db.read(figures_as_of, day),
        _week_ago(deps, day - WEEK),
    )
    missing = [a.id for a in accounts if a.id not in week_ago]
    if missing:
        wanted = missing if len(missing) <= LOOKUP_LIMIT else None
        before = await deps.db.read(figures_as_of, day - WEEK, wanted)
        week_ago |= _statuses(before, policy, day - WEEK)
    found = [_judged(a, now[a.id], week_ago[a.id], policy, day) for a in accounts]
    return sorted(found, key=lambda h: h.rank)


async def _week_ago(deps: Deps, day: date) -> dict[int, Status | None]:
    """The statuses recorded on `day`; when none were (the job was not running yet), every
    account judged from that day's figures, at once with the portfolio's other reads."""
    recorded = await deps.db.read(health_store.statuses_on, day)
    if recorded:
        return recorded
    return _statuses(await deps.db.read(figures_as_of, day), deps.settings.health, day)


def _statuses(
    figures: dict[int, UsageFigures], policy: HealthPolicy, day: date
) -> dict[int, Status | None]:
    return {account_id: assess(f, policy, day).status for account_id, f in figures.items()}


async def account_health(deps: Deps, name: str, day: date | None = None) -> AccountHealth:
    """One account with each measure's last 12 weeks; the trend as in the portfolio."""
    account = await get_account(deps, name)
    if account.archived:
        raise UserError(phrases.archived_has_no_health(account.name))
    day = day or deps.today()
    policy = deps.settings.health
    weeks = [day - WEEK * n for n in range(HISTORY_WEEKS, -1, -1)]
    async with deps.db.session() as session:
        figures = [(await figures_as_of(session, d, [account.id]))[account.id] for d in weeks]
        recorded = await health_store.history(session, account.id)
    history = [assess(f, policy, d) for f, d in zip(figures[1:], weeks[1:], strict=True)]
    health = history[-1]
    stored = dict(recorded).get(day - WEEK)
    week_ago = history[-2].status if stored is None else status_of(stored)
    return AccountHealth(
        account,
        health,
        trend(health.status, week_ago),
        figures[-1],
        weekly=history,
        since=status_since(recorded, health.status),
    )
