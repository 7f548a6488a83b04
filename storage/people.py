"""Champions and advocates at each customer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.people import PeopleCount, Person, PersonDraft, PersonKind, by_kind
from storage.models import AccountRow, CustomerPersonRow


async def of_account(session: AsyncSession, account_id: int) -> list[Person]:
    query = select(CustomerPersonRow).where(CustomerPersonRow.account_id == account_id)
    return by_kind([Person.model_validate(r) for r in (await session.execute(query)).scalars()])


async def get(session: AsyncSession, person_id: int) -> Person | None:
    row = await session.get(CustomerPersonRow, person_id)
    return Person.model_validate(row) if row else None


async def add(
    session: AsyncSession, account_id: int, draft: PersonDraft, actor: str, at: datetime
) -> Person:
    row = CustomerPersonRow(
        account_id=account_id, **draft.model_dump(), added_by=actor, added_at=at
    )
    session.add(row)
    await session.flush()
    return Person.model_validate(row)


async def remove(session: AsyncSession, person_id: int) -> None:
    await session.execute(delete(CustomerPersonRow).where(CustomerPersonRow.id == person_id))


async def counts(session: AsyncSession, account_id: int | None = None) -> PeopleCount:
    """Champions and advocates of one account, or of every active account (None)."""
    query = select(CustomerPersonRow.kind, func.count()).group_by(CustomerPersonRow.kind)
    if account_id is not None:
        query = query.where(CustomerPersonRow.account_id == account_id)
    else:
        query = query.join(AccountRow, AccountRow.id == CustomerPersonRow.account_id).where(
            AccountRow.archived_at.is_(None)
        )
    found = {kind: int(n) for kind, n in (await session.execute(query)).all()}
    return PeopleCount(
        found.get(PersonKind.CHAMPION.value, 0), found.get(PersonKind.ADVOCATE.value, 0)
    )
