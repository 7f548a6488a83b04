"""The weekly-update job end to end: the EM's draft, one post per week however it is
posted, the refusal of anyone else, and the automatic post at autopost_time."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.blocks.updates import UPDATE_FIELDS
from bot.config import SchedulerPolicy, TeamPolicy
from bot.deps import Deps
from bot.domain.accounts import Account
from bot.domain.metrics import SnapshotInput
from bot.domain.updates import TEAM_WIDE, validate_entry, week_of
from bot.services.accounts import get_account
from bot.services.metrics import record_snapshots
from bot.services.updates import save_entry, week_entries
from jobs.catalog import load_jobs
from jobs.delivery import Delivery
from jobs.runner import run_occurrence
from tests.app_client import AppClient
from tests.conftest import Clock
from tests.e2e.test_partners import NOMINATOR, TAILSPIN, nominate
from tests.e2e.test_updates import write
from tests.factories import make_account
from tests.forms import state_values
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
    assert "*No entry this week* (1):\\n*Globex*" in shown
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


@pytest.mark.parametrize("scheduler", [SchedulerPolicy(channel_pace_seconds=0)])
async def test_the_bot_posts_at_autopost_time_tells_the_em_and_redraws_the_draft(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    await _draft(slack, deps, clock)
    assert await run_and_deliver(deps, clock, "weekly-update", AUTOPOST_AT) == 2
    [post] = slack_api.messages_in(CHANNEL)
    assert "Legal review" in json.dumps(post["blocks"])
    [draft, told] = slack_api.messages_in(EM)
    assert "posted to" in told["text"] and "automatically" in told["text"]
    assert "automatically" in draft["text"] and "weekly_update_post" not in json.dumps(draft)


@pytest.mark.parametrize("scheduler", [SchedulerPolicy(channel_pace_seconds=0)])
async def test_a_catch_up_past_autopost_time_posts_without_sending_a_stale_draft(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    await _week_written(slack, deps)
    assert await run_and_deliver(deps, clock, "weekly-update", AUTOPOST_AT) == 2
    [told] = slack_api.messages_in(EM)
    assert "automatically" in told["text"] and slack_api.calls_to("chat.update") == []


@pytest.mark.parametrize("scheduler", [SchedulerPolicy(channel_pace_seconds=0)])
async def test_entries_after_the_post_follow_it_with_no_second_post(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    await _week_written(slack, deps)
    assert await run_and_deliver(deps, clock, "weekly-update", AUTOPOST_AT) == 2
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
    assert "Kickoff" not in edited and "*No entry this week* (1):\\n*Globex*" in edited
    [late] = [c for c in slack_api.calls_to("chat.postMessage") if c.params.get("thread_ts")]
    assert late.params["thread_ts"] == post["ts"] and late.params["channel"] == CHANNEL
    assert "Kickoff" in json.dumps(late.params["blocks"]) and "Globex" in late.params["text"]
    posts = [c for c in slack_api.calls_to("chat.postMessage") if c.params["channel"] == CHANNEL]
    assert [c.params.get("thread_ts") for c in posts] == [None, post["ts"]]  # no second post

    # The late entry, changed again, redraws its reply in place.
    again = {"account": str(globex.id), "progress": "Kickoff done"}
    assert await write(slack, again, "U0CAROL") is None
    await run_and_deliver(deps, clock, "weekly-update", AUTOPOST_AT + timedelta(hours=3))
    [_, reply_edit] = slack_api.calls_to("chat.update")
    [_, late_reply] = slack_api.messages_in(CHANNEL)
    assert reply_edit.params["ts"] == late_reply["ts"] != post["ts"]
    assert "Kickoff done" in late_reply["text"] + json.dumps(late_reply["blocks"])
    assert "_(edited)_" in json.dumps(late_reply["blocks"])
    assert len(slack_api.messages_in(CHANNEL)) == len(posts)  # edited, not posted again


async def test_edit_opens_the_ems_own_team_wide_entry_and_refuses_anyone_else(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    await _week_written(slack, deps)
    assert await write(slack, {"account": TEAM_WIDE, "progress": "Hiring & <!here>"}, EM) is None
    assert await run_and_deliver(deps, clock, "weekly-update", DRAFT_AT) == 1
    [draft] = slack_api.messages_in(EM)

    await slack.click(EM, draft, "weekly_update_edit", user="U0ALICE")
    refused = await _answer(slack_api, 2)  # the EM's entry was confirmed too
    assert (
        "Only the EM or a team admin can edit the weekly update's draft" in refused.params["text"]
    )
    opened = len(slack_api.calls_to("views.open"))

    await slack.click(EM, draft, "weekly_update_edit", user=EM)
    view = (await slack_api.wait_for("views.open", count=opened + 1))[-1].params["view"]
    shown = json.dumps(view)
    assert '"initial_value": "Hiring & <!here>"' in shown  # as typed: a text input, not mrkdwn
    account = next(b for b in view["blocks"] if b.get("block_id") == "account")
    assert account["element"]["initial_option"]["value"] == TEAM_WIDE

    # Saved from there, it changes that entry, which the draft's post then shows.
    filled = {"account": TEAM_WIDE, "progress": "Hiring done"}
    response = await slack.submit_view(view, state_values(UPDATE_FIELDS, filled), user=EM)
    assert response.status == 200 and await slack.json_of(response) is None
    entries, _ = await week_entries(deps, week_of(clock.now.date()))
    assert [e.progress for e in entries if e.author == EM] == ["Hiring done"]


async def _busy_week(deps: Deps, accounts: int) -> list[Account]:
    """`accounts` accounts, each with an entry from its own lead, and 12 weeks of assistant
    DAU for the first three."""
    made = [await make_account(deps, name=f"Account {n:02}") for n in range(1, accounts + 1)]
    for n, account in enumerate(made, 1):
        draft = validate_entry({"account": str(account.id), "progress": f"moved {n}"})
        assert not isinstance(draft, dict)
        await save_entry(deps, draft, f"U0LEAD{n:02}")
    for account in made[:3]:
        await record_snapshots(
            deps,
            [
                (
                    n,
                    SnapshotInput(
                        account=account.name,
                        day=DRAFT_AT.date() - timedelta(days=n),
                        dau=50,
                        mau=100,
                        seats=1000,
                        assistant_dau=40 - n // 7,
                    ),
                )
                for n in range(84)
            ],
        )
    return made


@pytest.mark.parametrize("scheduler", [SchedulerPolicy(channel_pace_seconds=0)])
async def test_a_long_week_goes_out_threaded_with_its_chart_and_late_entries_redraw_in_place(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    made = await _busy_week(deps, 30)
    quiet = await make_account(deps, name="Zeta Quiet")
    assert await run_and_deliver(deps, clock, "weekly-update", AUTOPOST_AT) == 30 + 3

    post, *replies, chart = slack_api.messages_in(CHANNEL)
    summary = json.dumps(post["blocks"])
    assert "Account 30" in summary and "moved 7" not in summary and slack_api.violations == []
    assert "*No entry this week* (1):\\n*Zeta Quiet*" in summary
    assert [r["thread_ts"] for r in replies] == [post["ts"]] * 30
    assert "moved 7" in json.dumps(replies[6]["blocks"]) and "Account 07" in replies[6]["text"]
    (file,) = chart["files"]
    assert chart["thread_ts"] == post["ts"] and file["name"] == "assistant-dau-2026-W48.png"
    uploaded = slack_api.files[file["id"]]
    assert uploaded["content"].startswith(b"\x89PNG") and uploaded["channel"] == CHANNEL
    assert "Line chart of weekly assistant DAU" in uploaded["alt_txt"]

    # An entry changed: its account's reply is edited, nothing else.
    clock.now = AUTOPOST_AT + timedelta(hours=1)
    changed = validate_entry({"account": str(made[6].id), "progress": "moved 7 & more"})
    assert not isinstance(changed, dict)
    await save_entry(deps, changed, "U0LEAD07")
    # A late first entry: a reply of its own, and the summary no longer lists it as missing.
    late = validate_entry({"account": str(quiet.id), "blockers": "No budget"})
    assert not isinstance(late, dict)
    await save_entry(deps, late, "U0ZETA")
    await run_and_deliver(deps, clock, "weekly-update", AUTOPOST_AT + timedelta(hours=2))

    first, second = slack_api.calls_to("chat.update")
    assert first.params["ts"] == replies[6]["ts"]
    assert "moved 7 &amp; more" in json.dumps(first.params["blocks"])
    assert second.params["ts"] == post["ts"]
    assert "No entry this week" not in json.dumps(second.params["blocks"])
    *_, added = slack_api.messages_in(CHANNEL)
    assert added["thread_ts"] == post["ts"] and "No budget" in json.dumps(added["blocks"])
    assert len([m for m in slack_api.messages_in(CHANNEL) if "thread_ts" not in m]) == 1


@pytest.mark.parametrize("scheduler", [SchedulerPolicy(channel_pace_seconds=0)])
async def test_an_upload_slack_fails_with_a_500_is_retried_and_shared_once(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    await _busy_week(deps, 1)
    slack_api.fail_next("files.completeUploadExternal", "internal_error", status=500)
    assert await run_and_deliver(deps, clock, "weekly-update", AUTOPOST_AT) == 1 + 2
    assert [f for f in slack_api.files.values() if "channel" in f] == []
    await run_and_deliver(deps, clock, "weekly-update", AUTOPOST_AT + timedelta(minutes=5))
    shared = [f for f in slack_api.files.values() if "channel" in f]
    assert len(shared) == 1 and len(slack_api.calls_to("files.completeUploadExternal")) == 2


@pytest.mark.parametrize("scheduler", [SchedulerPolicy(channel_pace_seconds=0)])
async def test_the_post_lists_the_pending_partner_nominations(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    await _week_written(slack, deps)
    hostile = TAILSPIN | {"company": "Tailspin <!channel> & Co"}
    assert await nominate(slack, hostile) is None
    assert await run_and_deliver(deps, clock, "weekly-update", AUTOPOST_AT) == 2
    post = json.dumps(next(m for m in slack_api.messages_in(CHANNEL) if "Weekly" in m["text"]))
    assert "*Pending nominations* (1)" in post and f"<@{NOMINATOR}>" in post
    assert "*Tailspin &lt;!channel&gt; &amp; Co*" in post
