"""The accounts registry: add, edit, archive, look up (seed 001: strategic accounts list)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.domain.accounts import Account, AccountDraft, close_names, may_manage
from bot.errors import FieldErrors, NotAllowed, NotFound, UserError
from storage import accounts as store
from storage.models import AccountRow


async def list_accounts(deps: Deps) -> list[Account]:
    async with deps.db.session() as session:
        return await store.list_accounts(session)


async def get_account(deps: Deps, name: str) -> Account:
    async with deps.db.session() as session:
        return store.to_account(await require_row(session, name))


async def create_account(deps: Deps, draft: AccountDraft, actor: str) -> Account:
    async with _unique_name(draft.name), deps.db.session() as session:
        await _name_free(session, draft.name)
        row = await store.insert(
            session, draft, actor=actor, at=deps.clock(), action="account.create"
        )
        return store.to_account(row)


async def edit_account(deps: Deps, account_id: int, draft: AccountDraft, actor: str) -> Account:
    async with _unique_name(draft.name), deps.db.session() as session:
        row = await session.get(AccountRow, account_id)
        if row is None:
            raise NotFound("That account no longer exists.")
        _check_may_manage(deps, store.to_account(row), actor)
        await _name_free(session, draft.name, except_id=account_id)
        await store.update(session, row, draft, actor=actor, at=deps.clock(), action="account.edit")
        return store.to_account(row)


@asynccontextmanager
async def _unique_name(name: str) -> AsyncIterator[None]:
    """The name check and the write are two statements: a twin saved in between loses here."""
    try:
        yield
    except IntegrityError:
        raise FieldErrors(
            {"name": f"An account named {name} was just added by someone else."}
        ) from None


async def account_for_edit(deps: Deps, name: str, actor: str) -> Account:
    """The account to prefill the edit modal with, refusing before the modal opens."""
    account = await get_account(deps, name)
    _check_may_manage(deps, account, actor)
    return account


async def archive_account(deps: Deps, name: str, actor: str) -> Account:
    async with deps.db.session() as session:
        row = await require_row(session, name)
        account = store.to_account(row)
        _check_may_manage(deps, account, actor)
        if account.archived:
            raise UserError(f"{account.name} is already archived; nothing changed.")
        await store.archive(session, row, actor=actor, at=deps.clock())
        return store.to_account(row)


def _check_may_manage(deps: Deps, account: Account, actor: str) -> None:
    admins = deps.settings.team.admins
    if not may_manage(account, actor, admins):
        raise NotAllowed(
            f"Only {account.name}'s owners or a team admin can change it; "
            "ask one of them, or an admin to add you as an owner."
        )


async def require_row(session: AsyncSession, name: str) -> AccountRow:
    """The account's row, or NotFound suggesting close names."""
    row = await store.find_row(session, name)
    if row is not None:
        return row
    suggestions = close_names(name, await store.all_names(session))
    hint = f" Did you mean {' or '.join(f'*{s}*' for s in suggestions)}?" if suggestions else ""
    raise NotFound(f"No account is named *{name}*.{hint} `/strategic account list` shows them all.")


async def _name_free(session: AsyncSession, name: str, except_id: int | None = None) -> None:
    row = await store.find_row(session, name)
    if row is not None and row.id != except_id:
        archived = " (archived)" if row.archived_at else ""
        raise FieldErrors({"name": f"An account named {row.name}{archived} already exists."})
