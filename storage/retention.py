"""What the retention figures read: renewal decisions and ARR changes from the audit log,
each account's ARR now, and the iARR deals; handed out as bot.domain.retention's facts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.iarr import IarrKind
from bot.domain.retention import ArrChange, Deal, Decision
from storage.models import AccountRow, AuditRow, IarrEventRow


async def decisions(
    session: AsyncSession, renewed: str, churned: str, since: date, until: date
) -> list[Decision]:
    """The renewal decisions (audit actions `renewed` and `churned`) of contracts that
    ended from `since` to `until`: the old end of a renewal (its entry moves it), the
    account's end for a churn (unchanged). Archived accounts count: a churned customer is
    often archived afterwards, and still was not retained."""
    query = (
        select(AuditRow.entity_id, AuditRow.action, AuditRow.changes, AuditRow.at)
        .add_columns(AccountRow.contract_end)
        .outerjoin(AccountRow, AccountRow.id == AuditRow.entity_id)
        .where(AuditRow.entity == "account", AuditRow.action.in_({renewed, churned}))
        .order_by(AuditRow.id)
    )
    found = []
    for account_id, action, changes, at, account_end in (await session.execute(query)).all():
        moved = (changes or {}).get("contract_end")
        end = date.fromisoformat(str(moved[0])) if moved and moved[0] else account_end
        if end is not None and since <= end <= until:
            found.append(Decision(account_id, end, action == churned, at))
    return found


async def arr_history(
    session: AsyncSession, account_ids: set[int]
) -> tuple[dict[int, list[ArrChange]], dict[int, int | None]]:
    """Each account's audited ARR changes, oldest first, and its ARR now."""
    if not account_ids:
        return {}, {}
    query = (
        select(AuditRow.entity_id, AuditRow.at, AuditRow.changes)
        .where(AuditRow.entity == "account", AuditRow.entity_id.in_(account_ids))
        .order_by(AuditRow.id)
    )
    history: dict[int, list[ArrChange]] = {}
    for account_id, at, changes in (await session.execute(query)).all():
        arr = (changes or {}).get("arr")
        if arr:
            history.setdefault(account_id, []).append(ArrChange(at, _int(arr[0]), _int(arr[1])))
    rows = await session.execute(
        select(AccountRow.id, AccountRow.arr).where(AccountRow.id.in_(account_ids))
    )
    return history, {account_id: arr for account_id, arr in rows.all()}


def _int(value: object) -> int | None:
    return int(str(value)) if value is not None else None


async def deals(session: AsyncSession, start: date, end: date) -> list[Deal]:
    """iARR deals from `start` to `end` inclusive, of active accounts (as the north star)."""
    query = (
        select(IarrEventRow.account_id, IarrEventRow.day, IarrEventRow.amount, IarrEventRow.kind)
        .join(AccountRow, AccountRow.id == IarrEventRow.account_id)
        .where(IarrEventRow.day.between(start, end), AccountRow.archived_at.is_(None))
    )
    return [
        Deal(account_id, day, int(amount), IarrKind(kind))
        for account_id, day, amount, kind in (await session.execute(query)).all()
    ]
