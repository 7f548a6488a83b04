"""Get-well plans: one current plan per account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.plans import PlanDraft
from storage.models import GetWellPlanRow
from storage.upsert import upsert_many


async def get(session: AsyncSession, account_id: int) -> GetWellPlanRow | None:
    return await session.get(GetWellPlanRow, account_id)


async def by_account(session: AsyncSession) -> dict[int, GetWellPlanRow]:
    rows = (await session.execute(select(GetWellPlanRow))).scalars()
    return {row.account_id: row for row in rows}


async def save(
    session: AsyncSession, account_id: int, plan: PlanDraft, actor: str, at: datetime
) -> None:
    row = {"account_id": account_id, **plan.model_dump(), "updated_by": actor, "updated_at": at}
    await upsert_many(session, GetWellPlanRow, [row], ["account_id"])
