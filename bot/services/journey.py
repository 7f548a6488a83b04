"""Each account's customer journey (seed 002): its activities, their states, marking done."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import phrases
from bot.blocks.common import user
from bot.blocks.phrases import Act
from bot.deps import Deps
from bot.domain.accounts import Account
from bot.domain.contract import NoSchedule
from bot.domain.journey import AccountJourney, DoneMark, JourneyItem, journey, state
from bot.errors import UserError
from bot.services.guard import account_named, authorized
from bot.services.replays import once
from storage import accounts as account_store
from storage import journey as store


def _judge(
    deps: Deps, account: Account, done: dict[str, DoneMark], today: date
) -> AccountJourney:
    """Raises NoSchedule when the account's contract dates give no journey."""
    policy = deps.settings.journey
    activities = journey(
        account.tier, account.contract_start, account.contract_end, policy.activities
    )
    items = []
    for activity in activities:
        mark = done.get(activity.key)
        items.append(
            JourneyItem(
                activity,
                state(activity, mark is not None, today, policy.due_within_days),
                mark.by if mark else None,
                mark.at if mark else None,
            )
        )
    return AccountJourney(account, items)


async def account_journey(deps: Deps, name: str) -> AccountJourney:
    async with deps.db.session() as session:
        return await _journey_of(session, deps, await account_named(session, name))


async def _journey_of(session: AsyncSession, deps: Deps, account: Account) -> AccountJourney:
    done = await store.done(session, [account.id])
    try:
        key = (account.id, account.contract_end) if account.contract_end else None
        return _judge(deps, account, done.get(key, {}) if key else {}, deps.today())
    except NoSchedule as exc:
        raise UserError(phrases.no_journey(account.name, str(exc))) from None


async def all_journeys(deps: Deps) -> list[AccountJourney]:
    """Every active account that has contract dates; the others have no journey yet."""
    async with deps.db.session() as session:
        accounts = await account_store.list_accounts(session)
        done = await store.done(session, [a.id for a in accounts])
    found = []
    today = deps.today()
    for account in accounts:
        if not account.contract_end:
            continue
        try:
            found.append(
                _judge(deps, account, done.get((account.id, account.contract_end), {}), today)
            )
        except NoSchedule:
            continue
    return found


async def mark_done(
    deps: Deps, account_id: int, contract_end: date, activity: str, user_id: str
) -> JourneyItem:
    """Record an activity done once, by someone allowed; stale or repeated clicks change nothing.

    Returns the activity as it now stands (done, by whom).
    """
    async with deps.db.session() as session:
        await once(session, deps)
        account = await authorized(session, deps.settings, account_id, user_id, Act.MARK_JOURNEY)
        if account.contract_end != contract_end:
            raise UserError(phrases.contract_changed_nothing_marked(account.name))
        current = await _journey_of(session, deps, account)
        earlier = next((i for i in current.items if i.activity.key == activity), None)
        if earlier is None:
            raise UserError(phrases.not_on_journey(activity, account.name))
        at = deps.clock()
        if not await store.mark_done(session, account_id, contract_end, activity, user_id, at):
            who = user(earlier.done_by) if earlier.done_by else "someone"
            raise UserError(phrases.already_done(who))
        changes = {"activity": [None, activity]}
        account_store.audit(session, account_id, "journey.done", user_id, at, changes)
        return (await _journey_of(session, deps, account)).item(activity)
