"""Customer needs and their rollout steps; rows go out as domain objects.

`get(..., lock=True)` takes the need's row lock on PostgreSQL, so two status changes of one
need at the same moment are applied one after the other and each tells its old status
truly (SQLite writers are serialized by the database lock that `once` takes first).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.needs import (
    CLOSED,
    Need,
    NeedDraft,
    NeedKind,
    NeedStatus,
    Priority,
    RolloutStep,
    Step,
)
from storage.models import AccountRow, NeedRow, NeedStepRow


def _need(row: NeedRow, steps: list[NeedStepRow]) -> Need:
    order = {s: i for i, s in enumerate(Step)}
    rollout = sorted(
        (
            RolloutStep(step=Step(s.step), due=s.due, done_by=s.done_by, done_at=s.done_at)
            for s in steps
        ),
        key=lambda s: order[s.step],
    )
    return Need(
        id=row.id,
        account_id=row.account_id,
        kind=NeedKind(row.kind),
        summary=row.summary,
        link=row.link,
        priority=Priority(row.priority),
        status=NeedStatus(row.status),
        raised_by=row.raised_by,
        created_at=row.created_at,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
        steps=tuple(rollout),
    )


async def _with_steps(session: AsyncSession, rows: list[NeedRow]) -> list[Need]:
    if not rows:
        return []
    query = select(NeedStepRow).where(NeedStepRow.need_id.in_([r.id for r in rows]))
    steps: dict[int, list[NeedStepRow]] = {}
    for step in (await session.execute(query)).scalars():
        steps.setdefault(step.need_id, []).append(step)
    return [_need(r, steps.get(r.id, [])) for r in rows]


async def insert(
    session: AsyncSession, account_id: int, draft: NeedDraft, actor: str, at: datetime
) -> Need:
    row = NeedRow(
        account_id=account_id,
        kind=draft.kind.value,
        summary=draft.summary,
        link=draft.link,
        priority=draft.priority.value,
        status=NeedStatus.OPEN.value,
        raised_by=actor,
        created_at=at,
        updated_by=actor,
        updated_at=at,
    )
    session.add(row)
    await session.flush()
    return _need(row, [])


async def get(session: AsyncSession, need_id: int, lock: bool = False) -> Need | None:
    query = select(NeedRow).where(NeedRow.id == need_id)
    if lock:
        query = query.with_for_update(of=NeedRow)
    row = (await session.execute(query)).scalar_one_or_none()
    return (await _with_steps(session, [row]))[0] if row else None


async def of_accounts(
    session: AsyncSession, account_ids: Collection[int] | None = None, open_only: bool = True
) -> list[Need]:
    """The needs of the given accounts (None: every active account), open ones only unless
    told otherwise; archived accounts' needs wait with them."""
    query = (
        select(NeedRow)
        .join(AccountRow, AccountRow.id == NeedRow.account_id)
        .where(AccountRow.archived_at.is_(None))
        .order_by(NeedRow.id)
    )
    if account_ids is not None:
        query = query.where(NeedRow.account_id.in_(list(account_ids)))
    if open_only:
        query = query.where(NeedRow.status.not_in([s.value for s in CLOSED]))
    return await _with_steps(session, list((await session.execute(query)).scalars()))


async def set_status(
    session: AsyncSession, need_id: int, status: NeedStatus, actor: str, at: datetime
) -> None:
    row = await session.get(NeedRow, need_id)
    assert row is not None
    row.status, row.updated_by, row.updated_at = status.value, actor, at
    await session.flush()


async def set_rollout(
    session: AsyncSession, need_id: int, steps: tuple[RolloutStep, ...], actor: str, at: datetime
) -> None:
    """The need's steps replaced by `steps` (each keeping whether it is done)."""
    await session.execute(delete(NeedStepRow).where(NeedStepRow.need_id == need_id))
    session.add_all(
        NeedStepRow(
            need_id=need_id, step=s.step.value, due=s.due, done_by=s.done_by, done_at=s.done_at
        )
        for s in steps
    )
    await _touch(session, need_id, actor, at)


async def mark_step_done(
    session: AsyncSession, need_id: int, step: Step, actor: str, at: datetime
) -> None:
    row = await session.get(NeedStepRow, (need_id, step.value))
    assert row is not None
    row.done_by, row.done_at = actor, at
    await _touch(session, need_id, actor, at)


async def _touch(session: AsyncSession, need_id: int, actor: str, at: datetime) -> None:
    row = await session.get(NeedRow, need_id)
    assert row is not None
    row.updated_by, row.updated_at = actor, at
    await session.flush()
