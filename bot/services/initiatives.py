"""Strategy initiatives (seed 001): added by anyone on the team, moved along by their
owner or an admin, each change audited; the reminders the job sends their owners."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import phrases
from bot.deps import Deps
from bot.domain.initiatives import (
    Initiative,
    InitiativeDraft,
    InitiativeStatus,
    Reminder,
    reminder_due,
)
from bot.errors import NotFound, UserError
from bot.services.guard import require_owner
from bot.services.replays import once
from storage import initiatives as store
from storage.audit import record

ENTITY = "initiative"
"""The audit log's entity for an initiative's changes."""


async def list_initiatives(deps: Deps) -> list[Initiative]:
    """Every initiative, soonest due first."""
    async with deps.db.session() as session:
        return await store.all_initiatives(session)


async def add_initiative(deps: Deps, draft: InitiativeDraft, actor: str) -> Initiative:
    """Stored not started, once per request (a replay adds nothing); audited."""
    at = deps.clock()
    async with deps.db.session() as session:
        await once(session, deps)
        initiative = await store.add(session, draft, actor, at)
        changes = {k: [None, str(v)] for k, v in draft.model_dump().items()}
        _audit(session, initiative.id, "initiative.add", actor, at, changes)
        return initiative


async def change_status(
    deps: Deps, initiative_id: int, status: InitiativeStatus, actor: str
) -> Initiative:
    """By its owner or an admin (checked here, in the transaction that writes it); a status
    it already has is said so, nothing written."""
    at = deps.clock()
    async with deps.db.session() as session:
        await once(session, deps)
        initiative = await store.get(session, initiative_id)
        if initiative is None:
            raise NotFound(phrases.INITIATIVE_GONE)
        require_owner(
            deps.settings, actor, initiative.owner, phrases.not_initiative_owner(initiative.owner)
        )
        if initiative.status is status:
            raise UserError(phrases.initiative_already(initiative.title, status.value))
        changed = await store.set_status(session, initiative_id, status, at)
        changes = {"status": [initiative.status.value, status.value]}
        _audit(session, initiative_id, "initiative.status", actor, at, changes)
        return changed


def _audit(
    session: AsyncSession,
    initiative_id: int,
    action: str,
    actor: str,
    at: datetime,
    changes: Mapping[str, Sequence[str | None]],
) -> None:
    record(
        session,
        at=at,
        actor=actor,
        action=action,
        entity=ENTITY,
        entity_id=initiative_id,
        changes={k: list(v) for k, v in changes.items()},
    )


@dataclass(frozen=True)
class DueReminder:
    initiative: Initiative
    kind: Reminder


async def reminders_due(deps: Deps, today: date) -> list[DueReminder]:
    """Each initiative's reminder owed today (bot.domain.initiatives), none twice for one
    due date."""
    async with deps.db.session() as session:
        initiatives = await store.all_initiatives(session)
        sent = await store.reminded(session)
    due = []
    for initiative in initiatives:
        kind = reminder_due(initiative, today, sent.get((initiative.id, initiative.due), set()))
        if kind is not None:
            due.append(DueReminder(initiative, kind))
    return due


async def remember_reminders(
    session: AsyncSession, due: list[DueReminder], occurrence: datetime
) -> None:
    """Written with the occurrence's claim: queued and remembered, or neither."""
    for reminder in due:
        initiative = reminder.initiative
        await store.record_reminder(
            session, initiative.id, initiative.due, reminder.kind, occurrence
        )
