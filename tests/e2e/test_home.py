"""The App Home tab, end to end."""

from __future__ import annotations

import json

import pytest

from bot.config import SchedulerPolicy
from bot.deps import Deps
from jobs.catalog import load_jobs
from jobs.delivery import Delivery, delivery_client
from jobs.runner import run_occurrence
from tests.app_client import AppClient, payload
from tests.factories import make_account
from tests.slack_api import FakeSlackApi


async def test_home_tab_shows_the_portfolio(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await make_account(deps)
    await make_account(deps, name="Initech", tier=2)

    response = await slack.event(payload("app_home_opened"))

    assert response.status == 200
    [call] = await slack_api.wait_for("views.publish")
    assert call.params["user_id"] == "U0ALICE"
    assert call.params["view"]["type"] == "home"
    shown = json.dumps(call.params["view"]["blocks"])
    assert "Acme Corp" in shown and "Initech" in shown


async def test_messages_tab_publishes_nothing(slack: AppClient, slack_api: FakeSlackApi) -> None:
    body = payload("app_home_opened")
    body["event"]["tab"] = "messages"
    assert (await slack.event(body)).status == 200
    with pytest.raises(AssertionError):
        await slack_api.wait_for("views.publish", timeout=0.5)


@pytest.mark.parametrize(
    "scheduler", [SchedulerPolicy(extra_job_modules=["tests.sample_jobs"], channel_pace_seconds=0)]
)
async def test_home_tab_previews_the_weeks_posts_and_the_last_sent(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    hello = load_jobs(deps.settings)["hello"]
    await run_occurrence(deps, hello, hello.schedule.latest(deps.clock()))
    assert await Delivery(deps, delivery_client(deps)).pass_once() == 1

    await slack.event(payload("app_home_opened"))

    [call] = await slack_api.wait_for("views.publish")
    shown = json.dumps(call.params["view"]["blocks"], ensure_ascii=False)
    assert "Scheduled posts this week" in shown
    # Daily at 09:00 beside the built-in daily jobs, Monday's journey reminders and OKR
    # check-ins, and Friday's weekly update (two runs): 25 posts in seven days, 15 listed,
    # the rest counted.
    assert shown.count("*hello*") == 4 and "*health-alerts*" in shown
    assert "*weekly-update*" in shown
    assert "…and 10 more (`strategic-bot jobs list --next 7d`)" in shown
    assert "Last sent: " in shown and "hello → <#C0SAMPLE>" in shown
