"""Retention per fiscal quarter from the store (bot.domain.retention says how each figure
is computed): the App Home shows this quarter and the last, the OKR quarter-end summary
the quarter that ends."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.deps import Deps
from bot.domain.fiscal import FiscalQuarter, fiscal_quarter
from bot.domain.retention import Retention, renewal_outcomes, retention
from bot.services.renewals import CHURNED, RENEWED
from storage import retention as store


async def quarter_retention(deps: Deps, quarter: FiscalQuarter) -> Retention:
    """The quarter's figures as of its close, or as of now while it runs."""
    team = deps.settings.team
    close = datetime.combine(quarter.end + timedelta(days=1), time(), tzinfo=team.zone)
    as_of = min(close, deps.clock())
    async with deps.db.session() as session:
        decided = await store.decisions(session, RENEWED, CHURNED, quarter.start, quarter.end)
        history, current = await store.arr_history(session, {d.account_id for d in decided})
        deals = await store.deals(session, quarter.start, quarter.end)
    return retention(quarter, renewal_outcomes(decided, history, current, as_of), deals)


async def retention_now(deps: Deps) -> list[Retention]:
    """The last quarter's figures and this quarter's so far, in that order."""
    month = deps.settings.team.fiscal_year_start_month
    this = fiscal_quarter(deps.today(), month)
    last = fiscal_quarter(this.start - timedelta(days=1), month)
    return [await quarter_retention(deps, last), await quarter_retention(deps, this)]
