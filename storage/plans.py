"""Get-well plans: one current plan per account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.plans import GetWellPlan, PlanDraft
from storage.models import GetWellPlanRow
from storage.upsert import upsert_many


async def get(session: AsyncSession, account_id: int) -> GetWellPlan | None:
    row = await session.get(GetWellPlanRow, account_id)
    return GetWellPlan.model_validate(row) if row else None


async def planned_accounts(session: AsyncSession) -> set[int]:
    """The accounts that have a get-well plan."""
    return set((await session.execute(select(GetWellPlanRow.account_id))).scalars())


async def save(
    session: AsyncSession, account_id: int, plan: PlanDraft, actor: str, at: datetime
) -> None:
    row = {"account_id": account_id, **plan.model_dump(), "updated_by": actor, "updated_at": at}
    await upsert_many(session, GetWellPlanRow, [row], ["account_id"])
