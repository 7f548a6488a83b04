"""Who is on the team, end to end: a person outside it gets one polite line wherever they
reach the bot, and nothing is read from or written to the store for them; members, listed
or in the team's Slack user group, work as before; only admins add and archive accounts.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, NoReturn

import pytest
from sqlalchemy import func, select

from bot.blocks.accounts import ACCOUNT_FIELDS, account_modal
from bot.blocks.renewals import renewal_decision
from bot.commands import USAGES
from bot.config import TeamPolicy
from bot.deps import Deps
from bot.domain.accounts import Account
from bot.metadata import AccountForm
from bot.services.accounts import list_accounts
from storage.models import Base
from tests.app_client import AppClient, payload
from tests.e2e.test_accounts import NEW_ACCOUNT
from tests.factories import make_account
from tests.forms import state_values
from tests.slack_api import FakeSlackApi

ADMIN, MEMBER, OUTSIDER = "U0ADMIN", "U0ALICE", "U0STRANGER"
LISTED = [TeamPolicy(admins=[ADMIN], members=[MEMBER])]
GROUP = "S0TEAM"
IN_A_GROUP = [TeamPolicy(admins=[ADMIN], members_usergroup=GROUP)]
LINE = f"Strategic bot is for the strategic accounts team only; ask <@{ADMIN}> to add you."

# Each sub-command as a member would type it, so a refusal is the door's, not a usage error.
TYPED = {
    ("help",): "help",
    ("account", "list"): "account list",
    ("account", "show"): "account show Acme Corp",
    ("account", "add"): "account add",
    ("account", "edit"): "account edit Acme Corp",
    ("account", "archive"): "account archive Acme Corp",
    ("health",): "health",
    ("plan",): "plan Acme Corp",
    ("metrics",): "metrics Acme Corp dau=10 mau=20 seats=30",
    ("iarr",): "iarr Acme Corp 5000 new",
    ("journey",): "journey Acme Corp",
    ("renewals",): "renewals",
    ("update",): "update",
    ("update", "show"): "update show 2026-W48",
    ("away", "until"): "away until 2026-12-24",
    ("away", "off"): "away off",
    ("nominate",): "nominate",
    ("nominations",): "nominations all",
    ("history",): "history Acme Corp",
    ("okr",): "okr",
    ("okr", "add"): "okr add",
    ("okr", "history"): "okr history 1",
    ("people",): "people Acme Corp",
    ("initiative", "add"): "initiative add",
    ("initiatives",): "initiatives",
    ("need",): "need Acme Corp",
    ("needs",): "needs Acme Corp",
}


def test_every_sub_command_is_typed_here() -> None:
    assert set(TYPED) == {u.words for u in USAGES}


async def _row_counts(deps: Deps) -> dict[str, int]:
    async with deps.db.session() as session:
        return {
            table.name: (await session.scalar(select(func.count()).select_from(table))) or 0
            for table in Base.metadata.sorted_tables
        }


def _no_session(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise AssertionError("the store was used for a person outside the team")


@asynccontextmanager
async def store_untouched(deps: Deps) -> AsyncIterator[None]:
    """No unit of work may open meanwhile, and every table keeps its row count."""
    before = await _row_counts(deps)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(deps.db, "session", _no_session)
        yield
    assert await _row_counts(deps) == before


def _one_line(answer: dict[str, Any]) -> str:
    """The text of a private answer that is exactly one line, checked as such."""
    [block] = answer["blocks"]
    assert LINE in block["text"]["text"] and answer["text"] == LINE
    return str(answer["text"])


@pytest.mark.parametrize("team", LISTED)
@pytest.mark.parametrize("text", [*TYPED.values(), "", "no such thing"])
async def test_every_sub_command_tells_an_outsider_one_line(
    text: str, slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    """The workspace used to be the team: anyone could list, show and add accounts."""
    await make_account(deps)
    async with store_untouched(deps):
        response = await slack.command(text, user=OUTSIDER)
        assert response.status == 200
        answer = await slack.json_of(response)  # in the ack itself: nothing to wait for
    assert answer["response_type"] == "ephemeral"
    _one_line(answer)
    assert slack_api.calls_to("response_url") == []
    assert slack_api.calls_to("views.open") == []


@pytest.mark.parametrize("team", LISTED)
async def test_members_and_admins_work_as_before(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await make_account(deps)
    for person in (MEMBER, ADMIN):
        assert "Acme Corp" in await slack.ask("account list", user=person)
        assert "Acme Corp" in await slack.ask("account show Acme Corp", user=person)
    assert "Only a team admin can add an account" in await slack.ask("account add", user=MEMBER)
    assert slack_api.calls_to("views.open") == []  # refused before the form opens
    await slack.command("account add", user=ADMIN)
    [opened] = await slack_api.wait_for("views.open")
    assert opened.params["view"]["callback_id"] == "account_add"
    assert slack_api.calls_to("usergroups.users.list") == []  # the team names no group


async def _end_day(deps: Deps) -> tuple[Account, dict[str, Any]]:
    """An account and its end-date question, as posted to its channel."""
    account = await make_account(deps)
    return account, {"ts": "1700000000.000100", **renewal_decision(account).as_kwargs()}


@pytest.mark.parametrize("team", LISTED)
@pytest.mark.parametrize("action", ["renewal_churned", "renewal_renewed"])
async def test_a_button_click_is_refused_with_nothing_written(
    action: str, slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    account, message = await _end_day(deps)
    async with store_untouched(deps):
        response = await slack.click("C0ACME", message, action, user=OUTSIDER)
        assert response.status == 200 and await slack.json_of(response) is None
        [told] = await slack_api.wait_for("response_url")
    assert told.params["response_type"] == "ephemeral" and not told.params["replace_original"]
    _one_line(told.params)
    assert slack_api.calls_to("views.open") == []
    [still] = await list_accounts(deps)
    assert still.partner_status == account.partner_status


@pytest.mark.parametrize("team", LISTED)
async def test_a_click_on_the_app_home_is_answered_by_dm(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    """A click in the Home tab carries no response_url: the line goes to the person's DM."""
    _account, message = await _end_day(deps)
    body = payload("block_actions")
    body["user"]["id"] = OUTSIDER
    body["message"].update(message)
    body["actions"][0].update(action_id="renewal_churned", value="{}")
    async with store_untouched(deps):
        assert (await slack.interaction(body)).status == 200
        [dm] = await slack_api.wait_for("chat.postMessage")
    assert dm.params["channel"] == OUTSIDER
    _one_line(dm.params)


