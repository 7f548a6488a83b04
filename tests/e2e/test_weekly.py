"""The weekly-update job end to end: the EM's draft, one post per week however it is
posted, the refusal of anyone else, and the automatic post at autopost_time."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.config import SchedulerPolicy, TeamPolicy
from bot.deps import Deps
from bot.domain.updates import TEAM_WIDE
from bot.services.accounts import get_account
from jobs.catalog import load_jobs
from jobs.delivery import Delivery
from jobs.runner import run_occurrence
from tests.app_client import AppClient
from tests.conftest import Clock
from tests.e2e.test_updates import write
from tests.factories import make_account
from tests.scheduled import run_and_deliver
from tests.slack_api import ApiCall, FakeSlackApi

EM, ADMIN, CHANNEL = "U0EMMA", "U0ADMIN", "C0STRAT"
TEAM = [TeamPolicy(em=EM, admins=[ADMIN], strategic_channel=CHANNEL)]
DRAFT_AT = datetime(2026, 11, 27, 14, tzinfo=UTC)  # Friday of 2026-W48, team time UTC
AUTOPOST_AT = datetime(2026, 11, 27, 16, tzinfo=UTC)
ANSWERS_BEFORE = 2
"""The confirmations of the two entries `_week_written` writes, by response_url."""
pytestmark = pytest.mark.parametrize("team", TEAM)


async def _week_written(slack: AppClient, deps: Deps) -> None:
    """Acme has an entry with a blocker, Globex none, and there is a team-wide one."""
    acme = await make_account(deps, name="Acme Corp")
    await make_account(deps, name="Globex")
    filled = {"account": str(acme.id), "progress": "SSO live", "blockers": "Legal review"}
    assert await write(slack, filled) is None
    assert await write(slack, {"account": TEAM_WIDE, "upcoming": "QBRs"}, "U0BOB") is None


async def _draft(slack: AppClient, deps: Deps, clock: Clock) -> dict[str, Any]:
    await _week_written(slack, deps)
    assert await run_and_deliver(deps, clock, "weekly-update", DRAFT_AT) == 1
    [draft] = slack.api.messages_in(EM)
    return draft


async def _answer(slack_api: FakeSlackApi, click: int = 1) -> ApiCall:
    """The answer to the `click`th click: the entries' confirmations came before it."""
    return (await slack_api.wait_for("response_url", count=ANSWERS_BEFORE + click))[-1]


async def test_the_em_gets_the_draft_once_with_a_post_button(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    draft = await _draft(slack, deps, clock)

    shown = json.dumps(draft["blocks"])
    assert "Weekly update 2026-W48" in shown and f"<#{CHANNEL}>" in shown
    assert "SSO live" in shown and ":construction: *Blockers*\\n>Legal review" in shown
    assert shown.index("Team-wide") < shown.index("Acme Corp")
    assert "*No entry this week* (1): *Globex*" in shown
    assert "weekly_update_post" in shown
    job = load_jobs(deps.settings)["weekly-update"]
    assert (await run_occurrence(deps, job, DRAFT_AT)).ran is False
    assert (await run_occurrence(deps, job, DRAFT_AT.replace(minute=30))).queued == 0
    assert len(slack_api.messages_in(EM)) == 1  # the draft is sent once
    assert slack_api.messages_in(CHANNEL) == []


async def test_post_posts_once_clicked_twice_and_raced_by_the_autopost(
    slack: AppClient,
    deps: Deps,
    clock: Clock,
    slack_api: FakeSlackApi,
    delivering: Delivery,
) -> None:
    draft = await _draft(slack, deps, clock)
    clock.now = AUTOPOST_AT
    job = load_jobs(deps.settings)["weekly-update"]

    clicks = [slack.click(EM, draft, "weekly_update_post", user=EM) for _ in range(2)]
    await asyncio.gather(*clicks, run_occurrence(deps, job, AUTOPOST_AT))

    [post] = await slack_api.wait_for("chat.postMessage", lambda c: c.params["channel"] == CHANNEL)
    assert "Weekly update 2026-W48" in json.dumps(post.params["blocks"])
    await asyncio.sleep(0.3)  # anything else queued would have landed by now
    assert len(slack_api.messages_in(CHANNEL)) == 1
    assert (await run_occurrence(deps, job, AUTOPOST_AT.replace(minute=15))).queued == 0
    assert len(slack_api.messages_in(CHANNEL)) == 1


async def test_the_em_click_posts_and_redraws_the_draft(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    draft = await _draft(slack, deps, clock)
    await slack.click(EM, draft, "weekly_update_post", user=EM)
    answer = await _answer(slack_api)
    assert answer.params["replace_original"] is True
    assert f"posted to <#{CHANNEL}> by <@{EM}>" in json.dumps(answer.params["blocks"])
    await slack_api.wait_for("chat.postMessage", lambda c: c.params["channel"] == CHANNEL)

    await slack.click(EM, draft, "weekly_update_post", user=ADMIN)
    again = await _answer(slack_api, 2)
    assert "already posted" in again.params["text"]


async def test_anyone_else_is_told_who_can_and_nothing_is_posted(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    draft = await _draft(slack, deps, clock)
    await slack.click(EM, draft, "weekly_update_post", user="U0ALICE")
    refused = await _answer(slack_api)
    assert "Only the EM or a team admin can post the weekly update" in refused.params["text"]
    await asyncio.sleep(0.3)
    assert slack_api.messages_in(CHANNEL) == []


async def test_the_bot_posts_at_autopost_time_and_tells_the_em(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    await _draft(slack, deps, clock)
    assert await run_and_deliver(deps, clock, "weekly-update", AUTOPOST_AT) == 2
    [post] = slack_api.messages_in(CHANNEL)
    assert "Legal review" in json.dumps(post["blocks"])
    [_, told] = slack_api.messages_in(EM)
    assert "posted to" in told["text"] and "automatically" in told["text"]


@pytest.mark.parametrize("scheduler", [SchedulerPolicy(channel_pace_seconds=0)])
async def test_entries_after_the_post_follow_it_with_no_second_post(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    await _week_written(slack, deps)
    assert await run_and_deliver(deps, clock, "weekly-update", AUTOPOST_AT) == 3
    [post] = slack_api.messages_in(CHANNEL)
    acme, globex = await get_account(deps, "Acme Corp"), await get_account(deps, "Globex")

    clock.now = AUTOPOST_AT + timedelta(hours=1)
    changed = {"account": str(acme.id), "progress": "SSO live & <!channel>"}
    assert await write(slack, changed) is None
    assert await write(slack, {"account": str(globex.id), "progress": "Kickoff"}, "U0CAROL") is None
    await run_and_deliver(deps, clock, "weekly-update", AUTOPOST_AT + timedelta(hours=2))

    [update] = slack_api.calls_to("chat.update")
    assert update.params["ts"] == post["ts"] and update.params["channel"] == CHANNEL
    edited = json.dumps(update.params["blocks"])
    assert "_(edited)_" in edited and "SSO live &amp; &lt;!channel&gt;" in edited
    assert "Kickoff" not in edited and "*No entry this week* (1): *Globex*" in edited
    [late] = [c for c in slack_api.calls_to("chat.postMessage") if c.params.get("thread_ts")]
    assert late.params["thread_ts"] == post["ts"] and late.params["channel"] == CHANNEL
    assert "Kickoff" in json.dumps(late.params["blocks"]) and "Globex" in late.params["text"]
    posts = [c for c in slack_api.calls_to("chat.postMessage") if c.params["channel"] == CHANNEL]
    assert [c.params.get("thread_ts") for c in posts] == [None, post["ts"]]  # no second post
