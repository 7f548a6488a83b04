"""Strategy initiatives (issue 15) end to end: `/strategic initiative add` and its modal,
`/strategic initiatives` soonest due first, the status menu by the owner or an admin, and
the initiative-reminders job's DMs — through signed HTTP against the loopback Slack API."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.blocks.initiatives import INITIATIVE_FIELDS
from bot.config import SchedulerPolicy, TeamPolicy
from bot.deps import Deps
from storage.models import AuditRow, InitiativeRow
from tests.app_client import AppClient, fresh_trigger_id, payload
from tests.conftest import Clock
from tests.forms import state_values
from tests.scheduled import run_and_deliver
from tests.slack_api import FakeSlackApi

ADMIN, RYAN, STRANGER = "U0ADMIN", "U0RYAN", "U0STRANGER"
pytestmark = pytest.mark.parametrize(
    ("team", "scheduler"),
    [(TeamPolicy(admins=[ADMIN]), SchedulerPolicy(channel_pace_seconds=0))],
)
TODAY = date(2026, 11, 23)
"""The test clock's day (conftest): 09:00 UTC, the team's time."""
REFUSED = "Only <@U0RYAN>, who owns this initiative, or a team admin can change its status."


async def _rows(deps: Deps) -> int:
    async with deps.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(InitiativeRow)) or 0)


async def _modal(slack: AppClient, slack_api: FakeSlackApi) -> Any:
    earlier = len(slack_api.calls_to("views.open"))
    await slack.command("initiative add", user=RYAN)
    return (await slack_api.wait_for("views.open", count=earlier + 1))[-1].params["view"]


async def _add(slack: AppClient, view: Any, title: str, due: date, owner: str = RYAN) -> Any:
    filled = state_values(
        INITIATIVE_FIELDS, {"title": title, "owner": owner, "due": due.isoformat()}
    )
    return await slack.json_of(await slack.submit_view(view, filled, user=RYAN))


async def _listed(slack: AppClient) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await slack.ask("initiatives"))
    return message | {"ts": "1.0"}


async def choose(
    slack: AppClient, message: dict[str, Any], title: str, status: str, user: str
) -> None:
    """Pick `status` in the menu beside `title`, as Slack sends a static_select."""
    block = next(b for b in message["blocks"] if b.get("accessory") and title in b["text"]["text"])
    menu = block["accessory"]
    chosen = next(o for o in menu["options"] if o["text"]["text"].endswith(status))
    body = payload("block_actions")
    body["user"]["id"] = user
    body["trigger_id"] = fresh_trigger_id()
    body["message"].update(ts=message["ts"], text=message["text"], blocks=message["blocks"])
    body["response_url"] = slack.api.response_url()
    body["actions"] = [
        {
            "type": "static_select",
            "action_id": menu["action_id"],
            "block_id": block.get("block_id", "b"),
            "selected_option": chosen,
            "action_ts": f"{time.time():.6f}",
        }
    ]
    assert (await slack.interaction(body)).status == 200


async def _answer(slack_api: FakeSlackApi, earlier: int) -> Any:
    return (await slack_api.wait_for("response_url", count=earlier + 1))[-1].params


async def test_added_in_the_modal_and_listed_soonest_due_first(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    assert "No initiatives yet. `/strategic initiative add` adds one." in await slack.ask(
        "initiatives"
    )
    view = await _modal(slack, slack_api)
    assert view["callback_id"] == "initiative_add"
    owner = next(b for b in view["blocks"] if b["block_id"] == "owner")
    assert owner["element"]["initial_user"] == RYAN  # whoever typed it, changeable
    assert await _add(slack, view, "Pilot <!channel> on cloud", TODAY + timedelta(days=30)) is None
    confirmed = (await slack_api.wait_for("response_url", count=2))[-1]
    assert "Added. *Pilot &lt;!channel&gt; on cloud* · due 2026-12-23" in confirmed.params["text"]
    assert await _add(slack, view, "Understand the space", TODAY) is None

    listed = await slack.ask("initiatives")
    assert "Strategy initiatives (2)" in listed
    assert listed.index("Understand the space") < listed.index("Pilot &lt;!channel&gt;")
    assert "<@U0RYAN> · not started" in listed
    assert "`initiative` needs one of" in await slack.ask("initiative")
    async with deps.db.session() as session:
        actions = (await session.execute(select(AuditRow.action))).scalars().all()
    assert actions.count("initiative.add") == 2


async def test_a_due_date_in_the_past_is_refused_in_the_modal(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    view = await _modal(slack, slack_api)
    refused = await _add(slack, view, "Too late", TODAY - timedelta(days=1))
    assert refused["errors"] == {"due": "the due date has passed; choose today or later"}
    no_owner = await _add(slack, view, "Nobody's", TODAY, owner="")
    assert no_owner["errors"] == {"owner": "is required"}
    assert await _rows(deps) == 0


async def test_the_owner_or_an_admin_moves_the_status_and_nobody_else(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await _add(slack, await _modal(slack, slack_api), "Pilot on cloud", TODAY)
    listed = await _listed(slack)
    earlier = len(slack_api.calls_to("response_url"))

    await choose(slack, listed, "Pilot on cloud", "in progress", STRANGER)
    assert REFUSED in (await _answer(slack_api, earlier))["text"]
    async with deps.db.session() as session:
        assert (await session.scalars(select(InitiativeRow.status))).one() == "not started"

    await choose(slack, listed, "Pilot on cloud", "in progress", RYAN)
    redrawn = await _answer(slack_api, earlier + 1)
    assert redrawn["replace_original"] is True
    shown = json.dumps(redrawn["blocks"], ensure_ascii=False)
    assert "🔄 *Pilot on cloud* · due 2026-11-23 · <@U0RYAN> · in progress" in shown

    await choose(slack, listed, "Pilot on cloud", "in progress", RYAN)
    again = await _answer(slack_api, earlier + 2)
    assert "Pilot on cloud is already in progress; nothing changed." in again["text"]

    await choose(slack, listed, "Pilot on cloud", "done", ADMIN)
    done = json.dumps((await _answer(slack_api, earlier + 3))["blocks"], ensure_ascii=False)
    assert "✅ *Pilot on cloud*" in done
    async with deps.db.session() as session:
        audit = (
            await session.scalars(select(AuditRow).where(AuditRow.action == "initiative.status"))
        ).all()
    assert [a.changes for a in audit] == [
        {"status": ["not started", "in progress"]},
        {"status": ["in progress", "done"]},
    ]


def nine(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


async def test_the_owner_is_told_a_week_before_and_the_day_after_each_once(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps, clock: Clock
) -> None:
    due = TODAY + timedelta(days=10)
    view = await _modal(slack, slack_api)
    await _add(slack, view, "Pilot on cloud", due)
    await _add(slack, view, "Done early", due, owner="U0LEE")
    lee = await _listed(slack)
    await choose(slack, lee, "Done early", "done", "U0LEE")
    await slack_api.wait_for("response_url", count=3)

    run = "initiative-reminders"
    assert await run_and_deliver(deps, clock, run, nine(TODAY)) == 0  # ten days before
    assert await run_and_deliver(deps, clock, run, nine(due - timedelta(days=7))) == 1
    [week] = slack_api.messages_in(RYAN)
    assert "*Pilot on cloud* is due on 2026-12-03, in 7 days." in json.dumps(week["blocks"])
    assert await run_and_deliver(deps, clock, run, nine(due - timedelta(days=7))) == 0  # ran
    assert await run_and_deliver(deps, clock, run, nine(due - timedelta(days=6))) == 0
    assert await run_and_deliver(deps, clock, run, nine(due)) == 0
    assert await run_and_deliver(deps, clock, run, nine(due + timedelta(days=1))) == 1
    overdue = slack_api.messages_in(RYAN)[-1]
    assert "was due on 2026-12-03 and is not done" in json.dumps(overdue["blocks"])
    assert await run_and_deliver(deps, clock, run, nine(due + timedelta(days=2))) == 0
    assert slack_api.messages_in("U0LEE") == []  # done: nothing to remind

    # The reminder's own menu marks it done; the DM is redrawn as the initiative alone.
    earlier = len(slack_api.calls_to("response_url"))
    await choose(slack, overdue, "Pilot on cloud", "done", RYAN)
    redrawn = await _answer(slack_api, earlier)
    assert "Strategy initiatives" not in json.dumps(redrawn["blocks"])
    assert "✅ *Pilot on cloud*" in json.dumps(redrawn["blocks"], ensure_ascii=False)
