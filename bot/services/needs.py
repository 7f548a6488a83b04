"""Customer needs (issue 15): raise one on an account, change its status (its account's
owners told in its channel, so the customer can be told back), date its rollout and mark
its steps done; what the account card, the weekly post and the App Home say of them.

Every change calls `once` first and the one guard in its own transaction, at a click as
at a modal's submit: a button's value or a modal's metadata names the account and the
need, and the need is reloaded and checked to be that account's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import phrases
from bot.blocks.common import moment, user
from bot.blocks.needs import status_changed
from bot.blocks.phrases import Act
from bot.deps import Deps
from bot.domain.accounts import Account
from bot.domain.needs import (
    Need,
    NeedDraft,
    NeedsSummary,
    NeedStatus,
    RolloutDates,
    RolloutStep,
    Step,
    by_priority,
    kept_steps,
    overdue_steps,
    status_ref,
    summarize,
)
from bot.errors import FieldErrors, NotFound, UserError
from bot.services import notify
from bot.services.guard import account_named, authorized
from bot.services.notify import Queueing
from bot.services.replays import once
from storage import accounts as account_store
from storage import needs as store

JOB = "needs"
"""The feature's name on what it queues (outbox list shows it)."""


async def account_for_need(deps: Deps, name: str, actor: str) -> Account:
    """The account a need is raised on; refused before the modal opens if not allowed."""
    async with deps.db.session() as session:
        return await authorized(session, deps.settings, name, actor, Act.RAISE_NEED)


async def raise_need(
    deps: Deps, account_id: int, draft: NeedDraft | dict[str, str], actor: str
) -> tuple[Account, Need]:
    """Checked again here, at submit (the modal's account id is only what it identifies),
    before the fields' problems are said: an outsider learns nothing from them."""
    at = deps.clock()
    async with deps.db.session() as session:
        await once(session, deps)
        account = await authorized(session, deps.settings, account_id, actor, Act.RAISE_NEED)
        if isinstance(draft, dict):
            raise FieldErrors(draft)
        need = await store.insert(session, account.id, draft, actor, at)
        changes = {k: [None, v] for k, v in draft.model_dump(mode="json").items()}
        account_store.audit(session, account.id, "need.raise", actor, at, changes | _id(need))
    return account, need


def _id(need: Need) -> dict[str, list[object]]:
    return {"need": [None, need.id]}


async def _need_of(session: AsyncSession, account: Account, need_id: int) -> Need:
    """The need, locked for the change, if it is still there and is `account`'s."""
    need = await store.get(session, need_id, lock=True)
    if need is None:
        raise NotFound(phrases.NEED_GONE)
    if need.account_id != account.id:
        raise NotFound(phrases.need_not_of(account.name))
    return need


async def _target(
    session: AsyncSession, deps: Deps, account_id: int, need_id: int, actor: str, act: Act
) -> tuple[Account, Need]:
    account = await authorized(session, deps.settings, account_id, actor, act)
    return account, await _need_of(session, account, need_id)


async def change_status(
    deps: Deps,
    account_id: int,
    need_id: int,
    status: NeedStatus,
    actor: str,
    *,
    announce: bool = True,
) -> tuple[Account, Need]:
    """The need moves to `status`, audited; its account's owners are told in the account's
    channel (else the team's strategic channel) in the same transaction. `announce` False
    (the demo, which sends nothing) queues no message."""
    at = deps.clock()
    async with deps.db.session() as session:
        await once(session, deps)
        account, need = await _target(session, deps, account_id, need_id, actor, Act.NEED_STATUS)
        before = need.status
        if before is status:
            raise UserError(phrases.status_unchanged(status.value))
        await store.set_status(session, need.id, status, actor, at)
        changed = need.model_copy(update={"status": status, "updated_by": actor, "updated_at": at})
        changes = {"status": [before.value, status.value]} | {"need": [need.id, need.id]}
        account_store.audit(session, account.id, "need.status", actor, at, changes)
        channel = account.channel or deps.settings.team.strategic_channel
        if announce:
            await notify.post(
                session,
                Queueing(JOB, at, deps.bell),
                ref=status_ref(need.id, at),
                channel=channel,
                message=status_changed(account, changed, before, actor),
            )
    return account, changed


