"""The weekly update's post: what it says, the EM's draft, and posting it once a week."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.chart import dau_chart
from bot.blocks.phrases import Act, already_posted
from bot.blocks.weekly import PostLayout, account_reply, weekly_post, weekly_posted
from bot.deps import Deps
from bot.domain.accounts import name_key
from bot.domain.outbox import FileUpload
from bot.domain.updates import UpdateEntry, Week, week_of
from bot.domain.weekly import (
    RENEWALS_WITHIN,
    Digest,
    autopost_due,
    draft_due,
    draft_ref,
    first_chart_day,
    post_ref,
    replies_prefix,
    reply_ref,
    weekly_dau,
)
from bot.errors import UserError
from bot.services import notify
from bot.services.guard import require
from bot.services.health import portfolio
from bot.services.needs import at_a_glance
from bot.services.notify import Queueing
from bot.services.okrs import okr_status
from bot.services.partners import pending_nominations
from bot.services.renewals import upcoming_renewals
from bot.services.replays import once
from storage import accounts as account_store
from storage import metrics, outbox, updates

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
        by_day = await metrics.assistant_dau_by_day(session, first_chart_day(week), week.sunday)
    items = await portfolio(deps, deps.today())
    health = {i.account.id: i.health.status for i in items}
    needs = await at_a_glance(deps, deps.today())
    return Digest(
        week,
        [],
        {},
        sorted(accounts, key=lambda a: name_key(a.name)),
        health,
        await upcoming_renewals(deps, RENEWALS_WITHIN),
        dau=weekly_dau(by_day, week),
        nominations=await pending_nominations(deps),
        today=deps.today(),
        currency=deps.settings.team.currency,
        okrs=await okr_status(deps, items),
        needs=needs.summaries,
        overdue_steps=needs.overdue,
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
    transaction, and the post keeps the layout it went out with. An entry shown in a
    one-message post edits that message, marked edited. Any other (a late one, or any in a
    threaded post) redraws its account's reply in the thread, or adds that reply; a new
    reply in a threaded post redraws the summary too. Without `context` (the post went
    out after `post_context` looked) the reply has no health badge."""
    ref = post_ref(entry.week)
    posted = await outbox.post_of(session, ref)
    if posted is None:
        return
    by = Queueing(JOB, deps.clock(), deps.bell)
    entries, weeks_open = await updates.of_week_standing(session, entry.week)
    replies = await outbox.posts_named_under(session, replies_prefix(entry.week))
    at = posted.created_at
    threaded = any(r.created_at == at for r in replies.values())
    in_main = [] if threaded else [e for e in entries if e.created_at < at]
    edited = {e.id for e in entries if e.updated_at > max(e.created_at, at)}
    base = context or Digest(entry.week, [], {}, [], {}, [])
    full = replace(base, entries=entries, weeks_open=weeks_open, edited=edited)
    shown = {e.id for e in in_main}
    if entry.id in shown:
        layout = weekly_post(replace(full, entries=in_main), threaded=False)
        await notify.edit(session, by, ref=ref, message=layout.main)
        return
    mine = [e for e in entries if e.account_id == entry.account_id and e.id not in shown]
    message = account_reply(replace(full, entries=mine), entry.account_id)
    name = reply_ref(entry.week, entry.account_id)
    # A reply another transaction queued meanwhile is edited rather than lost.
    if name in replies or not await notify.reply(session, by, ref=ref, message=message, name=name):
        await notify.edit(session, by, ref=name, message=message)
    elif threaded and context is not None:
        await notify.edit(session, by, ref=ref, message=weekly_post(full, threaded=True).main)


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


@dataclass(frozen=True)
class ReadyPost:
    """The week's post as it goes out: its layout and its chart (None: no figures)."""

    week: Week
    layout: PostLayout
    chart: FileUpload | None


def prepared(content: Digest) -> ReadyPost:
    """The post and its chart drawn from `content`: the slow part, done before any
    transaction opens."""
    return ReadyPost(content.week, weekly_post(content), dau_chart(content.week, content.dau))


async def post_week(deps: Deps, week: Week, user_id: str) -> None:
    """The EM (or an admin) posts the week's update: once, whoever else clicked or the bot
    posted meanwhile; a second post is refused with nothing queued."""
    post = prepared(await digest(deps, week))
    async with deps.db.session() as session:
        await once(session, deps)
        require(deps.settings, user_id, Act.POST_UPDATE)
        by = Queueing(JOB, deps.clock(), deps.bell)
        if not await _queue_post(session, by, deps.settings.updates_channel(), post):
            raise UserError(already_posted(str(week)))


async def _queue_post(session: AsyncSession, by: Queueing, to: str, post: ReadyPost) -> bool:
    """The main message, its replies and its chart, or nothing if it was queued before."""
    ref = post_ref(post.week)
    if not await notify.post(session, by, ref=ref, channel=to, message=post.layout.main):
        return False
    await notify.thread(session, by, ref=ref, replies=post.layout.replies)
    if post.chart is not None:
        await notify.upload(session, by, ref=ref, file=post.chart)
    return True


async def redraw_draft(session: AsyncSession, deps: Deps, week: Week) -> None:
    """After the bot posted the week's update itself: the EM's draft says so and loses its
    buttons, so nobody clicks Post on a week already out."""
    if await outbox.post_of(session, draft_ref(week)) is None:
        return
    by = Queueing(JOB, deps.clock(), deps.bell)
    notice = weekly_posted(week, deps.settings.updates_channel(), None)
    await notify.edit(session, by, ref=draft_ref(week), message=notice)


async def own_team_entry(deps: Deps, week: Week, user_id: str) -> UpdateEntry | None:
    """The draft's Edit button: the EM's (or an admin's) own team-wide entry of the week,
    to change in the modal; None when not written yet."""
    require(deps.settings, user_id, Act.EDIT_DRAFT)
    async with deps.db.session() as session:
        return await updates.find(session, week, user_id, None)
