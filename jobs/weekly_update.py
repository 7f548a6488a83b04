"""`weekly-update`: the EM's draft at draft_weekday/draft_time, and the post itself at
autopost_time when nobody posted it. Its schedule follows those settings; each run does
whatever has fallen due by then, so a run after downtime catches up."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from bot.blocks.weekly import weekly_draft, weekly_posted
from bot.deps import Deps
from bot.domain.weekly import autoposted_ref, draft_ref, post_ref
from bot.services.weekly import due, prepared, redraw_draft
from jobs.job import Job, Outbound, Plan
from jobs.weekly_schedule import cron_for


async def plan(deps: Deps, occurrence: datetime) -> Plan:
    owed = await due(deps, occurrence)
    if owed is None:
        return Plan()
    week, em, to = owed.digest.week, deps.settings.team.em, deps.settings.updates_channel()
    if not owed.autopost:
        if owed.draft and em is not None:
            draft = weekly_draft(owed.digest, to)
            return Plan([Outbound(em, draft, ref=draft_ref(week))])
        return Plan()
    # Posted by the bot: a draft still owed is not sent, one sent before is redrawn.
    post, ref = prepared(owed.digest), post_ref(week)
    messages = [Outbound(to, post.layout.main, ref=ref)]
    messages += [Outbound(to, m, ref=name, thread_of=ref) for name, m in post.layout.replies]
    if post.chart is not None:
        messages.append(Outbound.upload(to, post.chart, thread_of=ref))
    if em is not None:
        messages.append(Outbound(em, weekly_posted(week, to, None), ref=autoposted_ref(week)))
    return Plan(messages, apply=partial(redraw_draft, deps=deps, week=week))


DESCRIPTION = "The weekly update: the EM's draft, and the post at autopost_time if not posted."
JOB = Job("weekly-update", "0 14,16 * * 5", DESCRIPTION, plan, cron_for=cron_for)