@pytest.mark.parametrize("team", LISTED)
@pytest.mark.parametrize("editing", [False, True])
async def test_a_modal_submit_is_replaced_by_the_line_with_nothing_written(
    editing: bool, slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    """A form opened while the person was on the team, or forged: refused at submit."""
    account = await make_account(deps)
    view = (
        account_modal(AccountForm(account_id=account.id), account)
        if editing
        else account_modal(AccountForm())
    )
    filled = state_values(ACCOUNT_FIELDS, NEW_ACCOUNT)
    async with store_untouched(deps):
        response = await slack.submit_view(view.to_dict(), filled, user=OUTSIDER)
    answer = await slack.json_of(response)
    assert answer["response_action"] == "update"
    assert answer["view"]["type"] == "modal" and "submit" not in answer["view"]
    assert LINE in json.dumps(answer["view"]["blocks"])
    assert [a.name for a in await list_accounts(deps)] == ["Acme Corp"]
    assert slack_api.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("team", LISTED)
async def test_the_app_home_shows_an_outsider_the_notice_not_the_portfolio(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await make_account(deps)
    body = payload("app_home_opened")
    body["event"]["user"] = OUTSIDER
    async with store_untouched(deps):
        assert (await slack.event(body)).status == 200
        [published] = await slack_api.wait_for("views.publish")
    assert published.params["user_id"] == OUTSIDER
    shown = json.dumps(published.params["view"])
    assert LINE in shown
    assert "Acme Corp" not in shown and "Strategic portfolio" not in shown


@pytest.mark.parametrize("team", LISTED)
async def test_the_app_home_shows_a_member_the_portfolio(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await make_account(deps)
    await slack.event(payload("app_home_opened"))  # U0ALICE, a listed member
    [published] = await slack_api.wait_for("views.publish")
    assert "Acme Corp" in json.dumps(published.params["view"])


@pytest.mark.parametrize("team", [TeamPolicy(members=[MEMBER])])
async def test_with_no_admins_the_line_says_a_team_admin(slack: AppClient) -> None:
    answer = json.loads(await slack.ask("account list", user=OUTSIDER))
    assert answer["text"] == (
        "Strategic bot is for the strategic accounts team only; ask a team admin to add you."
    )


@pytest.mark.parametrize("team", IN_A_GROUP)
async def test_the_user_group_lets_its_members_in_read_once_for_many_requests(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    slack_api.usergroups[GROUP] = [MEMBER, "U0BOB"]
    await make_account(deps)
    for person in (MEMBER, "U0BOB", MEMBER):
        assert "Acme Corp" in await slack.ask("account list", user=person)
    assert LINE in await slack.ask("account list", user=OUTSIDER)
    assert "Acme Corp" in await slack.ask("account list", user=ADMIN)

    [read] = slack_api.calls_to("usergroups.users.list")
    assert read.params["usergroup"] == GROUP


@pytest.mark.parametrize("team", IN_A_GROUP)
async def test_a_slack_error_reading_the_group_keeps_the_door_shut_and_logs_once(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps, caplog: pytest.LogCaptureFixture
) -> None:
    slack_api.usergroups[GROUP] = [MEMBER]
    slack_api.fail_next("usergroups.users.list", "missing_scope", times=5)
    await make_account(deps)
    with caplog.at_level(logging.WARNING, logger="bot.services.membership"):
        assert LINE in await slack.ask("account list", user=MEMBER)
        assert LINE in await slack.ask("account list", user=MEMBER)
    assert "Acme Corp" in await slack.ask("account list", user=ADMIN)  # admins always
    assert [r.getMessage() for r in caplog.records] == [
        f"could not read user group {GROUP}: only the listed members and admins are let in "
        "until it can be read"
    ]


@pytest.mark.parametrize("team", [TeamPolicy(admins=[ADMIN])])
async def test_with_admins_named_only_they_add_accounts(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    """The add form names its own owners, so being named an owner cannot be the check."""
    view = account_modal(AccountForm()).to_dict()
    filled = state_values(ACCOUNT_FIELDS, NEW_ACCOUNT | {"ae": MEMBER})
    response = await slack.submit_view(view, filled, user=MEMBER)
    answer = await slack.json_of(response)
    assert answer["response_action"] == "errors"
    assert "Only a team admin can add an account" in json.dumps(answer["errors"])
    assert await list_accounts(deps) == []

    response = await slack.submit_view(view, filled, user=ADMIN)
    assert await slack.json_of(response) is None
    assert [a.name for a in await list_accounts(deps)] == ["Globex"]


@pytest.mark.parametrize("team", [TeamPolicy(admins=[ADMIN])])
async def test_with_admins_named_only_they_archive_not_even_owners(
    slack: AppClient, deps: Deps
) -> None:
    await make_account(deps)
    refusal = await slack.ask("account archive Acme Corp", user="U0AE")  # its AE
    assert "Only a team admin can archive an account" in refusal
    assert [a.name for a in await list_accounts(deps)] == ["Acme Corp"]
    assert "Archived" in await slack.ask("account archive Acme Corp", user=ADMIN)


async def test_with_no_admins_anyone_adds_and_archives(slack: AppClient, deps: Deps) -> None:
    await make_account(deps)
    assert "Archived" in await slack.ask("account archive Acme Corp", user="U0ANYONE")
