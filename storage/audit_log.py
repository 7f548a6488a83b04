"""Reading the audit log: who changed what and when, newest first, as domain objects.

Written by storage/audit.py (in each change's own transaction); read here for
`strategic-bot audit` and `/strategic history ACCOUNT`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.audit import AuditEntry, LoggedChange
from storage.models import AccountRow, AuditRow

ACCOUNT = "account"
"""The entity of entries about an account (storage/accounts.py `audit`)."""


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(row.at, row.actor, row.action, row.changes, row.note)


async def changes(
    session: AsyncSession,
    *,
    account_id: int | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[LoggedChange]:
    """Entries newest first (ties by the order written), with the account's current name
    where the entry is about one; only one account's with `account_id`, only from `since`."""
    query = select(AuditRow, AccountRow.name).outerjoin(
        AccountRow, and_(AuditRow.entity == ACCOUNT, AuditRow.entity_id == AccountRow.id)
    )
    if account_id is not None:
        query = query.where(AuditRow.entity == ACCOUNT, AuditRow.entity_id == account_id)
    if since is not None:
        query = query.where(AuditRow.at >= since)
    query = query.order_by(AuditRow.at.desc(), AuditRow.id.desc())
    if limit is not None:
        query = query.limit(limit)
    # `name` is None where no account matched the outer join (an entry about something else).
    return [
        LoggedChange(_entry(row), row.entity, row.entity_id, name)
        for row, name in (await session.execute(query)).all()
    ]


async def count(session: AsyncSession, account_id: int) -> int:
    """How many entries are about the account, all told."""
    query = select(func.count()).where(AuditRow.entity == ACCOUNT, AuditRow.entity_id == account_id)
    return int(await session.scalar(query) or 0)
