"""The App Home tab, end to end."""

from __future__ import annotations

import json

import pytest

from bot.deps import Deps
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
