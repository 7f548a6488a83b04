"""The north-star numbers (seed 001): assistant DAU across strategic accounts, iARR closed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AccountRow, IarrEventRow


async def add_iarr(
    session: AsyncSession,
    account_id: int,
    day: date,
    amount: int,
    kind: str,
    actor: str,
    at: datetime,
) -> None:
    session.add(
        IarrEventRow(
            account_id=account_id, day=day, amount=amount, kind=kind, actor=actor, recorded_at=at
        )
    )


async def iarr_between(session: AsyncSession, start: date, end: date) -> int:
    """iARR closed from active strategic accounts between two days, inclusive."""
    query = (
        select(func.coalesce(func.sum(IarrEventRow.amount), 0))
        .join(AccountRow, AccountRow.id == IarrEventRow.account_id)
        .where(IarrEventRow.day.between(start, end), AccountRow.archived_at.is_(None))
    )
    return int((await session.execute(query)).scalar_one())
