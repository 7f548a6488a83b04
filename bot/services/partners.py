"""Strategic partner selection (seed 000, issue 12): nominate, vote, decide, withdraw.

A nomination is posted to `[partners] channel` with the success gate as the store's live
figures show it, and Approve / Reject buttons. Only approvers decide (`[partners]
approvers` and the members of `approver_usergroup`), never the nominator. Each vote is one
transaction that first locks the nomination (`storage.partners.get(lock=True)`; on SQLite
the database lock `once` takes), counts the votes and, when they decide, moves it out of
pending by a conditional UPDATE: the first decisive vote wins, and every later one is told
who decided and when. The approvals post is then edited through the outbox in the same
transaction, and the nominator's DM queued beside it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import phrases
from bot.blocks.common import moment, user
from bot.blocks.partners import approvals_post, decision_dm
from bot.config import Settings
from bot.deps import Deps
from bot.domain.accounts import AccountDraft, PartnerStatus
from bot.domain.partners import (
    Gate,
    Nomination,
    NominationDraft,
    PartnerPolicy,
    State,
    Vote,
    decision_ref,
    judge_gate,
    nominator_dm_ref,
    tally,
)
from bot.errors import FieldErrors, NotAllowed, NotFound, UnknownMessage, UserError
from bot.services import notify
from bot.services.membership import CachedGroup, GroupReader
from bot.services.notify import Queueing
from bot.services.replays import once
from storage import accounts as account_store
from storage import partners as store
from storage.errors import DuplicateName

log = logging.getLogger(__name__)

JOB = "partners"
"""The feature's name on what it queues (outbox list shows it)."""
NOMINATED = "nomination.create"
VOTED = "nomination.vote"
WITHDRAWN = "nomination.withdraw"
DECIDED = {State.APPROVED: "nomination.approve", State.REJECTED: "nomination.reject"}
NEW_ACCOUNT_TIER = 3
"""A company nominated that is not an account yet is recorded in the smallest tier; its
owners change it with `/strategic account edit`."""
NOMINABLE = (PartnerStatus.PROSPECT, PartnerStatus.DECLINED, PartnerStatus.CHURNED)
"""A prospect, or a company declined or churned before, may be nominated (again)."""
STATUS_AFTER = {State.APPROVED: PartnerStatus.PARTNER, State.REJECTED: PartnerStatus.DECLINED}


