"""Journey activities done and renewal reminders sent, per contract of an account."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.journey import DoneMark
from storage.models import JourneyDoneRow, RenewalReminderRow
from storage.upsert import insert_ignoring_conflicts


async def done(
    session: AsyncSession, account_ids: list[int]
) -> dict[tuple[int, date], dict[str, DoneMark]]:
    """Done activities by (account, contract end), then by activity key."""
    query = select(JourneyDoneRow).where(JourneyDoneRow.account_id.in_(account_ids))
    found: dict[tuple[int, date], dict[str, DoneMark]] = {}
    for row in (await session.execute(query)).scalars():
        mark = DoneMark(row.done_by, row.done_at)
        found.setdefault((row.account_id, row.contract_end), {})[row.activity] = mark
    return found


async def mark_done(
    session: AsyncSession,
    account_id: int,
    contract_end: date,
    activity: str,
    user: str,
    at: datetime,
) -> bool:
    """True when this call marked it; False when it was done already."""
    values = {
        "account_id": account_id,
        "contract_end": contract_end,
        "activity": activity,
        "done_by": user,
        "done_at": at,
    }
    return await insert_ignoring_conflicts(
        session, JourneyDoneRow, values, ["account_id", "contract_end", "activity"]
    )


async def reminded(session: AsyncSession) -> dict[tuple[int, date], set[int]]:
    """Windows already reminded (or covered), by (account, contract end)."""
    found: dict[tuple[int, date], set[int]] = {}
    for row in (await session.execute(select(RenewalReminderRow))).scalars():
        found.setdefault((row.account_id, row.contract_end), set()).add(row.window)
    return found


async def record_reminders(
    session: AsyncSession,
    account_id: int,
    contract_end: date,
    windows: dict[int, str],
    at: datetime,
) -> None:
    for window, status in windows.items():
        values = {
            "account_id": account_id,
            "contract_end": contract_end,
            "window": window,
            "status": status,
            "recorded_at": at,
        }
        await insert_ignoring_conflicts(
            session, RenewalReminderRow, values, ["account_id", "contract_end", "window"]
        )
