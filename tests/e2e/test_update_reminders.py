"""The update-reminders job, its Write update button and Snooze menu, and `/strategic away`,
end to end through the job runner and signed HTTP against the loopback Slack API.

The week is 2026-W48 (Monday 23 November). The lead engineer is in Berlin (15:00 on
Thursday is 14:00 UTC), the member in Los Angeles (15:00 there is 23:00 UTC).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.blocks.common import Message
from bot.deps import Deps
from bot.domain.updates import UpdatePolicy, Week
from bot.domain.weekly import post_ref
from bot.ids import Action, Callback
from bot.services import notify
from storage.models import UpdateAwayRow, UpdateReminderRow
from tests.app_client import AppClient, fresh_trigger_id, payload
from tests.conftest import Clock
from tests.e2e.test_updates import write
from tests.factories import make_account
from tests.scheduled import run_and_deliver
from tests.slack_api import FakeSlackApi

LEAD, MEMBER = "U0LEAD", "U0MEMBER"
WEEK = Week(datetime(2026, 11, 23).date())
JOB = "update-reminders"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def deps(deps: Deps) -> Deps:
    updates = UpdatePolicy(members=[MEMBER])
    return replace(deps, settings=deps.settings.model_copy(update={"updates": updates}))


@pytest.fixture(autouse=True)
async def people(deps: Deps, slack_api: FakeSlackApi) -> None:
    await make_account(deps, lead_engineer=LEAD)
    slack_api.users[LEAD] = {"tz": "Europe/Berlin"}
    slack_api.users[MEMBER] = {"tz": "America/Los_Angeles"}


def reminded(slack_api: FakeSlackApi) -> list[str]:
    return [c.params["channel"] for c in slack_api.calls_to("chat.postMessage")]


async def remind(deps: Deps, clock: Clock, when: datetime) -> int:
    return await run_and_deliver(deps, clock, JOB, when)


async def test_each_is_reminded_at_their_own_thursday_15_00_once(
    deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    assert await remind(deps, clock, at(26, 13)) == 0  # 14:00 in Berlin
    assert await remind(deps, clock, at(26, 14)) == 1
    assert reminded(slack_api) == [LEAD]
    [dm] = slack_api.messages_in(LEAD)
    text = json.dumps(dm["blocks"])
    assert "2026-W48" in text and "Write update" in text and "Tomorrow 9:00" in text
    assert await remind(deps, clock, at(26, 22)) == 0  # 14:00 in Los Angeles; Berlin had it
    assert await remind(deps, clock, at(26, 23)) == 1
    assert reminded(slack_api) == [LEAD, MEMBER]
    assert await remind(deps, clock, at(27, 9)) == 0


async def test_a_run_after_downtime_reminds_everyone_whose_time_passed(
    deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    assert await remind(deps, clock, at(27, 6)) == 2
    assert sorted(reminded(slack_api)) == [LEAD, MEMBER]


async def test_not_after_writing_an_entry(
    deps: Deps, clock: Clock, slack: AppClient, slack_api: FakeSlackApi
) -> None:
    clock.now = at(26, 10)
    assert await write(slack, {"account": "team", "progress": "Shipped"}, user=LEAD) is None
    assert await remind(deps, clock, at(27, 6)) == 1
    assert reminded(slack_api) == [MEMBER]


async def test_not_after_the_post_is_queued(
    deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    async with deps.db.session() as session:
        by = notify.Queueing("weekly-update", at(26, 13), deps.bell)
        post = Message("Weekly update", [])
        await notify.post(session, by, ref=post_ref(WEEK), channel="C0UPD", message=post)
    assert await remind(deps, clock, at(26, 14)) == 0


async def test_away_until_a_future_date_stops_them_and_away_off_resumes(
    deps: Deps, clock: Clock, slack: AppClient, slack_api: FakeSlackApi
) -> None:
    assert "through" in await slack.ask("away until 2026-11-30", user=LEAD)
    assert await remind(deps, clock, at(26, 14)) == 0
    assert "on again" in await slack.ask("away off", user=LEAD)
    assert await remind(deps, clock, at(26, 15)) == 1
    assert reminded(slack_api) == [LEAD]


async def test_a_past_away_date_is_refused_with_nothing_written(
    deps: Deps, slack: AppClient
) -> None:
    answer = await slack.ask("away until 2026-11-22", user=LEAD)
    assert "2026-11-22 is in the past" in answer
    assert "YYYY-MM-DD" in await slack.ask("away until soon", user=LEAD)
    assert await rows(deps, UpdateAwayRow) == []


async def rows(deps: Deps, table: Any) -> list[Any]:
    async with deps.db.session() as session:
        return list((await session.execute(table.__table__.select())).all())


async def choose(slack: AppClient, user: str, dm: dict[str, Any], option: str) -> None:
    """Pick `option` in the reminder's Snooze menu, as Slack sends a static_select."""
    [block] = [b for b in dm["blocks"] if b["type"] == "actions"]
    menu = next(e for e in block["elements"] if e["type"] == "static_select")
    chosen = next(o for o in menu["options"] if o["text"]["text"] == option)
    body = payload("block_actions")
    body["user"]["id"] = user
    body["trigger_id"] = fresh_trigger_id()
    body["message"].update(ts=dm["ts"], text=dm["text"], blocks=dm["blocks"])
    body["response_url"] = slack.api.response_url()
    body["actions"] = [
        {
            "type": "static_select",
            "action_id": menu["action_id"],
            "block_id": block["block_id"],
            "selected_option": chosen,
            "action_ts": "1",
        }
    ]
    assert (await slack.interaction(body)).status == 200


