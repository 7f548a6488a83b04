"""The north-star numbers (seed 001): assistant DAU across strategic accounts, iARR closed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.iarr import IarrEvent, IarrKind
from storage.models import AccountRow, IarrEventRow


async def add_iarr(
    session: AsyncSession,
    account_id: int,
    account_name: str,
    day: date,
    amount: int,
    kind: IarrKind,
    actor: str,
    at: datetime,
) -> IarrEvent:
    row = IarrEventRow(
        account_id=account_id, day=day, amount=amount, kind=kind.value, actor=actor, recorded_at=at
    )
    session.add(row)
    await session.flush()
    return IarrEvent(row.id, account_id, account_name, day, amount, kind, actor)


async def get_iarr(session: AsyncSession, event_id: int) -> IarrEvent | None:
    query = (
        select(IarrEventRow, AccountRow.name)
        .join(AccountRow, AccountRow.id == IarrEventRow.account_id)
        .where(IarrEventRow.id == event_id)
    )
    found = (await session.execute(query)).first()
    if found is None:
        return None
    row, name = found
    kind = IarrKind(row.kind)
    return IarrEvent(row.id, row.account_id, name, row.day, row.amount, kind, row.actor)


async def delete_iarr(session: AsyncSession, event_id: int) -> None:
    await session.execute(delete(IarrEventRow).where(IarrEventRow.id == event_id))


async def iarr_between(session: AsyncSession, start: date, end: date) -> int:
    """iARR closed from active strategic accounts between two days, inclusive."""
    query = (
        select(func.coalesce(func.sum(IarrEventRow.amount), 0))
        .join(AccountRow, AccountRow.id == IarrEventRow.account_id)
        .where(IarrEventRow.day.between(start, end), AccountRow.archived_at.is_(None))
    )
    return int((await session.execute(query)).scalar_one())
