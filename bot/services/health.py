"""The portfolio's health: figures from the store, judged by the rules, worst first."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.deps import Deps
from bot.domain.accounts import Account
from bot.domain.alerts import status_since
from bot.domain.health import Health, HealthPolicy, Status, UsageFigures, assess, trend
from bot.errors import UserError
from bot.services.accounts import get_account
from storage import accounts as account_store
from storage import health as health_store
from storage.metrics import figures_as_of

WEEK = timedelta(days=7)
HISTORY_WEEKS = 12


@dataclass(frozen=True)
class AccountHealth:
    account: Account
    health: Health
    trend: str
    """Against seven days earlier: better, worse, same or new."""
    figures: UsageFigures
    weekly: list[Health] | None = None
    """For one account's detail: the last 12 weeks, oldest first."""
    since: date | None = None
    """For one account's detail: since when it has had this status (daily health history)."""

    @property
    def rank(self) -> tuple[int, str]:
        """Worst first; accounts with no score yet right after the red ones."""
        status = self.health.status
        order = {Status.RED: 0, None: 1, Status.YELLOW: 2, Status.GREEN: 3}[status]
        return order, self.account.name.casefold()


def _judged(
    account: Account, now: UsageFigures, before: UsageFigures, policy: HealthPolicy, day: date
) -> AccountHealth:
    health = assess(now, policy, day)
    week_ago = assess(before, policy, day - WEEK).status
    return AccountHealth(account, health, trend(health.status, week_ago), now)


async def portfolio(deps: Deps, day: date | None = None) -> list[AccountHealth]:
    """Every active account, two grouped queries whatever the portfolio's size."""
    day = day or deps.today()
    async with deps.db.session() as session:
        accounts = await account_store.list_accounts(session)
        now = await figures_as_of(session, day)
        before = await figures_as_of(session, day - WEEK)
    policy = deps.settings.health
    found = [_judged(a, now[a.id], before[a.id], policy, day) for a in accounts]
    return sorted(found, key=lambda h: h.rank)


async def account_health(deps: Deps, name: str, day: date | None = None) -> AccountHealth:
    """One account with each measure's last 12 weeks."""
    account = await get_account(deps, name)
    if account.archived:
        raise UserError(f"{account.name} is archived; it has no health score.")
    day = day or deps.today()
    policy = deps.settings.health
    weeks = [day - WEEK * n for n in range(HISTORY_WEEKS, -1, -1)]
    async with deps.db.session() as session:
        figures = [(await figures_as_of(session, d, account.id))[account.id] for d in weeks]
    judged = _judged(account, figures[-1], figures[-2], policy, day)
    history = [assess(f, policy, d) for f, d in zip(figures[1:], weeks[1:], strict=True)]
    async with deps.db.session() as session:
        recorded = [
            (row.day, row.status) for row in await health_store.history(session, account.id)
        ]
    return replace(judged, weekly=history, since=status_since(recorded, judged.health.status))
