"""Get-well plans: read one to edit it, save it with an audit entry."""

from __future__ import annotations

from bot.deps import Deps
from bot.domain.accounts import Account, changed_fields
from bot.domain.plans import GetWellPlan, PlanDraft
from bot.services.accounts import account_for_edit, require_row
from storage import accounts as account_store
from storage import plans


async def plan_for_edit(deps: Deps, name: str, actor: str) -> tuple[Account, GetWellPlan | None]:
    """The account and its current plan; refused before the modal opens if not allowed."""
    account = await account_for_edit(deps, name, actor)
    return account, await current_plan(deps, account.id)


async def save_plan(deps: Deps, account_id: int, draft: PlanDraft, actor: str) -> GetWellPlan:
    at = deps.clock()
    async with deps.db.session() as session:
        before = await plans.get(session, account_id)
        old = PlanDraft.model_validate(before, from_attributes=True).model_dump() if before else {}
        await plans.save(session, account_id, draft, actor, at)
        account_store.audit(
            session,
            at=at,
            actor=actor,
            action="plan.save",
            account_id=account_id,
            changes=changed_fields(old, draft.model_dump()),
        )
    return GetWellPlan(**draft.model_dump(), account_id=account_id, updated_by=actor, updated_at=at)


async def current_plan(deps: Deps, account_id: int) -> GetWellPlan | None:
    async with deps.db.session() as session:
        row = await plans.get(session, account_id)
    return GetWellPlan.model_validate(row) if row else None


async def account_with_plan(deps: Deps, name: str) -> tuple[Account, GetWellPlan | None]:
    """An account and its plan in one unit of work: the card needs both, and every
    session costs its own round trips to the store."""
    async with deps.db.session() as session:
        row = await require_row(session, name)
        plan = await plans.get(session, row.id)
        return account_store.to_account(row), GetWellPlan.model_validate(plan) if plan else None
