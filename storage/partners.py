"""Nominations, their votes and the figures of the success gate; rows go out as domain objects.

The decision is taken here, in the database: `decide` moves a nomination out of pending by
a conditional UPDATE, so of two decisive votes arriving at once exactly one wins, on SQLite
and PostgreSQL alike. `get(..., lock=True)` also takes the nomination's row lock on
PostgreSQL, so votes on one nomination are counted one transaction after the other (SQLite
writers are serialized by the database lock that `once` takes first).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.accounts import PartnerStatus
from bot.domain.audit import AuditEntry
from bot.domain.partners import (
    Ballot,
    Level,
    Nomination,
    NominationDraft,
    PartnerFigures,
    State,
    Vote,
)
from storage.audit import record
from storage.metrics import figures_as_of
from storage.models import AccountRow, AuditRow, IarrEventRow, NominationRow, NominationVoteRow
from storage.upsert import upsert_many

ENTITY = "nomination"


def _nomination(row: NominationRow, company: str, ballots: tuple[Ballot, ...]) -> Nomination:
    return Nomination(
        id=row.id,
        account_id=row.account_id,
        company=company,
        nominator=row.nominator,
        strategic_segment=row.strategic_segment,
        co_market=Level(row.co_market),
        new_industry=row.new_industry,
        related_market=row.related_market,
        vision=Level(row.vision),
        rationale=row.rationale,
        state=State(row.state),
        created_at=row.created_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        reason=row.reason,
        overridden=row.overridden,
        ballots=ballots,
    )


async def insert(
    session: AsyncSession, draft: NominationDraft, account_id: int, nominator: str, at: datetime
) -> Nomination:
    row = NominationRow(
        account_id=account_id,
        nominator=nominator,
        strategic_segment=draft.strategic_segment,
        co_market=draft.co_market.value,
        new_industry=draft.new_industry,
        related_market=draft.related_market,
        vision=draft.vision.value,
        rationale=draft.rationale,
        state=State.PENDING.value,
        created_at=at,
        overridden=False,
    )
    session.add(row)
    await session.flush()
    return _nomination(row, draft.company, ())


async def get(session: AsyncSession, nomination_id: int, lock: bool = False) -> Nomination | None:
    """The nomination with its votes; `lock`: hold its row until the transaction ends."""
    query = (
        select(NominationRow, AccountRow.name)
        .join(AccountRow, AccountRow.id == NominationRow.account_id)
        .where(NominationRow.id == nomination_id)
    )
    if lock:
        query = query.with_for_update(of=NominationRow)
    found = (await session.execute(query)).first()
    if found is None:
        return None
    row, company = found
    return _nomination(row, company, (await _ballots(session, [row.id])).get(row.id, ()))


async def listing(
    session: AsyncSession, states: Collection[State] | None = None
) -> list[Nomination]:
    """Nominations, newest first; of `states` only, when given."""
    query = select(NominationRow, AccountRow.name).join(
        AccountRow, AccountRow.id == NominationRow.account_id
    )
    if states is not None:
        query = query.where(NominationRow.state.in_([s.value for s in states]))
    rows = (await session.execute(query.order_by(NominationRow.id.desc()))).all()
    ballots = await _ballots(session, [row.id for row, _ in rows])
    return [_nomination(row, company, ballots.get(row.id, ())) for row, company in rows]


async def pending_of(session: AsyncSession, account_id: int) -> Nomination | None:
    query = select(NominationRow.id).where(
        NominationRow.account_id == account_id, NominationRow.state == State.PENDING.value
    )
    found = (await session.execute(query.limit(1))).scalar_one_or_none()
    return None if found is None else await get(session, found)


async def _ballots(session: AsyncSession, ids: list[int]) -> dict[int, tuple[Ballot, ...]]:
    if not ids:
        return {}
    query = (
        select(NominationVoteRow)
        .where(NominationVoteRow.nomination_id.in_(ids))
        .order_by(NominationVoteRow.at, NominationVoteRow.approver)
    )
    found: dict[int, list[Ballot]] = {}
    for row in (await session.execute(query)).scalars():
        ballot = Ballot(row.approver, Vote(row.vote), row.at, row.reason)
        found.setdefault(row.nomination_id, []).append(ballot)
    return {key: tuple(value) for key, value in found.items()}


async def cast_vote(
    session: AsyncSession,
    nomination_id: int,
    approver: str,
    vote: Vote,
    reason: str | None,
    at: datetime,
) -> None:
    """The approver's vote, replacing the one they cast before."""
    row = {
        "nomination_id": nomination_id,
        "approver": approver,
        "vote": vote.value,
        "reason": reason,
        "at": at,
    }
    await upsert_many(session, NominationVoteRow, [row], ["nomination_id", "approver"])


