"""Renewals: the contracts ending soon, and what an AE decides on the end date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.deps import Deps
from bot.domain.accounts import Account, AccountDraft, PartnerStatus, may_manage
from bot.domain.health import Status
from bot.domain.journey import State
from bot.domain.renewals import validate_new_end
from bot.errors import FieldErrors, NotAllowed, UserError
from bot.services.health import portfolio
from bot.services.journey import all_journeys
from storage import accounts as account_store
from storage.models import AccountRow


@dataclass(frozen=True)
class Renewal:
    account: Account
    days_left: int
    health: Status | None
    planning: State | None
    """The state of the renewal-planning activity; None when the journey has none."""


async def upcoming_renewals(deps: Deps, within_days: int) -> list[Renewal]:
    """Contracts ending within `within_days` (today included), soonest first."""
    today = deps.today()
    health = {i.account.id: i.health.status for i in await portfolio(deps, today)}
    found = []
    for journey in await all_journeys(deps):
        end = journey.contract_end
        if not today <= end <= today + timedelta(days=within_days):
            continue
        planning = [i.state for i in journey.items if i.activity.key.startswith("renewal-planning")]
        found.append(
            Renewal(
                journey.account,
                (end - today).days,
                health.get(journey.account.id),
                planning[-1] if planning else None,
            )
        )
    return sorted(found, key=lambda r: (r.days_left, r.account.name))


async def _decidable(deps: Deps, account_id: int, contract_end: date, user_id: str) -> AccountRow:
    """The account, if `user_id` may decide its renewal and the click is about its current end."""
    async with deps.db.session() as session:
        row = await session.get(AccountRow, account_id)
    if row is None:
        raise UserError("That account no longer exists.")
    account = account_store.to_account(row)
    if not may_manage(account, user_id, deps.settings.team.admins):
        raise NotAllowed(f"Only {account.name}'s AE, its other owners or a team admin can decide.")
    if account.contract_end != contract_end:
        raise UserError(
            f"{account.name}'s contract already ends on {account.contract_end}; nothing changed."
        )
    return row


async def check_decidable(deps: Deps, account_id: int, contract_end: date, user_id: str) -> Account:
    return account_store.to_account(await _decidable(deps, account_id, contract_end, user_id))


async def renew(
    deps: Deps, account_id: int, contract_end: date, new_end: date | None, user_id: str
) -> Account:
    """The contract continues from the day after the old end to `new_end`; audited."""
    await _decidable(deps, account_id, contract_end, user_id)
    problem = validate_new_end(contract_end, new_end)
    if problem:
        raise FieldErrors({"new_end": problem})
    return await _change(
        deps,
        account_id,
        user_id,
        "renewal.renewed",
        contract_start=contract_end + timedelta(days=1),
        contract_end=new_end,
    )


async def churn(deps: Deps, account_id: int, contract_end: date, user_id: str) -> Account:
    """The customer did not renew: the account is marked churned (logo retention counts it)."""
    await _decidable(deps, account_id, contract_end, user_id)
    return await _change(
        deps, account_id, user_id, "renewal.churned", partner_status=PartnerStatus.CHURNED
    )


async def _change(
    deps: Deps, account_id: int, user_id: str, action: str, **fields: object
) -> Account:
    async with deps.db.session() as session:
        row = await session.get(AccountRow, account_id)
        assert row is not None
        current = account_store.to_account(row)
        own = current.model_dump(include=set(AccountDraft.model_fields))
        draft = AccountDraft.model_validate(own | fields)
        await account_store.update(
            session, row, draft, actor=user_id, at=deps.clock(), action=action
        )
        return account_store.to_account(row)
