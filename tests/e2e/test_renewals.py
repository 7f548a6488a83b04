"""`/strategic renewals`, the renewal-reminders job and the end-date decision, end to end."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.renewals import RENEW_FIELDS
from bot.config import TeamPolicy
from bot.deps import Deps
from bot.domain.outbox import QueuedMessage
from bot.services.accounts import get_account
from jobs.delivery import Delivery
from storage import outbox
from storage.accounts import audit_trail
from tests.app_client import AppClient
from tests.conftest import TOKEN, Clock
from tests.factories import make_account
from tests.forms import state_values
from tests.scheduled import run_and_deliver
from tests.slack_api import FakeSlackApi

TODAY = date(2026, 11, 23)


def ending_in(days: int) -> dict[str, str]:
    end = TODAY + timedelta(days=days)
    return {
        "contract_start": (end - timedelta(days=364)).isoformat(),
        "contract_end": end.isoformat(),
    }


async def run_job(deps: Deps, clock: Clock, day: date) -> int:
    at = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    return await run_and_deliver(deps, clock, "renewal-reminders", at)


@pytest.mark.parametrize("team", [TeamPolicy(admins=["U0ADMIN"])])
async def test_renewals_list_soonest_first_with_arr_to_owners(slack: AppClient, deps: Deps) -> None:
    await make_account(deps, name="Later Co", ae="U0ALICE", arr=500_000, **ending_in(100))
    await make_account(deps, name="Soon Co", arr=700_000, **ending_in(30))
    await make_account(deps, name="Far Co", **ending_in(200))

    answer = await slack.ask("renewals")
    assert "Renewals in the next 120 days (2)" in answer
    assert answer.index("Soon Co") < answer.index("Later Co") and "Far Co" not in answer
    assert "(in 30 days)" in answer and "renewal planning due" in answer
    assert "ARR USD 500,000" in answer and "700,000" not in answer  # Alice: Later Co's AE only
    assert "Far Co" in await slack.ask("renewals 365")
    assert "DAYS is a number of days" in await slack.ask("renewals soon")


async def test_each_window_once_the_nearest_after_downtime_and_fresh_after_a_new_end(
    deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    account = await make_account(deps, channel="C0ACME", **ending_in(100))
    end = TODAY + timedelta(days=100)

    assert await run_job(deps, clock, TODAY) == 1  # 120-day window
    assert "contract ends on " + end.isoformat() + ", in 100 days" in json.dumps(
        slack_api.messages_in("C0ACME")[0]["blocks"]
    )
    assert "<@U0AE> <@U0TACE>" in json.dumps(slack_api.messages_in("C0ACME")[0]["blocks"])
    # A name not ending in s takes 's (Northwind Traders' takes ' only: tests/test_demo.py).
    assert "*Acme Corp*'s contract" in json.dumps(slack_api.messages_in("C0ACME")[0]["blocks"])
    assert await run_job(deps, clock, TODAY + timedelta(days=1)) == 0
    assert await run_job(deps, clock, end - timedelta(days=45)) == 1  # down across 90 and 60
    assert "in 45 days" in json.dumps(slack_api.messages_in("C0ACME")[-1]["blocks"])
    assert await run_job(deps, clock, end - timedelta(days=44)) == 0  # 90 was covered

    await make_account_end(deps, account.name, end + timedelta(days=365))
    assert await run_job(deps, clock, end - timedelta(days=43)) == 0  # new end: far away now
    new_end = end + timedelta(days=365)
    assert await run_job(deps, clock, new_end - timedelta(days=120)) == 1


async def make_account_end(deps: Deps, name: str, end: date) -> None:
    from bot.services.accounts import edit_account
    from tests.factories import draft

    account = await get_account(deps, name)
    await edit_account(
        deps,
        account.id,
        draft(name=name, channel="C0ACME", contract_start=account.contract_start, contract_end=end),
        "U0ADMIN",
    )


@pytest.fixture
async def end_day(deps: Deps, clock: Clock, slack_api: FakeSlackApi) -> dict[str, Any]:
    """Acme's contract ends today: the job asks its AE renewed or churned."""
    await make_account(deps, channel="C0ACME", **ending_in(0))
    assert await run_job(deps, clock, TODAY) == 1
    [message] = slack_api.messages_in("C0ACME")
    assert "contract ends today" in json.dumps(message["blocks"])
    return message


