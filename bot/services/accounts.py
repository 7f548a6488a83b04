"""The accounts registry: add, edit, archive, look up (seed 001: strategic accounts list)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import phrases
from bot.blocks.phrases import Act
from bot.deps import Deps
from bot.domain.accounts import Account, AccountDraft
from bot.errors import FieldErrors, UserError
from bot.services.guard import account_named, authorized, require
from bot.services.replays import once
from storage import accounts as store
from storage.errors import DuplicateName


async def list_accounts(deps: Deps) -> list[Account]:
    async with deps.db.session() as session:
        return await store.list_accounts(session)


async def get_account(deps: Deps, name: str) -> Account:
    async with deps.db.session() as session:
        return await account_named(session, name)


async def create_account(deps: Deps, draft: AccountDraft, actor: str) -> Account:
    """Checked at submit, the modal having opened for anyone: with admins named, only they
    add accounts (an owner names themself in the form, so owners cannot be the check)."""
    require(deps.settings, actor, Act.ADD)
    try:
        async with deps.db.session() as session:
            await once(session, deps)
            await _name_free(session, draft.name)
            return await store.insert(
                session, draft, actor=actor, at=deps.clock(), action="account.create"
            )
    except DuplicateName as exc:
        raise FieldErrors({"name": phrases.name_just_taken(exc.name)}) from None


def check_may_add(deps: Deps, actor: str) -> None:
    """Refuse before the add form opens, as `create_account` does again at its submit."""
    require(deps.settings, actor, Act.ADD)


async def edit_account(deps: Deps, account_id: int, draft: AccountDraft, actor: str) -> Account:
    """Checked again at submit: the modal may have been opened by someone since refused."""
    try:
        async with deps.db.session() as session:
            await once(session, deps)
            await authorized(session, deps.settings, account_id, actor, Act.CHANGE)
            await _name_free(session, draft.name, except_id=account_id)
            account, _changes = await store.update(
                session, account_id, draft, actor=actor, at=deps.clock(), action="account.edit"
            )
            return account
    except DuplicateName as exc:
        raise FieldErrors({"name": phrases.name_just_taken(exc.name)}) from None


async def account_for_edit(deps: Deps, name: str, actor: str) -> Account:
    """The account to prefill the edit modal with, refusing before the modal opens."""
    async with deps.db.session() as session:
        return await authorized(session, deps.settings, name, actor, Act.CHANGE)


async def archive_account(deps: Deps, name: str, actor: str) -> Account:
    async with deps.db.session() as session:
        await once(session, deps)
        account = await authorized(session, deps.settings, name, actor, Act.ARCHIVE)
        if account.archived:
            raise UserError(phrases.already_archived(account.name))
        return await store.archive(session, account.id, actor=actor, at=deps.clock())


async def _name_free(session: AsyncSession, name: str, except_id: int | None = None) -> None:
    other = await store.find(session, name)
    if other is not None and other.id != except_id:
        raise FieldErrors({"name": phrases.name_taken(other.name, other.archived)})