async def test_a_snooze_reminds_again_after_the_hour(
    deps: Deps, clock: Clock, slack: AppClient, slack_api: FakeSlackApi
) -> None:
    assert await remind(deps, clock, at(26, 14)) == 1
    [dm] = slack_api.messages_in(LEAD)
    clock.now = at(26, 14, 20)
    await choose(slack, LEAD, dm, "1 hour")
    [redrawn] = await slack_api.wait_for("response_url")
    assert "Snoozed: I will remind you again" in json.dumps(redrawn.params)
    assert await remind(deps, clock, at(26, 15)) == 0  # 15:20 has not come
    assert await remind(deps, clock, at(26, 16)) == 1
    assert await remind(deps, clock, at(26, 17)) == 0
    assert reminded(slack_api) == [LEAD, LEAD]


async def test_a_snooze_into_the_past_is_refused_with_nothing_written(
    deps: Deps, clock: Clock, slack: AppClient, slack_api: FakeSlackApi
) -> None:
    assert await remind(deps, clock, at(26, 14)) == 1
    [dm] = slack_api.messages_in(LEAD)
    before = await rows(deps, UpdateReminderRow)
    clock.now = at(27, 10)  # 11:00 in Berlin: tomorrow 9:00 has passed
    await choose(slack, LEAD, dm, "Tomorrow 9:00")
    [refused] = await slack_api.wait_for("response_url")
    assert "That snooze time has passed" in json.dumps(refused.params)
    assert await rows(deps, UpdateReminderRow) == before


async def test_write_update_opens_the_entry_modal(
    deps: Deps, clock: Clock, slack: AppClient, slack_api: FakeSlackApi
) -> None:
    assert await remind(deps, clock, at(26, 14)) == 1
    [dm] = slack_api.messages_in(LEAD)
    assert (await slack.click(LEAD, dm, Action.UPDATE_WRITE, user=LEAD)).status == 200
    [opened] = await slack_api.wait_for("views.open")
    assert opened.params["view"]["callback_id"] == Callback.UPDATE_ENTRY
    assert "2026-W48" in json.dumps(opened.params["view"])


async def test_without_a_zone_in_slack_team_time_is_theirs(
    deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    slack_api.users[MEMBER] = {"tz": None}
    slack_api.users[LEAD] = {"tz": "Nowhere/Atlantis"}
    assert await remind(deps, clock, at(26, 14)) == 0  # team time is UTC here
    assert await remind(deps, clock, at(26, 15)) == 2
    assert len(slack_api.calls_to("users.info")) == 4  # each looked up once per run
