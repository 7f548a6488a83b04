"""The account sub-commands and modal, end to end: signed HTTP in, store and Web API out."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.blocks.accounts import ACCOUNT_FIELDS
from bot.config import TeamPolicy
from bot.deps import Deps
from bot.services.accounts import list_accounts
from storage.accounts import audit_trail
from tests.app_client import AppClient
from tests.factories import make_account
from tests.forms import initial_values, state_values
from tests.slack_api import ApiCall, FakeSlackApi

NEW_ACCOUNT = {
    "name": "Globex",
    "tier": "2",
    "industry": "Energy",
    "lead_engineer": "U0LEAD",
    "ta_ce": "U0TACE",
    "ae": "U0AE",
    "channel": "C0GLOBEX",
    "contract_start": "2026-06-01",
    "contract_end": "2027-05-31",
    "licensed_seats": "4000",
    "available_developers": "4500",
    "arr": "800000",
    "partner_status": "partner",
}


async def reply(api: FakeSlackApi, count: int = 1) -> ApiCall:
    """The latest ephemeral message the app sent through a response_url."""
    calls = await api.wait_for("response_url", count=count)
    answer = calls[-1]
    assert answer.params.get("response_type") == "ephemeral"
    return answer


async def open_modal(slack: AppClient, text: str, user: str = "U0ALICE") -> dict[str, Any]:
    response = await slack.command(text, user=user)
    assert response.status == 200
    call = (await slack.api.wait_for("views.open"))[-1]
    assert call.params["trigger_id"]
    view: dict[str, Any] = call.params["view"]
    return view


async def test_add_account_through_the_modal(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    view = await open_modal(slack, "account add")
    assert view["callback_id"] == "account_add"
    assert len(view["blocks"]) == len(ACCOUNT_FIELDS)

    response = await slack.submit_view(view, state_values(ACCOUNT_FIELDS, NEW_ACCOUNT))

    assert response.status == 200
    assert await slack.json_of(response) is None  # a plain ack closes the modal
    [account] = await list_accounts(deps)
    assert (account.name, account.tier, account.licensed_seats, account.arr) == (
        "Globex",
        2,
        4000,
        800000,
    )
    assert account.contract_end is not None and account.contract_end.isoformat() == "2027-05-31"
    confirmation = await reply(slack_api)
    assert "Added Globex" in confirmation.params["text"]
    async with deps.db.session() as session:
        [entry] = await audit_trail(session, account.id)
    assert (entry.actor, entry.action) == ("U0ALICE", "account.create")
    assert entry.changes["name"] == [None, "Globex"]


@pytest.mark.parametrize(
    ("change", "block", "words"),
    [
        ({"name": "acme corp"}, "name", "already exists"),
        ({"contract_end": "2026-05-01"}, "contract_end", "must end after it starts"),
        ({"licensed_seats": "-5"}, "licensed_seats", "must not be negative"),
        ({"name": None}, "name", "required"),
        ({"success_plan_url": "notalink"}, "success_plan_url", "http"),
    ],
)
async def test_modal_field_errors_save_nothing(
    slack: AppClient,
    deps: Deps,
    change: dict[str, Any],
    block: str,
    words: str,
) -> None:
    await make_account(deps)  # "Acme Corp", for the duplicate case
    view = await open_modal(slack, "account add")

    response = await slack.submit_view(view, state_values(ACCOUNT_FIELDS, NEW_ACCOUNT | change))

    answer = await slack.json_of(response)
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [block]
    assert words in answer["errors"][block]
    assert [a.name for a in await list_accounts(deps)] == ["Acme Corp"]


async def test_list_and_show(slack: AppClient, slack_api: FakeSlackApi, deps: Deps) -> None:
    await make_account(deps)
    await make_account(deps, name="Initech", tier=3, channel=None)

    listing = await slack.ask("account list")
    assert "Acme Corp" in listing and "Initech" in listing
    assert listing.index("Acme Corp") < listing.index("Initech")  # tier 1 first

    card = await slack.ask('account show "acme CORP"')
    for fact in (
        "Acme Corp",
        "<@U0LEAD>",
        "<@U0TACE>",
        "<@U0AE>",
        "5,000",
        "2027-01-31",
        "1,200,000",
    ):
        assert fact in card


async def test_show_unknown_account_suggests_close_names(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await make_account(deps)
    answer = await slack.ask("account show Acme Crop")
    assert "No account is named" in answer and "Did you mean *Acme Corp*" in answer
    # A name both close and a prefix match was once offered twice ("*Acme Corp* or *Acme Corp*").
    prefix = await slack.ask("account show acme")
    assert "Did you mean *Acme Corp*?" in prefix and "or *Acme Corp*" not in prefix


async def test_edit_prefills_and_saves_with_audit(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    account = await make_account(deps)
    view = await open_modal(slack, "account edit Acme Corp")
    assert view["callback_id"] == "account_edit"
    prefilled = initial_values(view)
    assert prefilled["name"] == "Acme Corp" and prefilled["tier"] == "1"
    assert prefilled["lead_engineer"] == "U0LEAD" and prefilled["contract_end"] == "2027-01-31"

    response = await slack.submit_view(
        view, state_values(ACCOUNT_FIELDS, prefilled | {"tier": "2", "licensed_seats": "5500"})
    )

    assert response.status == 200 and await slack.json_of(response) is None
    [saved] = await list_accounts(deps)
    assert (saved.id, saved.tier, saved.licensed_seats) == (account.id, 2, 5500)
    async with deps.db.session() as session:
        trail = await audit_trail(session, account.id)
    assert trail[-1].action == "account.edit"
    assert trail[-1].changes == {"tier": [1, 2], "licensed_seats": [5000, 5500]}
    assert "Saved Acme Corp" in (await reply(slack_api)).params["text"]


async def test_archive_hides_from_list_and_refuses_twice(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await make_account(deps)
    assert "Archived *Acme Corp*" in await slack.ask("account archive Acme Corp")
    assert await list_accounts(deps) == []

    assert "already archived" in await slack.ask("account archive Acme Corp")


@pytest.mark.parametrize("team", [TeamPolicy(admins=["U0ADMIN"])])
async def test_only_owners_and_admins_change_an_account(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await make_account(deps)

    refusal = "Only Acme Corp's owners or a team admin"
    assert refusal in await slack.ask("account edit Acme Corp", user="U0STRANGER")
    only_admins = "Only a team admin can archive an account"
    assert only_admins in await slack.ask("account archive Acme Corp", user="U0STRANGER")
    assert slack_api.calls_to("views.open") == []
    assert [a.name for a in await list_accounts(deps)] == ["Acme Corp"]

    assert "Archived" in await slack.ask("account archive Acme Corp", user="U0ADMIN")


@pytest.mark.parametrize("team", [TeamPolicy(admins=["U0ADMIN"])])
async def test_arr_shown_only_to_owners_and_admins(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await make_account(deps)
    assert "1,200,000" not in await slack.ask("account show Acme Corp", user="U0STRANGER")
    assert "1,200,000" in await slack.ask("account show Acme Corp", user="U0AE")


async def test_an_answer_from_the_store_follows_the_ack_by_response_url(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await make_account(deps)

    shown = await slack.command("account show Acme Corp")
    assert shown.status == 200 and await slack.json_of(shown) is None  # a bare ack
    assert "<@U0LEAD>" in json.dumps((await reply(slack_api)).params)

    await slack.command("account show Nobody")
    assert "No account is named *Nobody*" in json.dumps((await reply(slack_api, 2)).params)