class Approvers:
    """Who decides nominations: the listed approvers and the members of the approvers'
    Slack user group, read through `read_group` (services know no Slack client) and kept
    for a few minutes, as the team's door keeps its group (`CachedGroup`). A read that
    fails adds nobody (the decision stays with the listed approvers), logged once, retried
    after 30 s."""

    def __init__(
        self,
        settings: Settings,
        read_group: GroupReader | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._policy = settings.partners
        self._group = (
            CachedGroup(read_group, "only [partners] approvers decide until it can be read", clock)
            if read_group is not None
            else None
        )

    @property
    def policy(self) -> PartnerPolicy:
        return self._policy

    async def includes(self, user_id: str) -> bool:
        if user_id in self._policy.approvers:
            return True
        usergroup = self._policy.approver_usergroup
        if usergroup is None or self._group is None:
            return False
        return user_id in await self._group.members(usergroup)

    def refusal(self) -> str:
        return phrases.not_an_approver(self._policy.approvers, self._policy.approver_usergroup)


async def _gate(session: AsyncSession, deps: Deps) -> Gate:
    """The success gate from the store's figures as of today."""
    figures = await store.partner_figures(session, deps.today())
    return judge_gate(figures, deps.settings.partners.gate)


async def current_gate(deps: Deps) -> Gate:
    async with deps.db.session() as session:
        return await _gate(session, deps)


def _by(deps: Deps) -> Queueing:
    return Queueing(JOB, deps.clock(), deps.bell)


def _show_amounts(deps: Deps) -> bool:
    """iARR amounts of partners stay out of the channel unless the team turned them on."""
    return deps.settings.team.show_sensitive_in_channels


async def nominate(
    deps: Deps, draft: NominationDraft, nominator: str, announce: bool = True
) -> Nomination:
    """The company is recorded as an account with status nominated (a prospect, declined
    or churned account moves to it; one imported as nominated gets its nomination), the
    nomination stored and its approvals post queued, all in one transaction. A partner,
    an archived account or one with a pending nomination is refused under the company
    field, with nothing written.

    `announce`: False queues no approvals post (the demo shows it instead of leaving a
    post queued in a database someone may serve later)."""
    at = deps.clock()
    try:
        async with deps.db.session() as session:
            await once(session, deps)
            account = await account_store.find(session, draft.company)
            if account is None:
                new = AccountDraft(
                    name=draft.company,
                    tier=NEW_ACCOUNT_TIER,
                    partner_status=PartnerStatus.NOMINATED,
                )
                account = await account_store.insert(
                    session, new, actor=nominator, at=at, action=NOMINATED
                )
            else:
                before = await _nominable(session, account.id, account.name, account.archived, at)
                if before is not PartnerStatus.NOMINATED:
                    changes = {"partner_status": [before.value, PartnerStatus.NOMINATED.value]}
                    account_store.audit(session, account.id, NOMINATED, nominator, at, changes)
            nomination = await store.insert(
                session,
                draft.model_copy(update={"company": account.name}),
                account.id,
                nominator,
                at,
            )
            store.audit(session, nomination.id, NOMINATED, nominator, at, _framework(draft))
            if not announce:
                return nomination
            post = approvals_post(
                nomination,
                await _gate(session, deps),
                deps.settings.partners,
                _show_amounts(deps),
                deps.settings.team.currency,
            )
            await notify.post(
                session,
                _by(deps),
                ref=decision_ref(nomination.id),
                channel=deps.settings.partners_channel(),
                message=post,
            )
            return nomination
    except DuplicateName as exc:  # the same company added by someone else a moment ago
        raise FieldErrors({"company": phrases.already_nominated(exc.name)}) from None


async def _nominable(
    session: AsyncSession, account_id: int, name: str, archived: bool, at: datetime
) -> PartnerStatus:
    """Move the account to nominated and say what it was; refused for an archived one, a
    partner, and one with a pending nomination. The conditional UPDATE comes first: it
    holds the account's row, so a second nomination of the same company sent at the same
    moment waits for the first and then finds it pending."""
    if archived:
        raise FieldErrors({"company": phrases.archived_nominee(name)})
    allowed = (*NOMINABLE, PartnerStatus.NOMINATED)
    moved = await store.move_status(session, account_id, PartnerStatus.NOMINATED, allowed, at)
    if moved is None:
        raise FieldErrors({"company": phrases.already_partner(name)})
    if await store.pending_of(session, account_id) is not None:
        raise FieldErrors({"company": phrases.already_nominated(name)})
    return moved


def _framework(draft: NominationDraft) -> dict[str, list[object]]:
    fields = draft.model_dump(mode="json")
    return {key: [None, value] for key, value in fields.items() if key != "rationale"}


async def nominations(deps: Deps, pending_only: bool = True) -> list[Nomination]:
    """Nominations, newest first: the pending ones, or all."""
    async with deps.db.session() as session:
        return await store.listing(session, [State.PENDING] if pending_only else None)


async def pending_nominations(deps: Deps) -> list[Nomination]:
    """The nominations waiting for a decision, oldest first: what the weekly update and
    the approvers' App Home list."""
    return sorted(await nominations(deps), key=lambda n: n.id)


async def nominations_for(
    deps: Deps, approvers: Approvers | None, viewer: str
) -> list[Nomination] | None:
    """The pending nominations, to an approver; None to anyone else (and without the
    approvers, as for the demo)."""
    if approvers is None or not await approvers.includes(viewer):
        return None
    return await pending_nominations(deps)


def _closed(nomination: Nomination) -> UserError:
    """Told to a later click: who decided (or withdrew) and when."""
    assert nomination.decided_at is not None
    return UserError(
        phrases.nomination_closed(
            nomination.company,
            nomination.state.value,
            user(nomination.decided_by),
            moment(nomination.decided_at),
        )
    )


async def _decidable(
    session: AsyncSession, nomination_id: int, user_id: str, lock: bool = False
) -> Nomination:
    """The nomination, if still pending and not `user_id`'s own (the approver check comes
    first, outside the transaction: it may ask Slack)."""
    nomination = await store.get(session, nomination_id, lock=lock)
    if nomination is None:
        raise NotFound(phrases.NOMINATION_GONE)
    if not nomination.pending:
        raise _closed(nomination)
    if nomination.nominator == user_id:
        raise NotAllowed(phrases.own_nomination(nomination.company))
    return nomination


async def _require_approver(approvers: Approvers, user_id: str) -> None:
    if not await approvers.includes(user_id):
        raise NotAllowed(approvers.refusal())


async def check_decidable(
    deps: Deps, approvers: Approvers, nomination_id: int, user_id: str
) -> Nomination:
    """Refuse before a reason modal opens; the vote checks again at its submit."""
    await _require_approver(approvers, user_id)
    async with deps.db.session() as session:
        return await _decidable(session, nomination_id, user_id)


@dataclass(frozen=True)
class NeedsOverride:
    """Approve was clicked while the gate is not met: an override reason comes first."""

    nomination: Nomination


async def approve(
    deps: Deps, approvers: Approvers, nomination_id: int, user_id: str
) -> Nomination | NeedsOverride:
    """An approval by click: cast at once when the gate is met, else NeedsOverride with
    nothing written (the reason modal's submit casts it, through `vote_with_reason`)."""
    await _require_approver(approvers, user_id)
    async with deps.db.session() as session:
        await once(session, deps)
        nomination = await _decidable(session, nomination_id, user_id, lock=True)
        gate = await _gate(session, deps)
        if not gate.met:
            return NeedsOverride(nomination)
        return await _vote(session, deps, nomination, gate, user_id, Vote.APPROVE, None)


async def vote_with_reason(
    deps: Deps, approvers: Approvers, nomination_id: int, vote: Vote, reason: str, user_id: str
) -> Nomination:
    """A rejection, or an approval overriding the gate, with its reason (a modal's submit)."""
    await _require_approver(approvers, user_id)
    async with deps.db.session() as session:
        await once(session, deps)
        nomination = await _decidable(session, nomination_id, user_id, lock=True)
        gate = await _gate(session, deps)
        return await _vote(session, deps, nomination, gate, user_id, vote, reason)


async def _vote(
    session: AsyncSession,
    deps: Deps,
    nomination: Nomination,
    gate: Gate,
    user_id: str,
    vote: Vote,
    reason: str | None,
) -> Nomination:
    """Cast the vote, decide when the votes now do, and redraw the approvals post."""
    at = deps.clock()
    policy = deps.settings.partners
    before = next((b.vote.value for b in nomination.ballots if b.approver == user_id), None)
    await store.cast_vote(session, nomination.id, user_id, vote, reason, at)
    store.audit(session, nomination.id, VOTED, user_id, at, {"vote": [before, vote.value]}, reason)
    counted = await store.get(session, nomination.id)
    assert counted is not None
    outcome = tally(counted.ballots, policy.quorum, policy.veto)
    if outcome is not None:
        overridden = outcome is State.APPROVED and not gate.met
        if not await store.close(session, nomination.id, outcome, user_id, at, reason, overridden):
            raise _closed(await _reloaded(session, nomination.id))
        await _account_follows(session, nomination, outcome, user_id, at)
        changes = {"state": ["pending", outcome.value], "overridden": [None, overridden]}
        store.audit(session, nomination.id, DECIDED[outcome], user_id, at, changes, reason)
        counted = await _reloaded(session, nomination.id)
        await notify.post(
            session,
            _by(deps),
            ref=nominator_dm_ref(nomination.id),
            channel=nomination.nominator,
            message=decision_dm(counted),
        )
    await _redraw(session, deps, counted, gate)
    return counted


async def _reloaded(session: AsyncSession, nomination_id: int) -> Nomination:
    found = await store.get(session, nomination_id)
    assert found is not None  # locked by the caller's transaction
    return found


async def _account_follows(
    session: AsyncSession, nomination: Nomination, outcome: State, user_id: str, at: datetime
) -> None:
    """Approve makes the account a partner, Reject declined: audited on the account."""
    to = STATUS_AFTER[outcome]
    moved = await store.move_status(
        session, nomination.account_id, to, [PartnerStatus.NOMINATED], at
    )
    if moved is None:  # changed by hand since (an account edit): the decision still stands
        log.info("account %s was no longer nominated; its status kept", nomination.account_id)
        return
    changes = {"partner_status": [moved.value, to.value]}
    account_store.audit(session, nomination.account_id, DECIDED[outcome], user_id, at, changes)


async def _redraw(session: AsyncSession, deps: Deps, nomination: Nomination, gate: Gate) -> None:
    """The approvals post, as it now stands, edited in place through the outbox; one never
    posted (the demo's) is left alone rather than failing the vote."""
    post = approvals_post(
        nomination, gate, deps.settings.partners, _show_amounts(deps), deps.settings.team.currency
    )
    try:
        await notify.edit(session, _by(deps), ref=decision_ref(nomination.id), message=post)
    except UnknownMessage:
        log.info("nomination %s has no approvals post; not redrawn", nomination.id)


async def withdraw(deps: Deps, nomination_id: int, user_id: str) -> Nomination:
    """The nominator takes a pending nomination back: the account returns to prospect."""
    async with deps.db.session() as session:
        await once(session, deps)
        nomination = await store.get(session, nomination_id, lock=True)
        if nomination is None:
            raise NotFound(phrases.NOMINATION_GONE)
        if nomination.nominator != user_id:
            raise NotAllowed(
                phrases.only_nominator_withdraws(nomination.company, nomination.nominator)
            )
        if not nomination.pending:
            raise _closed(nomination)
        at = deps.clock()
        if not await store.close(session, nomination.id, State.WITHDRAWN, user_id, at):
            raise _closed(await _reloaded(session, nomination.id))
        moved = await store.move_status(
            session, nomination.account_id, PartnerStatus.PROSPECT, [PartnerStatus.NOMINATED], at
        )
        if moved is not None:
            account_store.audit(
                session,
                nomination.account_id,
                WITHDRAWN,
                user_id,
                at,
                {"partner_status": [moved.value, PartnerStatus.PROSPECT.value]},
            )
        store.audit(
            session, nomination.id, WITHDRAWN, user_id, at, {"state": ["pending", "withdrawn"]}
        )
        withdrawn = await _reloaded(session, nomination.id)
        await _redraw(session, deps, withdrawn, await _gate(session, deps))
        return withdrawn
