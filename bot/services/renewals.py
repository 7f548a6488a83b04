"""Renewals: the contracts ending soon, and what an AE decides on the end date."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import phrases
from bot.blocks.common import Message, moment, user
from bot.blocks.phrases import Act
from bot.blocks.renewals import renewal_answered, renewed_outcome
from bot.deps import Deps
from bot.domain.accounts import Account, AccountDraft, PartnerStatus
from bot.domain.renewals import END_DAY, Renewal, decision_ref, reminder_due, validate_new_end
from bot.errors import FieldErrors, UnknownMessage, UserError
from bot.services import notify
from bot.services.guard import authorized, sees_sensitive
from bot.services.health import portfolio
from bot.services.journey import all_journeys
from bot.services.notify import Queueing
from bot.services.replays import once
from storage import accounts as account_store
from storage import journey as journey_store

log = logging.getLogger(__name__)
JOB = "renewals"
RENEWED = "renewal.renewed"
CHURNED = "renewal.churned"
"""The feature's name on what it queues (outbox list shows it)."""


async def upcoming_renewals(
    deps: Deps, within_days: int, viewer: str | None = None
) -> list[Renewal]:
    """Contracts ending within `within_days` (today included), soonest first.

    `viewer`: who will read it, for whether ARR shows; None for a channel post.
    """
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
                show_arr=sees_sensitive(deps.settings, journey.account, viewer),
            )
        )
    return sorted(found, key=lambda r: (r.days_left, r.account.name))


DECISIONS = {RENEWED, CHURNED}


async def _decidable(
    session: AsyncSession, deps: Deps, account_id: int, contract_end: date, user_id: str
) -> Account:
    """The account, if `user_id` may decide its renewal and it is still undecided: the
    end-date decision is one decision, so a second click (Renewed after Churned, or a
    stale question after a renewal) is told what was decided, by whom and when."""
    account = await authorized(session, deps.settings, account_id, user_id, Act.DECIDE_RENEWAL)
    if account.contract_end == contract_end and account.partner_status is not PartnerStatus.CHURNED:
        return account
    decision = await account_store.last_of(session, account.id, DECISIONS)
    if decision is None:  # changed by hand: an edit moved the end, or marked it churned
        raise UserError(phrases.contract_already_ends(account.name, str(account.contract_end)))
    outcome = (
        "churned"
        if decision.action == CHURNED
        else f"renewed, its contract already ends on {account.contract_end}"
    )
    raise UserError(
        phrases.already_decided(account.name, outcome, user(decision.actor), moment(decision.at))
    )


async def check_decidable(deps: Deps, account_id: int, contract_end: date, user_id: str) -> Account:
    """Refuse before the Renewed modal opens; `renew` checks again at its submit."""
    async with deps.db.session() as session:
        return await _decidable(session, deps, account_id, contract_end, user_id)


async def renew(
    deps: Deps, account_id: int, contract_end: date, new_end: date | None, user_id: str
) -> Account:
    """The contract continues from the day after the old end to `new_end`; audited. The
    end-date question in the channel is redrawn as its answer in the same transaction."""
    problem = validate_new_end(contract_end, new_end)
    async with deps.db.session() as session:
        await once(session, deps)
        account = await _decidable(session, deps, account_id, contract_end, user_id)
        if problem:
            raise FieldErrors({"new_end": problem})
        renewed = await _change(
            session,
            deps,
            account,
            user_id,
            RENEWED,
            contract_start=contract_end + timedelta(days=1),
            contract_end=new_end,
        )
        answer = renewal_answered(account, renewed_outcome(renewed, user_id))
        await _redraw_question(session, deps, account, answer)
        return renewed


async def _redraw_question(
    session: AsyncSession, deps: Deps, account: Account, answer: Message
) -> None:
    """Queue the edit of the end-date message; one posted before messages had refs (or
    never posted) is left as it is rather than failing the decision."""
    assert account.contract_end is not None
    ref = decision_ref(account.id, account.contract_end)
    try:
        await notify.edit(session, Queueing(JOB, deps.clock(), deps.bell), ref=ref, message=answer)
    except UnknownMessage:
        log.info("renewal question %s was not posted through the outbox; not redrawn", ref)


async def churn(deps: Deps, account_id: int, contract_end: date, user_id: str) -> Account:
    """The customer did not renew: the account is marked churned (logo retention counts it)."""
    async with deps.db.session() as session:
        await once(session, deps)
        account = await _decidable(session, deps, account_id, contract_end, user_id)
        return await _change(
            session, deps, account, user_id, CHURNED, partner_status=PartnerStatus.CHURNED
        )


async def _change(
    session: AsyncSession, deps: Deps, account: Account, user_id: str, action: str, **fields: object
) -> Account:
    own = account.model_dump(include=set(AccountDraft.model_fields))
    draft = AccountDraft.model_validate(own | fields)
    changed, _changes = await account_store.update(
        session, account.id, draft, actor=user_id, at=deps.clock(), action=action
    )
    return changed


@dataclass(frozen=True)
class DueReminder:
    """A renewal message due today: a window's reminder, or the end-date question."""

    renewal: Renewal
    target: str
    """The account's channel, or the team's strategic channel."""
    end_day: bool
    windows: dict[int, str]
    """What to record once queued: window -> "sent" or "covered" (passed while down)."""


async def reminders_due(deps: Deps, today: date) -> list[DueReminder]:
    """Each window reminded once, the nearest after downtime (domain.renewals), and on the
    end date the Renewed / Churned question; none twice for one contract end."""
    policy = deps.settings.renewals
    async with deps.db.session() as session:
        sent = await journey_store.reminded(session)
    due = []
    for item in await upcoming_renewals(deps, max(policy.windows)):
        account = item.account
        assert account.contract_end is not None
        already = sent.get((account.id, account.contract_end), set())
        target = account.channel or deps.settings.team.strategic_channel
        if item.days_left == 0:
            if END_DAY not in already:
                covered = {w: "covered" for w in policy.windows if w not in already}
                due.append(DueReminder(item, target, True, {END_DAY: "sent", **covered}))
            continue
        reminder = reminder_due(account.contract_end, today, policy.windows, already)
        if reminder is not None:
            covered = {w: "covered" for w in reminder.covered}
            due.append(DueReminder(item, target, False, {reminder.window: "sent", **covered}))
    return due


async def remember_reminders(
    session: AsyncSession, due: list[DueReminder], occurrence: datetime
) -> None:
    for reminder in due:
        account = reminder.renewal.account
        assert account.contract_end is not None
        await journey_store.record_reminders(
            session, account.id, account.contract_end, reminder.windows, occurrence
        )
