"""`[team] currency` reaches what Slack shows: the card, the renewals list and the weekly
post write ARR in it (the builders only write what they are given)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from bot.config import SchedulerPolicy, TeamPolicy
from bot.deps import Deps
from tests.app_client import AppClient, payload
from tests.conftest import Clock
from tests.factories import make_account
from tests.scheduled import run_and_deliver
from tests.slack_api import FakeSlackApi

EM, CHANNEL = "U0EMMA", "C0STRAT"
pytestmark = pytest.mark.parametrize(
    "team",
    [TeamPolicy(currency="EUR", em=EM, strategic_channel=CHANNEL, show_sensitive_in_channels=True)],
)


async def test_the_card_and_the_renewals_write_the_teams_currency(
    slack: AppClient, deps: Deps
) -> None:
    await make_account(deps, contract_end=date(2027, 1, 10))
    card = await slack.ask("account show Acme Corp", user="U0AE")
    assert "EUR 1,200,000" in card and "USD" not in card
    renewals = await slack.ask("renewals", user="U0AE")
    assert "EUR 1,200,000" in renewals and "USD" not in renewals


@pytest.mark.parametrize("scheduler", [SchedulerPolicy(channel_pace_seconds=0)])
async def test_the_weekly_post_writes_the_teams_currency(
    deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    await make_account(deps, contract_end=date(2027, 1, 10))
    at = datetime(2026, 11, 27, 16, tzinfo=UTC)
    assert await run_and_deliver(deps, clock, "weekly-update", at) == 2
    [post] = slack_api.messages_in(CHANNEL)
    assert "ARR EUR 1,200,000" in json.dumps(post["blocks"])


async def test_the_app_home_writes_the_teams_currency(
    slack: AppClient, deps: Deps, slack_api: FakeSlackApi
) -> None:
    await make_account(deps, contract_end=date(2027, 1, 10))
    event = payload("app_home_opened")
    event["event"]["user"] = "U0AE"  # the account's AE sees its ARR
    assert (await slack.event(event)).status == 200
    [published] = await slack_api.wait_for("views.publish")
    shown = json.dumps(published.params["view"])
    assert "ARR EUR 1,200,000" in shown and "iARR closed in" in shown and "USD" not in shown