async def test_churned_marks_the_account_and_answers_in_place(
    end_day: dict[str, Any], slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await slack.click("C0ACME", end_day, "renewal_churned", user="U0AE")
    [answer] = await slack_api.wait_for("response_url")
    assert answer.params["replace_original"] is True
    assert "Churned, marked by <@U0AE>" in json.dumps(answer.params["blocks"])
    account = await get_account(deps, "Acme Corp")
    assert account.partner_status.value == "churned"
    async with deps.db.session() as session:
        assert (await audit_trail(session, account.id))[-1].action == "renewal.churned"


async def test_renewed_asks_for_a_later_end_and_updates_the_contract(
    end_day: dict[str, Any],
    slack: AppClient,
    slack_api: FakeSlackApi,
    deps: Deps,
    delivering: Delivery,
) -> None:
    """The answer replaces the question through the outbox: the sender edits it."""
    await slack.click("C0ACME", end_day, "renewal_renewed", user="U0AE")
    [opened] = await slack_api.wait_for("views.open")
    view = opened.params["view"]

    too_early = {"new_end": TODAY.isoformat()}
    refused = await slack.json_of(
        await slack.submit_view(view, state_values(RENEW_FIELDS, too_early), user="U0AE")
    )
    assert "the new end must be after the current end" in refused["errors"]["new_end"]
    assert (await get_account(deps, "Acme Corp")).contract_end == TODAY

    good = {"new_end": "2027-11-22"}
    response = await slack.submit_view(view, state_values(RENEW_FIELDS, good), user="U0AE")
    assert await slack.json_of(response) is None
    account = await get_account(deps, "Acme Corp")
    assert (account.contract_start, account.contract_end) == (
        TODAY + timedelta(days=1),
        date(2027, 11, 22),
    )
    [update] = await slack_api.wait_for("chat.update")
    assert "Renewed until 2027-11-22, by <@U0AE>" in json.dumps(update.params["blocks"])

    await slack.click("C0ACME", end_day, "renewal_churned", user="U0AE")  # the old question
    [stale] = await slack_api.wait_for("response_url")
    assert "contract already ends on 2027-11-22; nothing changed" in stale.params["text"]


@pytest.mark.parametrize("team", [TeamPolicy(admins=["U0ADMIN"])])
async def test_a_stranger_cannot_decide(
    end_day: dict[str, Any], slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await slack.click("C0ACME", end_day, "renewal_churned", user="U0STRANGER")
    [refused] = await slack_api.wait_for("response_url")
    assert (
        "Only Acme Corp's AE, its other owners or a team admin can decide."
        in refused.params["text"]
    )
    assert slack_api.calls_to("views.open") == []
    assert (await get_account(deps, "Acme Corp")).partner_status.value == "partner"


async def test_renewed_after_churned_is_refused_with_what_was_decided(
    end_day: dict[str, Any], slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    """The end-date decision is one decision: the second button is told who decided."""
    await slack.click("C0ACME", end_day, "renewal_churned", user="U0AE")
    await slack_api.wait_for("response_url")
    await slack.click("C0ACME", end_day, "renewal_renewed", user="U0TACE")
    [_, refused] = await slack_api.wait_for("response_url", count=2)
    assert "already decided by <@U0AE>" in refused.params["text"]
    assert "churned; nothing changed" in refused.params["text"]
    assert slack_api.calls_to("views.open") == []
    account = await get_account(deps, "Acme Corp")
    assert (account.partner_status.value, account.contract_end) == ("churned", TODAY)


async def test_a_renewal_whose_question_is_gone_is_saved_and_said_so(
    end_day: dict[str, Any],
    slack: AppClient,
    slack_api: FakeSlackApi,
    deps: Deps,
    delivering: Delivery,
) -> None:
    """The question was deleted from the channel: the renewal still commits, the submit
    answers as saved, and only the redraw fails (recorded in the outbox), never a false
    "nothing was changed"."""
    await slack.click("C0ACME", end_day, "renewal_renewed", user="U0AE")
    [opened] = await slack_api.wait_for("views.open")
    await AsyncWebClient(token=TOKEN, base_url=f"{slack_api.url}/api/").chat_delete(
        channel="C0ACME", ts=end_day["ts"]
    )
    values = state_values(RENEW_FIELDS, {"new_end": "2027-11-22"})
    response = await slack.submit_view(opened.params["view"], values, user="U0AE")
    assert response.status == 200 and await slack.json_of(response) is None
    assert (await get_account(deps, "Acme Corp")).contract_end == date(2027, 11, 22)
    await slack_api.wait_for("chat.update")
    [edit] = await settled(deps, kind="update")
    assert (edit.status, edit.last_error) == ("failed", "message_not_found")
    said = [c.params.get("text", "") for c in slack_api.calls_to("chat.postMessage")]
    assert not any("Nothing was changed" in text for text in said), said


async def settled(deps: Deps, kind: str) -> list[QueuedMessage]:
    """The outbox rows of `kind` once none is pending or sending (bounded: 10 s)."""
    for _ in range(200):
        async with deps.db.session() as session:
            rows = [r for r in await outbox.listing(session) if r.kind == kind]
        if rows and all(r.status in (outbox.SENT, outbox.FAILED) for r in rows):
            return rows
        await asyncio.sleep(0.05)
    raise AssertionError(f"outbox rows of kind {kind} did not settle: {rows}")
