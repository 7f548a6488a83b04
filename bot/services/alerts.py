"""Acknowledging a health alert: once, by someone responsible, and only the current one."""

from __future__ import annotations

from datetime import datetime

from bot.deps import Deps
from bot.domain.accounts import may_manage
from bot.errors import NotAllowed, UserError
from bot.metadata import HealthAck
from storage import accounts as account_store
from storage import health as store
from storage.models import AccountRow


async def acknowledge(deps: Deps, ack: HealthAck, user_id: str) -> datetime:
    """When it was taken; a stale, repeated or unauthorised click changes nothing."""
    at = deps.clock()
    async with deps.db.session() as session:
        row = await session.get(AccountRow, ack.account_id)
        if row is None:
            raise UserError("That account no longer exists.")
        account = account_store.to_account(row)
        if not may_manage(account, user_id, deps.settings.team.admins):
            raise NotAllowed(f"Only {account.name}'s owners or a team admin can acknowledge this.")
        if not await store.acknowledge(session, ack.account_id, ack.status, user_id, at):
            state = await store.alert_state(session, ack.account_id)
            if state is None or state.status != ack.status:
                now = state.status if state else "unknown"
                raise UserError(f"This alert is out of date: {account.name} is now {now}.")
            raise UserError(
                f"<@{state.acknowledged_by}> already acknowledged this alert; nothing changed."
            )
        account_store.audit(
            session,
            at=at,
            actor=user_id,
            action="health.acknowledge",
            account_id=ack.account_id,
            changes={"status": [None, ack.status]},
        )
    return at
