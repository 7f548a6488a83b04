"""Weekly update entries: the accounts to write about, an entry written or changed, and
a week's entries with how long each blocker has stood."""

from __future__ import annotations

from bot.blocks import phrases
from bot.deps import Deps
from bot.domain.accounts import Account, name_key
from bot.domain.updates import EntryDraft, UpdateEntry, Week, week_of
from bot.errors import FieldErrors
from bot.services import weekly
from bot.services.guard import account_by_id
from bot.services.replays import once
from storage import accounts as account_store
from storage import updates


async def accounts_to_write_about(deps: Deps) -> list[Account]:
    """The active accounts, by name: the entry modal's choices."""
    async with deps.db.session() as session:
        accounts = await account_store.list_accounts(session)
    return sorted(accounts, key=lambda a: name_key(a.name))


async def save_entry(deps: Deps, draft: EntryDraft, author: str) -> tuple[UpdateEntry, bool]:
    """The author's entry of this week (team time) about the account or the team, and
    whether it changed one written before. Every member writes about any account: the
    account is only checked to exist and be active, here at submit. After the week's
    post went out, the entry follows it there, in the same transaction."""
    week = week_of(deps.today())
    context = await weekly.post_context(deps, week)
    async with deps.db.session() as session:
        await once(session, deps)
        if draft.account_id is not None:
            account = await account_by_id(session, draft.account_id)
            if account.archived:
                raise FieldErrors({"account": phrases.archived_no_update(account.name)})
        before = await updates.find(session, week, author, draft.account_id)
        entry = await updates.save(session, week, author, draft, deps.clock())
        await weekly.follow(session, deps, context, entry)
    return entry, before is not None


async def week_entries(deps: Deps, week: Week) -> tuple[list[UpdateEntry], dict[int, int]]:
    """The week's entries in the order shown, and, by entry id, how many weeks in a row
    each blocker has stood (`open_weeks`)."""
    async with deps.db.session() as session:
        return await updates.of_week_standing(session, week)
