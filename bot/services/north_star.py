"""iARR closed from strategic customers (seed 001's north star), recorded deal by deal."""

from __future__ import annotations

from bot.blocks import phrases
from bot.deps import Deps
from bot.domain.accounts import may_manage
from bot.domain.fiscal import FiscalQuarter, fiscal_quarter
from bot.domain.iarr import IarrEvent, IarrInput
from bot.errors import NotAllowed, NotFound
from bot.services.guard import account_named
from bot.services.replays import once
from storage import accounts as account_store
from storage import north_star


async def record_iarr(deps: Deps, deal: IarrInput, actor: str) -> IarrEvent:
    """Stores the deal once per request (a replay records nothing): the answer offers Undo
    for a deal typed twice on purpose by mistake."""
    at = deps.clock()
    async with deps.db.session() as session:
        await once(session, deps)
        account = await account_named(session, deal.account)
        event = await north_star.add_iarr(
            session, account.id, account.name, deal.day, deal.amount, deal.kind, actor, at
        )
        changes = {"iarr": [None, deal.amount], "kind": [None, deal.kind.value]}
        account_store.audit(session, account.id, "iarr.add", actor, at, changes)
    return event


async def undo_iarr(deps: Deps, event_id: int, user_id: str) -> IarrEvent:
    """Take a recorded deal back: by whoever recorded it, the account's owners or an admin."""
    async with deps.db.session() as session:
        await once(session, deps)
        event = await north_star.get_iarr(session, event_id)
        if event is None:
            raise NotFound(phrases.IARR_GONE)
        account = await account_store.get(session, event.account_id)
        admins = deps.settings.team.admins
        if user_id != event.actor and not (account and may_manage(account, user_id, admins)):
            raise NotAllowed(phrases.not_allowed_undo(event.account_name, event.actor))
        await north_star.delete_iarr(session, event_id)
        changes = {"iarr": [event.amount, None], "kind": [event.kind.value, None]}
        account_store.audit(session, event.account_id, "iarr.undo", user_id, deps.clock(), changes)
    return event


async def iarr_this_quarter(deps: Deps) -> tuple[FiscalQuarter, int]:
    quarter = fiscal_quarter(deps.today(), deps.settings.team.fiscal_year_start_month)
    async with deps.db.session() as session:
        return quarter, await north_star.iarr_between(session, quarter.start, quarter.end)
