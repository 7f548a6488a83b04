"""Each account's customer journey (seed 002): its activities, their states, marking done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.deps import Deps
from bot.domain.accounts import Account, may_manage
from bot.domain.contract import NoSchedule
from bot.domain.journey import Activity, State, journey, state
from bot.errors import NotAllowed, UserError
from bot.services.accounts import get_account
from storage import accounts as account_store
from storage import journey as store
from storage.models import AccountRow, JourneyDoneRow


@dataclass(frozen=True)
class JourneyItem:
    activity: Activity
    state: State
    done_by: str | None = None
    done_at: datetime | None = None


@dataclass(frozen=True)
class AccountJourney:
    account: Account
    items: list[JourneyItem]

    @property
    def contract_end(self) -> date:
        assert self.account.contract_end is not None  # a journey exists only with one
        return self.account.contract_end


def _judge(
    deps: Deps, account: Account, done: dict[str, JourneyDoneRow], today: date
) -> AccountJourney:
    policy = deps.settings.journey
    activities = journey(
        account.tier, account.contract_start, account.contract_end, policy.activities
    )
    items = []
    for activity in activities:
        row = done.get(activity.key)
        items.append(
            JourneyItem(
                activity,
                state(activity, row is not None, today, policy.due_within_days),
                row.done_by if row else None,
                row.done_at if row else None,
            )
        )
    return AccountJourney(account, items)


async def account_journey(deps: Deps, name: str) -> AccountJourney:
    account = await get_account(deps, name)
    return await _journey_of(deps, account)


async def _journey_of(deps: Deps, account: Account) -> AccountJourney:
    async with deps.db.session() as session:
        done = await store.done(session, [account.id])
    try:
        key = (account.id, account.contract_end) if account.contract_end else None
        return _judge(deps, account, done.get(key, {}) if key else {}, deps.today())
    except NoSchedule as exc:
        raise UserError(
            f"{account.name} has no journey yet: {exc}. `/strategic account edit "
            f"{account.name}` sets the contract dates."
        ) from None


async def all_journeys(deps: Deps) -> list[AccountJourney]:
    """Every active account that has contract dates; the others have no journey yet."""
    async with deps.db.session() as session:
        accounts = await account_store.list_accounts(session)
        done = await store.done(session, [a.id for a in accounts])
    found = []
    for account in accounts:
        if not account.contract_end:
            continue
        try:
            found.append(
                _judge(
                    deps, account, done.get((account.id, account.contract_end), {}), deps.today()
                )
            )
        except NoSchedule:
            continue
    return found


async def mark_done(
    deps: Deps, account_id: int, contract_end: date, activity: str, user_id: str
) -> AccountJourney:
    """Record an activity done once, by someone allowed; stale or repeated clicks change nothing."""
    async with deps.db.session() as session:
        row = await session.get(AccountRow, account_id)
        if row is None:
            raise UserError("That account no longer exists.")
        account = account_store.to_account(row)
        if deps.settings.journey.mark_done_by == "owners" and not may_manage(
            account, user_id, deps.settings.team.admins
        ):
            raise NotAllowed(f"Only {account.name}'s owners or a team admin can mark its journey.")
        if account.contract_end != contract_end:
            raise UserError(f"{account.name}'s contract has changed since; nothing was marked.")
        current = await _journey_of(deps, account)
        if activity not in {item.activity.key for item in current.items}:
            raise UserError(f"{activity} is not on {account.name}'s journey; nothing was marked.")
        at = deps.clock()
        if not await store.mark_done(session, account_id, contract_end, activity, user_id, at):
            earlier = next(i for i in current.items if i.activity.key == activity)
            who = f"<@{earlier.done_by}>" if earlier.done_by else "someone"
            raise UserError(f"{who} already marked this done; nothing changed.")
        account_store.audit(
            session,
            at=at,
            actor=user_id,
            action="journey.done",
            account_id=account_id,
            changes={"activity": [None, activity]},
        )
    return await _journey_of(deps, account)
