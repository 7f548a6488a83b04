"""iARR closed from strategic customers (seed 001's north star), recorded deal by deal."""

from __future__ import annotations

from bot.deps import Deps
from bot.domain.fiscal import FiscalQuarter, fiscal_quarter
from bot.domain.iarr import IarrInput
from bot.services.accounts import get_account
from storage import accounts as account_store
from storage import north_star


async def record_iarr(deps: Deps, deal: IarrInput, actor: str) -> str:
    """Stores the deal; returns the account's proper name."""
    account = await get_account(deps, deal.account)
    at = deps.clock()
    async with deps.db.session() as session:
        await north_star.add_iarr(
            session, account.id, deal.day, deal.amount, deal.kind.value, actor, at
        )
        changes = {"iarr": [None, deal.amount], "kind": [None, deal.kind.value]}
        account_store.audit(session, account.id, "iarr.add", actor, at, changes)
    return account.name


async def iarr_this_quarter(deps: Deps) -> tuple[FiscalQuarter, int]:
    quarter = fiscal_quarter(deps.today(), deps.settings.team.fiscal_year_start_month)
    async with deps.db.session() as session:
        return quarter, await north_star.iarr_between(session, quarter.start, quarter.end)
