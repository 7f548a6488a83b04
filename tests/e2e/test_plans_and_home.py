"""Get-well plans, iARR and the App Home, end to end."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from bot.blocks.plans import PLAN_FIELDS
from bot.config import TeamPolicy
from bot.deps import Deps
from bot.domain.metrics import SnapshotInput
from bot.services.metrics import record_snapshots
from bot.services.plans import current_plan
from tests.app_client import AppClient, payload
from tests.factories import make_account
from tests.forms import state_values
from tests.slack_api import FakeSlackApi

TODAY = date(2026, 11, 23)


async def red(deps: Deps, name: str, **fields: Any) -> int:
    account = await make_account(deps, name=name, **fields)
    await record_snapshots(
        deps,
        [
            (
                n,
                SnapshotInput(
                    account=name,
                    day=TODAY - timedelta(days=n),
                    dau=100,
                    mau=200,
                    seats=1000,
                    assistant_dau=40,
                ),
            )
            for n in range(10)
        ],
    )
    return account.id


async def open_plan(slack: AppClient, name: str, user: str = "U0ALICE") -> dict[str, Any]:
    assert (await slack.command(f"plan {name}", user=user)).status == 200
    return dict((await slack.api.wait_for("views.open"))[-1].params["view"])


async def test_a_plan_is_written_in_a_modal_and_shown_with_the_account(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    account_id = await red(deps, "Sinking Co", ta_ce="U0TACE")
    view = await open_plan(slack, "sinking co")
    assert view["callback_id"] == "get_well_plan"
    owner = next(b for b in view["blocks"] if b.get("block_id") == "owner")
    assert owner["element"]["initial_user"] == "U0TACE"  # the TA/CE by default

    filled = {"owner": "U0TACE", "text": "Weekly office hours; fix SSO.", "due": "2026-12-15"}
    response = await slack.submit_view(view, state_values(PLAN_FIELDS, filled))

    assert response.status == 200 and await slack.json_of(response) is None
    plan = await current_plan(deps, account_id)
    assert plan is not None and (plan.owner, plan.due) == ("U0TACE", date(2026, 12, 15))
    confirmation = (await slack_api.wait_for("response_url"))[-1]
    assert "Weekly office hours; fix SSO." in json.dumps(confirmation.params)
    card = await slack.ask("account show Sinking Co")
    health = await slack.ask("health Sinking Co")
    for answer in (card, health):
        assert "*Get-well plan* (<@U0TACE>, due 2026-12-15): Weekly office hours" in answer


@pytest.mark.parametrize(
    ("filled", "block", "words"),
    [
        ({"owner": "U0TACE", "text": "x", "due": "2026-11-22"}, "due", "has passed"),
        ({"owner": None, "text": "x", "due": "2026-12-01"}, "owner", "required"),
        ({"owner": "U0TACE", "text": None, "due": "2026-12-01"}, "text", "required"),
    ],
)
async def test_plan_errors_show_on_their_field_and_save_nothing(
    slack: AppClient, deps: Deps, filled: dict[str, str | None], block: str, words: str
) -> None:
    account_id = await red(deps, "Sinking Co")
    view = await open_plan(slack, "Sinking Co")
    answer = await slack.json_of(await slack.submit_view(view, state_values(PLAN_FIELDS, filled)))
    assert answer["response_action"] == "errors" and words in answer["errors"][block]
    assert await current_plan(deps, account_id) is None


@pytest.mark.parametrize("team", [TeamPolicy(admins=["U0ADMIN"])])
async def test_only_owners_and_admins_write_plans(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await red(deps, "Sinking Co")
    answer = await slack.ask("plan Sinking Co", user="U0STRANGER")
    assert "Only Sinking Co's owners or a team admin" in answer
    assert slack_api.calls_to("views.open") == []


async def test_iarr_is_recorded_and_refused_when_malformed(slack: AppClient, deps: Deps) -> None:
    await make_account(deps)
    answer = await slack.ask("iarr acme corp 250,000 expansion 2026-11-20")
    assert "Recorded 250,000 iARR (expansion) for *Acme Corp* on 2026-11-20." in answer
    assert "FY27-Q4 so far: 250,000." in answer
    for text, words in [
        ("iarr Acme Corp -5 new", "amount must be a whole number above 0"),
        ("iarr Acme Corp 500 upsell", "expansion or new"),
        ("iarr Acme Corp 500", "say whether it is expansion or new"),
        ("iarr 500 new", "give the account, the amount"),
        ("iarr Acme Corp 500 new 2026-12-01", "is in the future"),
        ("iarr Nobody 500 new", "No account is named *Nobody*"),
    ]:
        assert words in await slack.ask(text)
    assert "FY27-Q4 so far: 250,100." in await slack.ask("iarr Acme Corp 100 new")


async def test_an_iarr_amount_past_what_the_books_hold_records_nothing(
    slack: AppClient, deps: Deps
) -> None:
    await make_account(deps)
    answer = await slack.ask("iarr Acme Corp 100000000000000000000000 expansion")
    assert "Nothing recorded" in answer and "Something went wrong" not in answer
    assert "the amount must be at most 1,000,000,000,000" in answer
    assert "FY27-Q4 so far: 100." in await slack.ask("iarr Acme Corp 100 new")
    for _ in range(2):  # the largest deals still add up: the quarter's SUM cannot overflow
        largest = await slack.ask("iarr Acme Corp 1000000000000 new")
    assert "FY27-Q4 so far: 2,000,000,000,100." in largest


@pytest.mark.parametrize("team", [TeamPolicy(admins=["U0ADMIN"])])
async def test_home_shows_north_star_renewals_and_missing_plans(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await red(deps, "Sinking Co", contract_end="2027-01-15", arr=900_000, ae="U0ALICE")
    await red(deps, "Planned Co", contract_end="2027-06-30")
    await make_account(deps, name="Renewing Co", contract_end="2026-12-01", arr=700_000)
    await slack.ask("iarr Sinking Co 1000 new")
    view = await open_plan(slack, "Planned Co", user="U0ADMIN")
    filled = {"owner": "U0TACE", "text": "x", "due": "2026-12-01"}
    await slack.submit_view(view, state_values(PLAN_FIELDS, filled), user="U0ADMIN")

    await slack.event(payload("app_home_opened"))  # U0ALICE: AE of Sinking Co only

    [call] = await slack_api.wait_for("views.publish")
    blocks = call.params["view"]["blocks"]
    shown = json.dumps(blocks, ensure_ascii=False)
    assert "*Assistant DAU across strategic accounts*\\n80" in shown
    assert "*iARR closed in FY27-Q4*\\nUSD 1,000" in shown
    renewals = shown[shown.index("Renewals in the next 90 days") :]
    assert renewals.index("Renewing Co") < renewals.index("Sinking Co")
    assert "Sinking Co* (tier 1) · ARR USD 900,000" in shown  # Alice is its AE
    assert "700,000" not in shown  # not hers to see
    assert "Planned Co" not in renewals.split("Red accounts")[0]  # ends in June
    missing = shown[shown.index("Red accounts without a get-well plan") :]
    assert "*Sinking Co*" in missing.split("Scheduled posts")[0]
    assert "*Planned Co*" not in missing.split("Scheduled posts")[0]
    assert len(blocks) <= 100
