"""`/strategic journey`, Mark done, and the journey-reminders job, end to end."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.config import TeamPolicy
from bot.deps import Deps
from storage.models import JourneyDoneRow
from tests.app_client import AppClient
from tests.conftest import Clock
from tests.factories import make_account
from tests.scheduled import run_and_deliver
from tests.slack_api import FakeSlackApi

# Today is 2026-11-23 (the clock fixture). A contract that started on 1 November:
NEW = {"contract_start": "2026-11-01", "contract_end": "2027-10-31", "tier": 2}


async def journey_answer(slack: AppClient, name: str, user: str = "U0ALICE") -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(await slack.ask(f"journey {name}", user=user))
    return answer


def button(answer: dict[str, Any], title: str) -> dict[str, Any]:
    return next(b for b in answer["blocks"] if b.get("accessory") and title in b["text"]["text"])


async def test_the_journey_shows_states_and_mark_done_records_it(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await make_account(deps, **NEW)
    answer = await journey_answer(slack, "acme corp")
    text = json.dumps(answer, ensure_ascii=False)
    assert "Acme Corp: customer journey" in text and "0 of" in text
    assert "*Onboard planning: onboarding and engagement plans* · overdue · due 2026-10-18" in text
    assert "*Kickoff meeting with the 30/60/90-day plan* · overdue · due 2026-11-15" in text
    assert "*Customer enablement* · due · due 2027-01-31" in text
    assert "*Account planning* · upcoming · due 2027-04-30" in text
    assert "…and 5 more" in text  # the rest of the year, QBR in Q3 for tier 2 among them

    kickoff = button(answer, "Kickoff meeting")
    message = {"ts": slack_api.add_message("C0GENERAL", answer["text"]), **answer}
    await slack.click("C0GENERAL", message, "journey_mark_done", user="U0AE", value=kickoff)
    updated = (await slack_api.wait_for("response_url", count=2))[-1]
    assert updated.params["replace_original"] is True
    done_line = "*Kickoff meeting with the 30/60/90-day plan* · done · done by <@U0AE>"
    assert done_line in json.dumps(updated.params["blocks"], ensure_ascii=False)
    again = await journey_answer(slack, "Acme Corp")
    assert "1 of" in json.dumps(again) and "done by <@U0AE>" not in json.dumps(
        [b for b in again["blocks"] if b.get("accessory")]
    )

    await slack.click("C0GENERAL", message, "journey_mark_done", user="U0TACE", value=kickoff)
    repeated = (await slack_api.wait_for("response_url", count=4))[-1]
    assert "<@U0AE> already marked this done; nothing changed." in repeated.params["text"]
    async with deps.db.session() as session:
        rows = (await session.execute(JourneyDoneRow.__table__.select())).all()
    assert len(rows) == 1


@pytest.mark.parametrize("team", [TeamPolicy(admins=["U0ADMIN"])])
async def test_mark_done_by_someone_not_allowed_changes_nothing(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await make_account(deps, **NEW)
    answer = await journey_answer(slack, "Acme Corp", user="U0AE")
    message = {"ts": slack_api.add_message("C0GENERAL", answer["text"]), **answer}
    kickoff = button(answer, "Kickoff meeting")
    await slack.click("C0GENERAL", message, "journey_mark_done", user="U0STRANGER", value=kickoff)
    refused = (await slack_api.wait_for("response_url", count=2))[-1]
    assert "Only Acme Corp's owners or a team admin can mark its journey." in refused.params["text"]
    assert "0 of" in json.dumps(await journey_answer(slack, "Acme Corp"))


async def test_no_journey_without_contract_dates(slack: AppClient, deps: Deps) -> None:
    await make_account(deps, contract_start=None, contract_end=None)
    answer = json.dumps(await journey_answer(slack, "Acme Corp"))
    assert "Acme Corp has no journey yet: the contract needs a start and an end date" in answer
    assert "Did you mean *Acme Corp*" in json.dumps(await journey_answer(slack, "Acme Crop"))


async def test_monday_reminders_go_to_the_channel_or_the_owners(
    deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    await make_account(deps, name="Channel Co", channel="C0CHAN", **NEW)
    await make_account(deps, name="Quiet Co", channel=None, ae="U0AE", ta_ce="U0TACE", **NEW)
    await make_account(
        deps,
        name="Later Co",
        channel="C0LATER",
        contract_start="2027-06-01",
        contract_end="2028-05-31",
    )
    monday = datetime(2026, 11, 23, 9, tzinfo=UTC)

    queued = await run_and_deliver(deps, clock, "journey-reminders", monday)

    assert queued == 3  # Channel Co's channel; Quiet Co's AE and TA/CE by DM
    [channel_post] = slack_api.messages_in("C0CHAN")
    text = json.dumps(channel_post["blocks"])
    assert "*Channel Co*: journey activities 3 overdue." in text  # Q1's are due in January
    assert text.count("journey_mark_done") == 3
    dms = {c.params["channel"] for c in slack_api.calls_to("chat.postMessage")} - {"C0CHAN"}
    assert dms == {"U0AE", "U0TACE"}
    assert slack_api.messages_in("C0LATER") == []  # onboarding is months away