async def rollout_target(
    deps: Deps, account_id: int, need_id: int, actor: str
) -> tuple[Account, Need]:
    """The need whose rollout is dated; refused before the modal opens if not allowed."""
    async with deps.db.session() as session:
        return await _target(session, deps, account_id, need_id, actor, Act.ROLLOUT)


async def set_rollout(
    deps: Deps,
    account_id: int,
    need_id: int,
    rollout: RolloutDates | dict[str, str],
    actor: str,
) -> tuple[Account, Need]:
    """The rollout's dates as validated (or the problems per field, said only once the
    guard let the person through): each step still dated stays done if it was."""
    at = deps.clock()
    async with deps.db.session() as session:
        await once(session, deps)
        account, need = await _target(session, deps, account_id, need_id, actor, Act.ROLLOUT)
        if isinstance(rollout, dict):
            raise FieldErrors(rollout)
        steps = kept_steps(need.steps, rollout.dates)
        await store.set_rollout(session, need.id, steps, actor, at)
        old, new = _dates(need.steps), _dates(steps)
        changes = {"rollout": [old or None, new], "need": [need.id, need.id]}
        account_store.audit(session, account.id, "need.rollout", actor, at, changes)
    return account, need.model_copy(update={"steps": steps, "updated_by": actor, "updated_at": at})


def _dates(steps: tuple[RolloutStep, ...]) -> dict[str, str]:
    return {s.step.value: s.due.isoformat() for s in steps}


async def mark_step_done(
    deps: Deps, account_id: int, need_id: int, step: Step, actor: str
) -> tuple[Account, Need]:
    """A rollout step done, once: a second click is told who marked it and when."""
    at = deps.clock()
    async with deps.db.session() as session:
        await once(session, deps)
        account, need = await _target(session, deps, account_id, need_id, actor, Act.ROLLOUT)
        found = need.step(step)
        if found is None:
            raise UserError(phrases.step_not_planned(step.value))
        if found.done:
            when = moment(found.done_at) if found.done_at else ""
            raise UserError(phrases.step_already_done(step.value, user(found.done_by), when))
        await store.mark_step_done(session, need.id, step, actor, at)
        changes = {step.value: [None, "done"], "need": [need.id, need.id]}
        account_store.audit(session, account.id, "need.step_done", actor, at, changes)
    done = found.model_copy(update={"done_by": actor, "done_at": at})
    steps = tuple(done if s.step is step else s for s in need.steps)
    return account, need.model_copy(update={"steps": steps, "updated_by": actor, "updated_at": at})


@dataclass(frozen=True)
class OpenNeeds:
    """`/strategic needs [ACCOUNT]`: the open needs by priority and their accounts."""

    needs: list[Need]
    accounts: dict[int, Account]
    one: Account | None
    """The account asked about; None: every account."""


async def open_needs(deps: Deps, name: str | None) -> OpenNeeds:
    """Every member may read them; an unknown account is NotFound with close names."""
    async with deps.db.session() as session:
        one = await account_named(session, name) if name else None
        accounts = {a.id: a for a in await account_store.list_accounts(session)}
        if one is not None:
            accounts[one.id] = one
        needs = await store.of_accounts(session, [one.id] if one else None)
    return OpenNeeds(by_priority(needs), accounts, one)


@dataclass(frozen=True)
class NeedsAtAGlance:
    """What the account card, the weekly post and the App Home show of the needs."""

    summaries: dict[int, NeedsSummary]
    """By account id, only accounts with an open need."""
    overdue: list[tuple[Need, RolloutStep]]
    """Overdue rollout steps of open needs, the longest overdue first."""


async def at_a_glance(deps: Deps, today: date, account_id: int | None = None) -> NeedsAtAGlance:
    """Of every active account, or of one."""
    async with deps.db.session() as session:
        needs = await store.of_accounts(session, None if account_id is None else [account_id])
    return NeedsAtAGlance(summarize(needs), overdue_steps(needs, today))
