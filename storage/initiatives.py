"""Strategy initiatives, and the reminders sent to their owners."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.initiatives import (
    Initiative,
    InitiativeDraft,
    InitiativeStatus,
    Reminder,
    soonest_first,
)
from storage.models import InitiativeReminderRow, InitiativeRow
from storage.upsert import insert_ignoring_conflicts


async def all_initiatives(session: AsyncSession) -> list[Initiative]:
    rows = (await session.execute(select(InitiativeRow))).scalars()
    return soonest_first([Initiative.model_validate(r) for r in rows])


async def get(session: AsyncSession, initiative_id: int) -> Initiative | None:
    row = await session.get(InitiativeRow, initiative_id)
    return Initiative.model_validate(row) if row else None


async def add(
    session: AsyncSession, draft: InitiativeDraft, actor: str, at: datetime
) -> Initiative:
    row = InitiativeRow(
        **draft.model_dump(),
        status=InitiativeStatus.NOT_STARTED.value,
        created_by=actor,
        created_at=at,
        updated_at=at,
    )
    session.add(row)
    await session.flush()
    return Initiative.model_validate(row)


async def set_status(
    session: AsyncSession, initiative_id: int, status: InitiativeStatus, at: datetime
) -> Initiative:
    row = await session.get(InitiativeRow, initiative_id, with_for_update=True)
    assert row is not None, "checked by the caller in the same transaction"
    row.status = status.value
    row.updated_at = at
    await session.flush()
    return Initiative.model_validate(row)


async def reminded(session: AsyncSession) -> dict[tuple[int, date], set[Reminder]]:
    """The reminders sent, by initiative and the due date they were about."""
    query = select(
        InitiativeReminderRow.initiative_id, InitiativeReminderRow.due, InitiativeReminderRow.kind
    )
    sent: dict[tuple[int, date], set[Reminder]] = {}
    for initiative_id, due, kind in (await session.execute(query)).all():
        sent.setdefault((initiative_id, due), set()).add(Reminder(kind))
    return sent


async def record_reminder(
    session: AsyncSession, initiative_id: int, due: date, kind: Reminder, at: datetime
) -> None:
    """Once per initiative, due date and kind: a second writer of the same changes nothing."""
    row = {"initiative_id": initiative_id, "due": due, "kind": kind.value, "sent_at": at}
    await insert_ignoring_conflicts(
        session, InitiativeReminderRow, row, ["initiative_id", "due", "kind"]
    )
