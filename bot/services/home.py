"""What the App Home shows one person: the portfolio at a glance (PRODUCT.md)."""

from __future__ import annotations

from datetime import timedelta

from bot.deps import Deps
from bot.domain.accounts import may_manage
from bot.domain.home import HomeData
from bot.domain.plans import red_without_plan
from bot.domain.schedule import Timetable, upcoming
from bot.domain.team import may_administer
from bot.services.health import portfolio
from bot.services.needs import at_a_glance
from bot.services.north_star import iarr_this_quarter
from bot.services.okrs import measured_now
from bot.services.partners import Approvers, nominations_for
from bot.services.people import people_count
from bot.services.plans import planned_accounts
from bot.services.retention import retention_now
from bot.services.schedule import recently_sent

RENEWAL_WINDOW = timedelta(days=90)


async def home_data(
    deps: Deps, timetables: list[Timetable], viewer: str, approvers: Approvers | None = None
) -> HomeData:
    """The dashboard as `viewer` may see it: ARR only on the accounts they manage, the
    pending nominations only to an approver."""
    today = deps.today()
    items = await portfolio(deps, today)
    quarter, iarr = await iarr_this_quarter(deps)
    renewals = sorted(
        (
            i.account
            for i in items
            if i.account.contract_end and today <= i.account.contract_end <= today + RENEWAL_WINDOW
        ),
        key=lambda a: (a.contract_end, a.name),
    )
    admins = deps.settings.team.admins
    return HomeData(
        items=items,
        renewals=renewals,
        red_without_plan=red_without_plan(items, await planned_accounts(deps)),
        assistant_dau=sum(i.figures.assistant_dau or 0 for i in items),
        quarter=quarter,
        iarr=iarr,
        coming=upcoming(timetables, deps.clock()),
        sent=await recently_sent(deps),
        arr_shown={a.id for a in renewals if may_manage(a, viewer, admins)},
        nominations=await nominations_for(deps, approvers, viewer),
        measured=(await measured_now(deps, items))[1],
        people=await people_count(deps),
        retention=await retention_now(deps),
        retention_amounts=may_administer(viewer, admins),
        currency=deps.settings.team.currency,
        needs=(await at_a_glance(deps, today)).summaries,
    )
