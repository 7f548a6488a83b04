"""Health history and alert state: what the daily health job remembers between runs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.alerts import AlertState, status_of
from bot.domain.health import Status
from storage.models import HealthAlertRow, HealthDayRow
from storage.upsert import upsert_many


def _state(row: HealthAlertRow) -> AlertState:
    return AlertState(status_of(row.status), row.since, row.acknowledged_by)


async def alert_states(session: AsyncSession) -> dict[int, AlertState]:
    rows = (await session.execute(select(HealthAlertRow))).scalars()
    return {row.account_id: _state(row) for row in rows}


async def save_alert_states(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """A new status clears the acknowledgement: the next change must be taken again."""
    fresh = [row | {"acknowledged_by": None, "acknowledged_at": None} for row in rows]
    await upsert_many(session, HealthAlertRow, fresh, ["account_id"])


async def record_day(session: AsyncSession, day: date, statuses: dict[int, str]) -> None:
    rows = [{"account_id": a, "day": day, "status": s} for a, s in statuses.items()]
    await upsert_many(session, HealthDayRow, rows, ["account_id", "day"])


async def statuses_on(session: AsyncSession, day: date) -> dict[int, Status | None]:
    """Every account's recorded status of `day`; an account absent was not recorded."""
    query = select(HealthDayRow.account_id, HealthDayRow.status).where(HealthDayRow.day == day)
    return {account_id: status_of(label) for account_id, label in await session.execute(query)}


async def history(session: AsyncSession, account_id: int) -> list[tuple[date, str]]:
    """The account's recorded (day, status label) history, oldest first."""
    query = select(HealthDayRow.day, HealthDayRow.status).where(
        HealthDayRow.account_id == account_id
    )
    return [(day, label) for day, label in await session.execute(query.order_by(HealthDayRow.day))]


async def acknowledge(
    session: AsyncSession, account_id: int, status: str, user: str, at: datetime
) -> bool:
    """Take the alert, if it is still the current one and nobody took it yet."""
    statement = (
        update(HealthAlertRow)
        .where(
            HealthAlertRow.account_id == account_id,
            HealthAlertRow.status == status,
            HealthAlertRow.acknowledged_by.is_(None),
        )
        .values(acknowledged_by=user, acknowledged_at=at)
    )
    return bool((await session.execute(statement)).rowcount)  # type: ignore[attr-defined]


async def alert_state(session: AsyncSession, account_id: int) -> AlertState | None:
    row = await session.get(HealthAlertRow, account_id)
    return _state(row) if row else None
