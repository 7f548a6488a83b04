"""OKRs: objectives, key results and their check-ins, handed out as domain objects."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.okrs import Checkin, KeyResult, KeyResultDraft, Measure, Status, StoredKeyResult
from storage.models import AccountRow, AuditRow, OkrCheckinRow, OkrKeyResultRow, OkrObjectiveRow

PLAN_FIELDS = ("owner", "start", "target", "unit", "measure", "position")
"""What an import may change on a key result it finds again; where it stands (current,
status) moves only with check-ins."""


def _key_result(row: OkrKeyResultRow) -> KeyResult:
    return KeyResult(
        id=row.id,
        title=row.title,
        owner=row.owner,
        start=row.start,
        target=row.target,
        current=row.current,
        unit=row.unit,
        status=Status(row.status),
        measure=Measure(row.measure) if row.measure else None,
    )


@dataclass(frozen=True)
class ObjectiveRef:
    id: int
    team: str
    title: str


async def objectives_of(session: AsyncSession, quarter: str) -> dict[tuple[str, str], int]:
    """The quarter's objectives by (team key, title), for an import to find them again."""
    query = select(OkrObjectiveRow.team_key, OkrObjectiveRow.title, OkrObjectiveRow.id).where(
        OkrObjectiveRow.quarter == quarter
    )
    return {(k, t): i for k, t, i in (await session.execute(query)).all()}


async def add_objective(
    session: AsyncSession,
    quarter: str,
    team: str,
    team_key: str,
    title: str,
    position: int,
    at: datetime,
) -> int:
    row = OkrObjectiveRow(
        quarter=quarter, team=team, team_key=team_key, title=title, position=position, created_at=at
    )
    session.add(row)
    await session.flush()
    return row.id


async def key_results_of(
    session: AsyncSession, objective_ids: Iterable[int]
) -> dict[tuple[int, str], OkrKeyResultRow]:
    """The key results of these objectives by (objective id, title), to change in place."""
    ids = list(objective_ids)
    if not ids:
        return {}
    query = select(OkrKeyResultRow).where(OkrKeyResultRow.objective_id.in_(ids))
    return {(r.objective_id, r.title): r for r in (await session.execute(query)).scalars()}


def plan_values(draft: KeyResultDraft, position: int) -> dict[str, Any]:
    """A key result's plan as its columns hold it."""
    return {
        "owner": draft.owner,
        "start": draft.start,
        "target": draft.target,
        "unit": draft.unit,
        "measure": draft.measure.value if draft.measure else None,
        "position": position,
    }


async def add_key_result(
    session: AsyncSession, objective_id: int, draft: KeyResultDraft, position: int, at: datetime
) -> int:
    """A new key result starts at its start value, on track."""
    row = OkrKeyResultRow(
        objective_id=objective_id,
        title=draft.title,
        current=draft.start,
        status=Status.ON_TRACK.value,
        created_at=at,
        updated_at=at,
        **plan_values(draft, position),
    )
    session.add(row)
    await session.flush()
    return row.id


def change_plan(row: OkrKeyResultRow, values: dict[str, Any], at: datetime) -> dict[str, list[Any]]:
    """Apply what differs; field -> [old, new] for the audit log (empty: nothing changed)."""
    changes = {k: [getattr(row, k), v] for k, v in values.items() if getattr(row, k) != v}
    for key, (_old, new) in changes.items():
        setattr(row, key, new)
    if changes:
        row.updated_at = at
    return changes


