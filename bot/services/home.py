"""What the App Home shows one person: the portfolio at a glance (PRODUCT.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.deps import Deps
from bot.domain.accounts import Account
from bot.domain.fiscal import FiscalQuarter
from bot.domain.health import Status
from bot.services.health import AccountHealth, portfolio
from bot.services.north_star import iarr_this_quarter
from bot.services.schedule import Sent, Upcoming, recently_sent, upcoming
from jobs.catalog import ScheduledJob
from storage import plans

RENEWAL_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class HomeData:
    items: list[AccountHealth]
    """Worst first."""
    renewals: list[Account]
    """Contracts ending within 90 days, soonest first."""
    red_without_plan: list[AccountHealth]
    assistant_dau: int
    quarter: FiscalQuarter
    iarr: int
    coming: list[Upcoming]
    sent: list[Sent]


async def home_data(deps: Deps, jobs: dict[str, ScheduledJob]) -> HomeData:
    today = deps.today()
    items = await portfolio(deps, today)
    async with deps.db.session() as session:
        with_plan = set(await plans.by_account(session))
    quarter, iarr = await iarr_this_quarter(deps)
    renewals = sorted(
        (
            i.account
            for i in items
            if i.account.contract_end and today <= i.account.contract_end <= today + RENEWAL_WINDOW
        ),
        key=lambda a: (a.contract_end, a.name),
    )
    return HomeData(
        items=items,
        renewals=renewals,
        red_without_plan=[
            i for i in items if i.health.status is Status.RED and i.account.id not in with_plan
        ],
        assistant_dau=sum(i.figures.assistant_dau or 0 for i in items),
        quarter=quarter,
        iarr=iarr,
        coming=upcoming(jobs, deps.clock()),
        sent=await recently_sent(deps),
    )
