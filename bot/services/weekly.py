"""The weekly update's post: what it says, the EM's draft, and posting it once a week."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.phrases import Act, already_posted
from bot.blocks.weekly import late_entry, weekly_post
from bot.deps import Deps
from bot.domain.accounts import name_key
from bot.domain.updates import UpdateEntry, Week, week_of
from bot.domain.weekly import RENEWALS_WITHIN, Digest, autopost_due, draft_due, draft_ref, post_ref
from bot.errors import UserError
from bot.services import notify
from bot.services.guard import require
from bot.services.health import portfolio
from bot.services.notify import Queueing
from bot.services.renewals import upcoming_renewals
from bot.services.replays import once
from storage import accounts as account_store
from storage import outbox, updates

JOB = "weekly-update"
"""The feature's name on what it queues (outbox list shows it)."""


async def digest(deps: Deps, week: Week) -> Digest:
    """Everything the week's post says, as of now."""
    async with deps.db.session() as session:
        entries, weeks_open = await updates.of_week_standing(session, week)
    return replace(await _context(deps, week), entries=entries, weeks_open=weeks_open)


async def _context(deps: Deps, week: Week) -> Digest:
    """What the post says besides the entries: the accounts, their health, the renewals."""
    async with deps.db.session() as session:
        accounts = await account_store.list_accounts(session)
    health = {i.account.id: i.health.status for i in await portfolio(deps, deps.today())}
    return Digest(
        week,
        [],
        {},
        sorted(accounts, key=lambda a: name_key(a.name)),
        health,
        await upcoming_renewals(deps, RENEWALS_WITHIN),
    )


async def post_context(deps: Deps, week: Week) -> Digest | None:
    """Before an entry is saved: None while the week's post is not out, else what an edit
    of the post needs besides the entries, gathered outside the entry's transaction (a
    unit of work opens no other)."""
    async with deps.db.session() as session:
        if not await is_posted(session, week):
            return None
    return await _context(deps, week)


async def follow(
    session: AsyncSession, deps: Deps, context: Digest | None, entry: UpdateEntry
) -> None:
    """An entry saved after the week's post went out follows it, queued in the entry's
    transaction: one that was in the post edits it in place, marked edited; a late one
    (or one whose post went out after `post_context` looked) is replied in its thread."""
    posted = await outbox.post_of(session, post_ref(entry.week))
    if posted is None:
        return
    by = Queueing(JOB, deps.clock(), deps.bell)
    ref = post_ref(entry.week)
    entries, weeks_open = await updates.of_week_standing(session, entry.week)
    if context is None or entry.created_at >= posted.created_at:
        health = context.health.get(entry.account_id or 0) if context else None
        late = late_entry(entry, weeks_open.get(entry.id, 1), health)
        await notify.reply(session, by, ref=ref, message=late)
        return
    shown = [e for e in entries if e.created_at < posted.created_at]
    edited = {e.id for e in shown if e.updated_at > posted.created_at}
    again = replace(context, entries=shown, weeks_open=weeks_open, edited=edited)
    await notify.edit(session, by, ref=ref, message=weekly_post(again))


async def is_posted(session: AsyncSession, week: Week) -> bool:
    """Whether the week's post is queued (or sent): from then on it only follows entries."""
    return await outbox.post_of(session, post_ref(week)) is not None


@dataclass(frozen=True)
class WeekDue:
    """What the weekly-update job owes this week as of its run."""

    digest: Digest
    draft: bool
    """The EM's draft DM (sent once under its ref)."""
    autopost: bool
    """The post itself: nobody posted it by autopost_time."""


async def due(deps: Deps, at: datetime) -> WeekDue | None:
    """The week's draft and automatic post, when due at `at` and the post is not out."""
    policy, team = deps.settings.updates, deps.settings.team
    now = at.astimezone(team.zone).replace(tzinfo=None)
    week = week_of(now.date())
    draft = team.em is not None and draft_due(policy, week, now)
    autopost = autopost_due(policy, week, now)
    if not (draft or autopost):
        return None
    async with deps.db.session() as session:
        if await is_posted(session, week):
            return None
        draft = draft and await outbox.post_of(session, draft_ref(week)) is None
    if not (draft or autopost):
        return None
    return WeekDue(await digest(deps, week), draft, autopost)


async def post_week(deps: Deps, week: Week, user_id: str) -> None:
    """The EM (or an admin) posts the week's update: once, whoever else clicked or the bot
    posted meanwhile; a second post is refused with nothing queued."""
    content = weekly_post(await digest(deps, week))
    async with deps.db.session() as session:
        await once(session, deps)
        require(deps.settings, user_id, Act.POST_UPDATE)
        by = Queueing(JOB, deps.clock(), deps.bell)
        to = deps.settings.updates_channel()
        if not await notify.post(session, by, ref=post_ref(week), channel=to, message=content):
            raise UserError(already_posted(str(week)))