async def quarter_okrs(
    session: AsyncSession, quarter: str
) -> list[tuple[str, str, list[KeyResult]]]:
    """(team, objective, its key results) of the quarter, in the order they were written."""
    query = (
        select(OkrObjectiveRow, OkrKeyResultRow)
        .outerjoin(OkrKeyResultRow, OkrKeyResultRow.objective_id == OkrObjectiveRow.id)
        .where(OkrObjectiveRow.quarter == quarter)
        .order_by(
            OkrObjectiveRow.team_key,
            OkrObjectiveRow.position,
            OkrObjectiveRow.id,
            OkrKeyResultRow.position,
            OkrKeyResultRow.id,
        )
    )
    found: dict[int, tuple[str, str, list[KeyResult]]] = {}
    for objective, kr in (await session.execute(query)).all():
        entry = found.setdefault(objective.id, (objective.team, objective.title, []))
        if kr is not None:
            entry[2].append(_key_result(kr))
    return list(found.values())


async def quarters(session: AsyncSession) -> list[str]:
    """The quarters that have OKRs."""
    query = select(OkrObjectiveRow.quarter).distinct()
    return sorted((await session.execute(query)).scalars())


async def get(
    session: AsyncSession, key_result_id: int, lock: bool = False
) -> StoredKeyResult | None:
    query = (
        select(OkrKeyResultRow, OkrObjectiveRow)
        .join(OkrObjectiveRow, OkrObjectiveRow.id == OkrKeyResultRow.objective_id)
        .where(OkrKeyResultRow.id == key_result_id)
    )
    if lock:
        query = query.with_for_update(of=OkrKeyResultRow)
    found = (await session.execute(query)).first()
    if found is None:
        return None
    kr, objective = found
    return StoredKeyResult(_key_result(kr), objective.title, objective.team, objective.quarter)


async def record_checkin(
    session: AsyncSession, key_result_id: int, checkin: Checkin
) -> dict[str, list[Any]]:
    """Keep the check-in and move the key result to it; field -> [old, new]."""
    row = await session.get(OkrKeyResultRow, key_result_id)
    assert row is not None
    session.add(
        OkrCheckinRow(
            key_result_id=key_result_id,
            at=checkin.at,
            author=checkin.author,
            value=checkin.value,
            status=checkin.status.value,
            note=checkin.note,
        )
    )
    values = {"current": checkin.value, "status": checkin.status.value}
    return change_plan(row, values, checkin.at)


async def checkins(session: AsyncSession, key_result_id: int) -> list[Checkin]:
    """Oldest first."""
    query = (
        select(OkrCheckinRow)
        .where(OkrCheckinRow.key_result_id == key_result_id)
        .order_by(OkrCheckinRow.id)
    )
    return [
        Checkin(r.at, r.author, r.value, Status(r.status), r.note)
        for r in (await session.execute(query)).scalars()
    ]


async def first_checkins(session: AsyncSession, key_result_ids: list[int]) -> dict[int, float]:
    """The value of each key result's first check-in, where it has one."""
    if not key_result_ids:
        return {}
    first = (
        select(func.min(OkrCheckinRow.id))
        .where(OkrCheckinRow.key_result_id.in_(key_result_ids))
        .group_by(OkrCheckinRow.key_result_id)
    )
    query = select(OkrCheckinRow.key_result_id, OkrCheckinRow.value).where(
        OkrCheckinRow.id.in_(first)
    )
    return {k: v for k, v in (await session.execute(query)).all()}


async def renewal_decisions(
    session: AsyncSession, actions: set[str], since: datetime
) -> list[tuple[str, date | None]]:
    """Each renewal decided since `since`, with the contract end it decided: the old end of
    a renewal (its audit entry moves it), the account's end for a churn (unchanged)."""
    query = (
        select(AuditRow.action, AuditRow.changes, AccountRow.contract_end)
        .outerjoin(AccountRow, AccountRow.id == AuditRow.entity_id)
        .where(AuditRow.entity == "account", AuditRow.action.in_(actions), AuditRow.at >= since)
    )
    found = []
    for action, changes, account_end in (await session.execute(query)).all():
        moved = (changes or {}).get("contract_end")
        end = account_end
        if moved and moved[0]:
            end = date.fromisoformat(str(moved[0]))
        found.append((action, end))
    return found
