"""Channels as an admin sets them up: settings written as #names become IDs at start-up,
a public channel the bot was not invited to is joined, and a private one is reported
once, by name. Against the loopback Slack API."""

from __future__ import annotations

import pytest

from bot.blocks.common import info_message
from bot.config import ConfigError, TeamPolicy
from bot.deps import Deps, utc_now
from bot.services import notify
from bot.services.notify import Queueing
from bot.startup.channels import with_channel_ids
from tests.slack_api import FakeSlackApi
from tests.test_delivery import drain, engine_deps, engines

ADMIN = "C0ADMIN"


@pytest.mark.parametrize(
    "team", [TeamPolicy(strategic_channel="#cp-strategic", alerts_channel="#alerts")]
)
async def test_names_become_ids_once_at_start_up(deps: Deps, slack_api: FakeSlackApi) -> None:
    for n in range(1200):  # past one page of conversations.list
        slack_api.add_channel(f"C0FILL{n:04}", f"fill-{n}")
    slack_api.add_channel("C0ALERTS", "alerts")
    updates = deps.settings.updates.model_copy(update={"channel": "C0WEEKLY"})
    deps = Deps(settings=deps.settings.model_copy(update={"updates": updates}), db=deps.db)

    resolved = await with_channel_ids(deps)

    team = resolved.settings.team
    assert (team.strategic_channel, team.alerts_channel) == ("C0CPSTRATEGIC", "C0ALERTS")
    assert resolved.settings.updates_channel() == "C0WEEKLY"  # an ID stays as written
    assert len(slack_api.calls_to("conversations.list")) == 2


@pytest.mark.parametrize("team", [TeamPolicy(strategic_channel="C0STRAT")])
async def test_settings_with_ids_only_ask_slack_nothing(
    deps: Deps, slack_api: FakeSlackApi
) -> None:
    assert (await with_channel_ids(deps)).settings == deps.settings
    assert slack_api.calls == []


@pytest.mark.parametrize("team", [TeamPolicy(alerts_channel="#gone")])
async def test_a_name_not_in_the_workspace_stops_start_up_naming_the_setting(
    deps: Deps, slack_api: FakeSlackApi
) -> None:
    slack_api.add_channel("C0SECRET", "gone", private=True)  # private, bot not in it
    with pytest.raises(ConfigError) as refused:
        await with_channel_ids(deps)
    said = str(refused.value)
    assert "#gone ([team] alerts_channel)" in said and "/invite @strategic-bot" in said


async def _post(deps: Deps, channel: str, ref: str) -> None:
    async with deps.db.session() as session:
        by = Queueing("test", utc_now(), deps.bell)
        await notify.post(session, by, ref=ref, channel=channel, message=info_message(ref))


async def test_a_public_channel_the_bot_is_not_in_is_joined_and_posted_to_once(
    deps: Deps, slack_api: FakeSlackApi
) -> None:
    slack_api.add_channel("C0PUBLIC", "acme-shared")
    fast = engine_deps(deps, deps.db, admin_channel=ADMIN)
    await _post(fast, "C0PUBLIC", "first")
    async with engines(fast) as [delivery]:
        settled = await drain(delivery, fast.db)

    assert {r.status for r in settled.values()} == {"sent"}
    assert [c.params["channel"] for c in slack_api.calls_to("conversations.join")] == ["C0PUBLIC"]
    assert [m["text"] for m in slack_api.messages_in("C0PUBLIC")] == ["first"]
    assert slack_api.messages_in(ADMIN) == []


async def test_a_private_channel_it_cannot_join_is_reported_once_by_name(
    deps: Deps, slack_api: FakeSlackApi
) -> None:
    slack_api.add_channel("C0PRIVATE", "acme-private", private=True)
    fast = engine_deps(deps, deps.db, admin_channel=ADMIN)
    await _post(fast, "C0PRIVATE", "one")
    await _post(fast, "C0PRIVATE", "two")
    async with engines(fast) as [delivery]:
        settled = await drain(delivery, fast.db)

    failed = [r for r in settled.values() if r.channel == "C0PRIVATE"]
    assert [r.status for r in failed] == ["failed", "failed"]
    assert all("not in C0PRIVATE and cannot join it" in (r.last_error or "") for r in failed)
    [report] = slack_api.messages_in(ADMIN)
    assert "C0PRIVATE" in report["text"] + str(report["blocks"])
    assert slack_api.messages_in("C0PRIVATE") == []
