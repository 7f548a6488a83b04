"""Reading the audit log: an account's history in Slack, the whole log on the command line.

The log holds old and new values of every field, ARR included, so in Slack it is for the
account's owners and admins (the same people who see its sensitive figures), through the
one guard. The command line is the operator's, who holds the database anyway.
"""

from __future__ import annotations

from datetime import date, datetime, time

from bot.blocks.phrases import Act
from bot.deps import Deps
from bot.domain.audit import AccountHistory, LoggedChange
from bot.services.guard import account_named, authorized
from storage import audit_log

HISTORY_ENTRIES = 20
"""Entries shown in Slack, newest first: each is a section, and a message holds 50 blocks."""


async def account_history(
    deps: Deps, name: str, user_id: str, limit: int = HISTORY_ENTRIES
) -> AccountHistory:
    """NotFound for an unknown name, NotAllowed for someone not its owner nor an admin."""
    async with deps.db.session() as session:
        account = await authorized(session, deps.settings, name, user_id, Act.SEE_HISTORY)
        logged = await audit_log.changes(session, account_id=account.id, limit=limit)
        total = await audit_log.count(session, account.id)
    return AccountHistory(account, [c.entry for c in logged], total)


async def audit_log_entries(
    deps: Deps, account: str | None = None, since: date | None = None, limit: int | None = None
) -> list[LoggedChange]:
    """Newest first; `since` is a day in the team's time zone, from its midnight on."""
    start = datetime.combine(since, time(), deps.settings.team.zone) if since else None
    async with deps.db.session() as session:
        account_id = (await account_named(session, account)).id if account else None
        return await audit_log.changes(session, account_id=account_id, since=start, limit=limit)
