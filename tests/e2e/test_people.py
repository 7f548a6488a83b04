"""People at the customer (issue 15) end to end: `/strategic people ACCOUNT`, its Add
button and modal, Remove, the counts on the account card and the App Home — through
signed HTTP against the loopback Slack API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.blocks.people import PERSON_FIELDS
from bot.config import TeamPolicy
from bot.deps import Deps
from storage.accounts import audit_trail
from storage.models import CustomerPersonRow
from tests.app_client import AppClient, payload
from tests.factories import make_account
from tests.forms import state_values
from tests.slack_api import FakeSlackApi

ADMIN, TACE, STRANGER = "U0ADMIN", "U0TACE", "U0STRANGER"
pytestmark = pytest.mark.parametrize("team", [TeamPolicy(admins=[ADMIN])])
REFUSED = "Only Acme Corp's owners or a team admin can change its champions and advocates"
DANA = {
    "kind": "champion",
    "name": "Dana <!here> Reyes",
    "role": "VP Eng",
    "email": "dana@acme.example",
}


async def _people(deps: Deps) -> int:
    async with deps.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(CustomerPersonRow)) or 0)


async def _listed(slack: AppClient, user: str = TACE) -> dict[str, Any]:
    """The people list of Acme Corp as `user` gets it, clickable (an ephemeral has no ts)."""
    message: dict[str, Any] = json.loads(await slack.ask("people Acme Corp", user=user))
    return message | {"ts": "1.0"}


async def _open_add(slack: AppClient, slack_api: FakeSlackApi, user: str = TACE) -> Any:
    earlier = len(slack_api.calls_to("views.open"))
    await slack.click("C0GENERAL", await _listed(slack), "customer_people_add", user=user)
    return (await slack_api.wait_for("views.open", count=earlier + 1))[-1].params["view"]


async def _add(slack: AppClient, view: Any, values: dict[str, str], user: str = TACE) -> Any:
    filled = state_values(PERSON_FIELDS, values)
    return await slack.json_of(await slack.submit_view(view, filled, user=user))


async def test_an_owner_adds_a_champion_and_an_advocate_and_the_list_shows_them(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    account = await make_account(deps)
    empty = await slack.ask("people Acme Corp")
    assert "No champions or advocates recorded for *Acme Corp* yet." in empty
    assert "*Champions* 0 · *Advocates* 0" in empty and "customer_people_add" in empty

    view = await _open_add(slack, slack_api)
    assert view["callback_id"] == "customer_person_add" and "Acme Corp" in json.dumps(view)
    assert await _add(slack, view, DANA) is None
    confirmed = (await slack_api.wait_for("response_url", count=3))[-1]  # 2 lists, 1 confirmation
    assert "Dana &lt;!here&gt; Reyes" in json.dumps(confirmed.params["blocks"])
    advocate = {"kind": "advocate", "name": "Lee", "slack_user": "U0LEEATACME"}
    assert await _add(slack, view, advocate) is None

    listed = await slack.ask("people Acme Corp", user=STRANGER)  # anyone on the team reads it
    assert "*Champions* 1 · *Advocates* 1" in listed
    assert listed.index("Dana &lt;!here&gt; Reyes*, VP Eng · champion") < listed.index("*Lee*")
    assert "dana@acme.example" in listed and "<@U0LEEATACME>" in listed
    async with deps.db.session() as session:
        trail = await audit_trail(session, account.id)
    assert [e.action for e in trail][-2:] == ["people.add", "people.add"]
    assert trail[-1].changes == {"advocate": [None, "Lee · <@U0LEEATACME>"]}


async def test_an_email_that_is_not_one_or_no_way_to_reach_them_is_said_in_the_modal(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await make_account(deps)
    view = await _open_add(slack, slack_api)
    not_an_email = await _add(slack, view, DANA | {"email": "dana at acme"})
    assert not_an_email["errors"] == {"email": "write an email address like name@example.com"}
    unreachable = await _add(slack, view, {"kind": "advocate", "name": "Kim"})
    assert unreachable["errors"] == {"email": "choose their Slack user or write their email"}
    assert await _people(deps) == 0


async def test_someone_not_an_owner_is_refused_at_the_button_and_at_a_forged_submit(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await make_account(deps)
    listed = await _listed(slack, user=STRANGER)
    await slack.click("C0GENERAL", listed, "customer_people_add", user=STRANGER)
    refused = (await slack_api.wait_for("response_url", count=2))[-1]
    assert REFUSED in refused.params["text"]
    assert slack_api.calls_to("views.open") == []

    view = await _open_add(slack, slack_api)  # the TA/CE opened it; a stranger submits it
    forged = await _add(slack, view, DANA, user=STRANGER)
    assert REFUSED in json.dumps(forged["errors"])
    assert await _people(deps) == 0
    assert await _add(slack, view, DANA, user=ADMIN) is None  # an admin may
    assert await _people(deps) == 1


async def test_remove_takes_a_person_off_by_an_owner_only_and_a_second_click_finds_none(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    account = await make_account(deps)
    await _add(slack, await _open_add(slack, slack_api), DANA)
    listed = await _listed(slack)
    calls = len(slack_api.calls_to("response_url"))

    await slack.click("C0GENERAL", listed, "customer_person_remove", user=STRANGER)
    [refused] = (await slack_api.wait_for("response_url", count=calls + 1))[-1:]
    assert REFUSED in refused.params["text"] and await _people(deps) == 1

    await slack.click("C0GENERAL", listed, "customer_person_remove", user=TACE)
    [redrawn] = (await slack_api.wait_for("response_url", count=calls + 2))[-1:]
    assert redrawn.params["replace_original"] is True
    assert "No champions or advocates recorded" in json.dumps(redrawn.params["blocks"])
    assert await _people(deps) == 0
    async with deps.db.session() as session:
        assert (await audit_trail(session, account.id))[-1].action == "people.remove"

    await slack.click("C0GENERAL", listed, "customer_person_remove", user=TACE)
    [gone] = (await slack_api.wait_for("response_url", count=calls + 3))[-1:]
    assert "That person is no longer listed; nothing changed." in gone.params["text"]


async def test_an_unknown_account_is_named_with_close_ones(slack: AppClient, deps: Deps) -> None:
    await make_account(deps)
    answer = await slack.ask("people Acme Crop")
    assert "No account is named *Acme Crop*. Did you mean *Acme Corp*?" in answer
    assert "Say which account" in await slack.ask("people")
    assert await _people(deps) == 0


async def test_the_card_and_the_app_home_count_them(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await make_account(deps)
    await make_account(deps, name="Contoso", channel="C0CONTOSO")
    view = await _open_add(slack, slack_api)
    await _add(slack, view, DANA)
    await _add(slack, view, {"kind": "advocate", "name": "Lee", "email": "lee@acme.example"})
    await _add(slack, view, {"kind": "advocate", "name": "Kim", "email": "kim@acme.example"})

    card = await slack.ask("account show Acme Corp")
    assert "*Champions* 1 · *Advocates* 2 · `/strategic people Acme Corp`" in card
    other = await slack.ask("account show Contoso")
    assert "*Champions* 0 · *Advocates* 0" in other

    await slack.event(payload("app_home_opened"))
    [home] = await slack_api.wait_for("views.publish")
    shown = json.dumps(home.params["view"]["blocks"], ensure_ascii=False)
    assert "*Champions* 1 · *Advocates* 2 across the strategic accounts" in shown
