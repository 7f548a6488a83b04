"""Get-well plans: read one to edit it, save it with an audit entry."""

from __future__ import annotations

from bot.blocks.phrases import Act
from bot.deps import Deps
from bot.domain.accounts import Account, changed_fields
from bot.domain.plans import GetWellPlan, PlanDraft
from bot.services.guard import account_named, authorized, sees_sensitive
from bot.services.replays import once
from storage import accounts as account_store
from storage import plans


async def plan_for_edit(deps: Deps, name: str, actor: str) -> tuple[Account, GetWellPlan | None]:
    """The account and its current plan; refused before the modal opens if not allowed."""
    async with deps.db.session() as session:
        account = await authorized(session, deps.settings, name, actor, Act.CHANGE)
        return account, await plans.get(session, account.id)


async def save_plan(deps: Deps, account_id: int, draft: PlanDraft, actor: str) -> GetWellPlan:
    """Checked again here, at submit: the modal's account id is only what it identifies."""
    at = deps.clock()
    async with deps.db.session() as session:
        await once(session, deps)
        await authorized(session, deps.settings, account_id, actor, Act.CHANGE)
        before = await plans.get(session, account_id)
        old = before.model_dump(include=set(PlanDraft.model_fields)) if before else {}
        await plans.save(session, account_id, draft, actor, at)
        changes = changed_fields(old, draft.model_dump())
        account_store.audit(session, account_id, "plan.save", actor, at, changes)
    return GetWellPlan(**draft.model_dump(), account_id=account_id, updated_by=actor, updated_at=at)


async def current_plan(deps: Deps, account_id: int) -> GetWellPlan | None:
    async with deps.db.session() as session:
        return await plans.get(session, account_id)


async def planned_accounts(deps: Deps) -> set[int]:
    async with deps.db.session() as session:
        return await plans.planned_accounts(session)


async def account_with_plan(
    deps: Deps, name: str, viewer: str
) -> tuple[Account, GetWellPlan | None, bool]:
    """An account, its plan and whether `viewer` sees its sensitive figures, in one unit of
    work: the card needs all three, and every session costs its own round trips."""
    async with deps.db.session() as session:
        account = await account_named(session, name)
        plan = await plans.get(session, account.id)
    return account, plan, sees_sensitive(deps.settings, account, viewer)
