"""The one guard: a use case that acts on an account gets it from here, or our error.

Every state-changing use case calls it inside its own transaction — at a button click,
at a modal's submit (never only when the modal opened: a submit can be forged) and in
commands — so "load it, it may be gone, may this person act on it" is decided once.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import phrases
from bot.blocks.phrases import NEED_ACTS, Act
from bot.config import Settings
from bot.domain.accounts import Account, close_names, may_manage
from bot.domain.team import may_administer
from bot.errors import NotAllowed, NotFound
from storage import accounts as store

ADMINS_ONLY = frozenset({Act.ADD, Act.ARCHIVE})
"""Acts on the registry itself, not on one account's work: its owners do not decide them."""


async def account_named(session: AsyncSession, name: str) -> Account:
    """The account a person named, or NotFound suggesting close names."""
    account = await store.find(session, name)
    if account is not None:
        return account
    suggestions = close_names(name, await store.all_names(session))
    raise NotFound(phrases.no_such_account(name, suggestions))


async def authorized(
    session: AsyncSession, settings: Settings, target: int | str, user_id: str, act: Act
) -> Account:
    """The account (by id from a button or a modal, by name from a command) if `user_id`
    may `act` on it; NotFound when it is gone, NotAllowed saying who may."""
    if isinstance(target, str):
        account = await account_named(session, target)
    else:
        account = await account_by_id(session, target)
    require(settings, user_id, act, account)
    return account


async def account_by_id(session: AsyncSession, account_id: int) -> Account:
    """The account a button or a modal names, or NotFound when it is gone. For what every
    member may do about any account (its weekly update entry); the rest goes through
    `authorized`."""
    account = await store.get(session, account_id)
    if account is None:
        raise NotFound(phrases.ACCOUNT_GONE)
    return account


def require(settings: Settings, user_id: str, act: Act, account: Account | None = None) -> None:
    """NotAllowed, saying who may, unless `user_id` may `act` (on `account`: adding has none)."""
    if not may(settings, account, user_id, act):
        raise NotAllowed(phrases.not_allowed(account.name if account else "", act))


def may(settings: Settings, account: Account | None, user_id: str, act: Act) -> bool:
    """Admins add and archive accounts; owners and admins act on one; a team may open its
    journey to everyone; the EM and admins post the weekly update; the product owner
    acts on every account's needs. With no admins named, the whole team is trusted."""
    if act in (Act.POST_UPDATE, Act.EDIT_DRAFT):
        return user_id == settings.team.em or may_administer(user_id, settings.team.admins)
    if act in ADMINS_ONLY or account is None:
        return may_administer(user_id, settings.team.admins)
    if act is Act.MARK_JOURNEY and settings.journey.mark_done_by == "anyone":
        return True
    if act in NEED_ACTS and settings.team.product_owner and user_id == settings.team.product_owner:
        return True
    return may_manage(account, user_id, settings.team.admins)


def require_owner(settings: Settings, user_id: str, owner: str, refusal: str) -> None:
    """What one person owns rather than an account (a strategy initiative): its owner and
    the admins act on it (with no admins named, the whole team is trusted); NotAllowed
    with `refusal` otherwise."""
    if user_id != owner and not may_administer(user_id, settings.team.admins):
        raise NotAllowed(refusal)


def sees_sensitive(settings: Settings, account: Account, viewer: str | None) -> bool:
    """ARR and contract values: to the account's owners and admins; in a channel post
    (`viewer` None) only when the team turned sensitive figures on for channels."""
    if viewer is None:
        return settings.team.show_sensitive_in_channels
    return may_manage(account, viewer, settings.team.admins)
