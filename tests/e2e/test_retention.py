"""Retention figures from the store (issue 15) end to end: renewal decisions, an ARR cut
after a renewal and iARR deals, as the App Home and the OKR quarter-end summary show
them; the ARR behind the ratios only to admins, and in a channel not at all by default."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import SchedulerPolicy, TeamPolicy
from bot.deps import Deps
from bot.domain.iarr import IarrInput, IarrKind
from bot.services.accounts import edit_account
from bot.services.north_star import record_iarr
from bot.services.renewals import churn, renew
from tests.app_client import AppClient, payload
from tests.conftest import Clock
from tests.factories import draft, make_account
from tests.scheduled import run_and_deliver
from tests.slack_api import FakeSlackApi

ADMIN, CHANNEL = "U0ADMIN", "C0STRAT"
pytestmark = pytest.mark.parametrize(
    ("team", "scheduler"),
    [
        (
            TeamPolicy(admins=[ADMIN], strategic_channel=CHANNEL),
            SchedulerPolicy(channel_pace_seconds=0),
        )
    ],
)


@pytest.fixture
async def decided(deps: Deps, clock: Clock) -> None:
    """Three contracts of FY27-Q4 decided (2026-11-01 … 2027-01-31), worked out:

    up for renewal 100,000 (A, renewed) + 300,000 (B, churned) + 200,000 (C, renewed,
    then cut to 150,000) = 600,000; GRR = (600,000 - 300,000 - 50,000) / 600,000 = 41.7%;
    NRR adds A's 30,000 expansion: 280,000 / 600,000 = 46.7%; logo 2 of 3 = 66.7%;
    iARR closed 30,000 + D's 20,000 new = 50,000.
    """
    today = deps.today()
    a = await make_account(deps, name="A Co", arr=100_000, contract_end=today)
    b = await make_account(deps, name="B Co", arr=300_000, contract_end=today)
    c = await make_account(deps, name="C Co", arr=200_000, contract_end="2026-12-01")
    await make_account(deps, name="D Co", arr=50_000)
    await renew(deps, a.id, today, today + timedelta(days=365), ADMIN)
    await churn(deps, b.id, today, ADMIN)
    end = c.contract_end
    assert end is not None
    await renew(deps, c.id, end, end + timedelta(days=365), ADMIN)
    clock.now += timedelta(minutes=5)
    renewed = draft(name="C Co", arr=150_000, contract_start=end + timedelta(days=1))
    await edit_account(
        deps, c.id, renewed.model_copy(update={"contract_end": end + timedelta(days=365)}), ADMIN
    )
    for name, kind, amount in (
        ("A Co", IarrKind.EXPANSION, 30_000),
        ("D Co", IarrKind.NEW, 20_000),
    ):
        deal = IarrInput(account=name, kind=kind, amount=amount, day=today)
        await record_iarr(deps, deal, ADMIN)


async def _home(slack: AppClient, slack_api: FakeSlackApi, user: str) -> str:
    body = payload("app_home_opened")
    body["event"]["user"] = user
    body["event_id"] = f"Ev0HOME{user}"
    earlier = len(slack_api.calls_to("views.publish"))
    await slack.event(body)
    [*_, home] = await slack_api.wait_for("views.publish", count=earlier + 1)
    return json.dumps(home.params["view"]["blocks"], ensure_ascii=False)


async def test_the_app_home_shows_this_quarter_and_the_last(
    decided: None, slack: AppClient, slack_api: FakeSlackApi
) -> None:
    shown = await _home(slack, slack_api, "U0ALICE")
    retention = shown[shown.index('"Retention"') :]
    assert retention.index("FY27-Q3") < retention.index("FY27-Q4")
    this = retention[retention.index("FY27-Q4") :]
    assert "*Gross revenue retention*\\n41.7%" in this
    assert "*Net revenue retention*\\n46.7%" in this
    assert "*Logo retention*\\n66.7% (2 of 3 renewed)" in this
    assert "*iARR closed*\\nUSD 50,000" in this
    assert "ARR up" not in retention  # Alice is no admin
    last = retention[: retention.index("FY27-Q4")]
    assert "no renewal decided" in last and "*Gross revenue retention*\\n—" in last

    admin = await _home(slack, slack_api, ADMIN)
    assert "41.7% (ARR up USD 600,000, churned USD 300,000, contraction USD 50,000)" in admin
    assert "46.7% (expansion USD 30,000)" in admin


async def test_the_quarter_end_summary_carries_them_without_arr(
    decided: None, deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    last_day = datetime(2027, 1, 31, 16, tzinfo=UTC)
    assert await run_and_deliver(deps, clock, "okr-quarter-summary", last_day) == 1
    [post] = slack_api.messages_in(CHANNEL)
    assert post["text"] == "Strategic: OKR results FY27-Q4"
    shown = json.dumps(post["blocks"], ensure_ascii=False)
    assert "*Retention FY27-Q4*" in shown and "*Gross revenue retention*\\n41.7%" in shown
    assert "*Logo retention*\\n66.7% (2 of 3 renewed)" in shown
    assert "ARR up" not in shown and "300,000" not in shown