async def close(
    session: AsyncSession,
    nomination_id: int,
    state: State,
    by: str,
    at: datetime,
    reason: str | None = None,
    overridden: bool = False,
) -> bool:
    """Move the nomination out of pending, if it still is: True for the one call that did."""
    statement = (
        update(NominationRow)
        .where(NominationRow.id == nomination_id, NominationRow.state == State.PENDING.value)
        .values(
            state=state.value, decided_by=by, decided_at=at, reason=reason, overridden=overridden
        )
    )
    return bool((await session.execute(statement)).rowcount)  # type: ignore[attr-defined]


def audit(
    session: AsyncSession,
    nomination_id: int,
    action: str,
    actor: str,
    at: datetime,
    changes: dict[str, Any],
    note: str | None = None,
) -> None:
    """An audit entry about a nomination, in the caller's transaction."""
    record(
        session,
        at=at,
        actor=actor,
        action=action,
        entity=ENTITY,
        entity_id=nomination_id,
        changes=changes,
        note=note,
    )


async def audit_trail(session: AsyncSession, nomination_id: int) -> list[AuditEntry]:
    query = (
        select(AuditRow)
        .where(AuditRow.entity == ENTITY, AuditRow.entity_id == nomination_id)
        .order_by(AuditRow.id)
    )
    return [
        AuditEntry(row.at, row.actor, row.action, row.changes, row.note)
        for row in (await session.execute(query)).scalars()
    ]


async def partner_figures(session: AsyncSession, day: date) -> list[PartnerFigures]:
    """Every active partner account's gate figures as of `day`: completions over the usage
    window and the newest assistant DAU (as health reads them), and all iARR realized."""
    query = select(AccountRow.id, AccountRow.name).where(
        AccountRow.partner_status == PartnerStatus.PARTNER.value,
        AccountRow.archived_at.is_(None),
    )
    partners: dict[int, str] = {row[0]: row[1] for row in await session.execute(query)}
    if not partners:
        return []
    usage = await figures_as_of(session, day, list(partners))
    sums = (
        select(IarrEventRow.account_id, func.coalesce(func.sum(IarrEventRow.amount), 0))
        .where(IarrEventRow.account_id.in_(list(partners)), IarrEventRow.day <= day)
        .group_by(IarrEventRow.account_id)
    )
    iarr = {account_id: int(total) for account_id, total in await session.execute(sums)}
    return [
        PartnerFigures(
            account_id=account_id,
            name=name,
            shown=usage[account_id].completions_shown,
            accepted=usage[account_id].completions_accepted,
            iarr=iarr.get(account_id, 0),
            assistant_dau=usage[account_id].assistant_dau,
            available_developers=usage[account_id].available_developers,
        )
        for account_id, name in partners.items()
    ]


async def move_status(
    session: AsyncSession,
    account_id: int,
    to: PartnerStatus,
    allowed_from: Collection[PartnerStatus],
    at: datetime,
) -> PartnerStatus | None:
    """Set the account's partner status if it is one of `allowed_from`, by a conditional
    UPDATE (two nominations of one company at once: one moves it); the status it had, or
    None when it had none of those."""
    before = (
        await session.execute(select(AccountRow.partner_status).where(AccountRow.id == account_id))
    ).scalar_one_or_none()
    statement = (
        update(AccountRow)
        .where(
            AccountRow.id == account_id,
            AccountRow.partner_status.in_([s.value for s in allowed_from]),
        )
        .values(partner_status=to.value, updated_at=at)
    )
    if before is None or not (await session.execute(statement)).rowcount:  # type: ignore[attr-defined]
        return None
    return PartnerStatus(before)
