"""Customer needs end to end (issue 15): `/strategic need ACCOUNT` and its modal, `needs
[ACCOUNT]`, a need card's status menu (the account's owners told in its channel), the
rollout button and modal, the steps' Done buttons, and the account card, the weekly post
and the App Home — through signed HTTP against the loopback Slack API.

Each bad input is refused with nothing written: a link that is not a URL, a change by
someone who is not an owner, the product owner or an admin (at the click and at a forged
submit), an unknown account, a rollout step dated before the one before it.
"""

from __future__ import annotations

import asyncio
import io
import json
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import func, select

from bot.blocks.needs import NEED_FIELDS, ROLLOUT_FIELDS
from bot.config import SchedulerPolicy, Settings, TeamPolicy
from bot.deps import Deps
from bot.domain.needs import Need, NeedDraft, NeedStatus, RolloutDates, Step
from bot.services.needs import change_status, raise_need, set_rollout
from bot.startup.demo import demo_deps, run_demo
from jobs.delivery import Delivery, delivery_client
from storage.db import Database
from storage.models import AuditRow, NeedRow, NeedStepRow, OutboxRow
from tests.app_client import AppClient, fresh_trigger_id, payload
from tests.conftest import Clock
from tests.factories import make_account
from tests.forms import state_values
from tests.scheduled import run_and_deliver
from tests.slack_api import ApiCall, FakeSlackApi

ADMIN, PO, LEAD, TACE, STRANGER = "U0ADMIN", "U0PO", "U0LEAD", "U0TACE", "U0STRANGER"
CHANNEL = "C0STRAT"
TEAM = TeamPolicy(admins=[ADMIN], product_owner=PO, strategic_channel=CHANNEL)
pytestmark = pytest.mark.parametrize(
    ("team", "scheduler"), [(TEAM, SchedulerPolicy(channel_pace_seconds=0))]
)
SSO = {
    "kind": "feature request",
    "summary": "SSO for the <!channel> assistant",
    "link": "https://tracker.example/ISSUE-12",
    "priority": "high",
}
REFUSED = "Only Acme Corp's owners, the product owner or a team admin can"


async def _count(deps: Deps, model: Any) -> int:
    async with deps.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _actions(deps: Deps) -> list[str]:
    async with deps.db.session() as session:
        rows = (await session.execute(select(AuditRow).order_by(AuditRow.id))).scalars()
        return [r.action for r in rows if r.action.startswith("need.")]


async def _need(deps: Deps, account_id: int, **fields: str) -> Need:
    draft = NeedDraft.model_validate(SSO | {"summary": "SSO for the assistant"} | fields)
    return (await raise_need(deps, account_id, draft, TACE))[1]


async def _deliver(deps: Deps, clock: Clock) -> None:
    delivery = Delivery(replace(deps, clock=clock), delivery_client(deps))
    while await delivery.pass_once():
        pass


async def _open_need_modal(slack: AppClient, api: FakeSlackApi, user: str) -> dict[str, Any]:
    response = await slack.command("need Acme Corp", user=user)
    assert response.status == 200
    [opened] = await api.wait_for("views.open")
    view: dict[str, Any] = opened.params["view"]
    return view


async def test_an_owner_raises_a_need_and_it_is_listed(
    slack: AppClient, deps: Deps, slack_api: FakeSlackApi
) -> None:
    await make_account(deps)
    view = await _open_need_modal(slack, slack_api, TACE)
    assert view["callback_id"] == "need_raise" and "Acme Corp" in json.dumps(view)
    response = await slack.submit_view(view, state_values(NEED_FIELDS, SSO), user=TACE)
    assert await slack.json_of(response) is None
    [confirmed] = await slack_api.wait_for("response_url")
    shown = json.dumps(confirmed.params, ensure_ascii=False)
    assert "Raised a feature request on *Acme Corp*." in shown
    assert "SSO for the &lt;!channel&gt; assistant" in shown and "<!channel>" not in shown
    assert "<https://tracker.example/ISSUE-12|tracking issue>" in shown
    assert '"need_status"' in shown and "Plan rollout" in shown
    assert await _count(deps, NeedRow) == 1
    assert await _actions(deps) == ["need.raise"]

    listed = await slack.ask("needs acme corp", user=STRANGER)  # every member reads them
    assert "Open needs of Acme Corp (1)" in listed and "SSO for the &lt;!channel&gt;" in listed


async def test_a_link_that_is_not_a_url_is_refused_next_to_the_link(
    slack: AppClient, deps: Deps, slack_api: FakeSlackApi
) -> None:
    await make_account(deps)
    view = await _open_need_modal(slack, slack_api, TACE)
    for link in ("tracker.example/ISSUE-12", "javascript:alert(1)"):
        filled = state_values(NEED_FIELDS, SSO | {"link": link})
        refused = await slack.json_of(await slack.submit_view(view, filled, user=TACE))
        assert refused == {
            "response_action": "errors",
            "errors": {"link": "the link must be an http:// or https:// URL"},
        }
    assert await _count(deps, NeedRow) == 0 and await _actions(deps) == []


async def test_an_unknown_account_is_answered_with_close_names_and_nothing_written(
    slack: AppClient, deps: Deps, slack_api: FakeSlackApi
) -> None:
    await make_account(deps)
    for text in ("need Acme Crop", "needs Acme Crop"):
        answer = await slack.ask(text, user=TACE)
        assert "No account is named *Acme Crop*. Did you mean *Acme Corp*?" in answer
    assert slack_api.calls_to("views.open") == []
    assert await _count(deps, NeedRow) == 0


async def test_an_outsider_may_not_raise_a_need_at_the_command_or_a_forged_submit(
    slack: AppClient, deps: Deps, slack_api: FakeSlackApi
) -> None:
    await make_account(deps)
    refused = await slack.ask("need Acme Corp", user=STRANGER)
    assert f"{REFUSED} raise a need there" in refused
    assert slack_api.calls_to("views.open") == []
    view = await _open_need_modal(slack, slack_api, TACE)
    # A bad link too: the refusal comes first, so the outsider learns nothing of the form.
    filled = state_values(NEED_FIELDS, SSO | {"link": "nope"})
    forged = await slack.json_of(await slack.submit_view(view, filled, user=STRANGER))
    assert list(forged["errors"]) == ["kind"]
    assert f"{REFUSED} raise a need there" in forged["errors"]["kind"]
    assert await _count(deps, NeedRow) == 0
    # The product owner raises needs on any account.
    accepted = await slack.submit_view(view, state_values(NEED_FIELDS, SSO), user=PO)
    assert await slack.json_of(accepted) is None
    assert await _count(deps, NeedRow) == 1


async def test_needs_are_listed_by_priority_and_closed_ones_left_out(
    slack: AppClient, deps: Deps
) -> None:
    acme = await make_account(deps)
    globex = await make_account(deps, name="Globex", channel=None)
    await _need(deps, acme.id, summary="Low one", priority="low")
    high = await _need(deps, globex.id, summary="High one", priority="high")
    await _need(deps, acme.id, summary="Medium one", priority="medium")
    shipped = await _need(deps, acme.id, summary="Shipped one", priority="high")
    await change_status(deps, acme.id, shipped.id, NeedStatus.SHIPPED, ADMIN)
    await change_status(deps, globex.id, high.id, NeedStatus.IN_PROGRESS, ADMIN)

    every = await slack.ask("needs")
    assert "Open needs (3)" in every and "Shipped one" not in every
    assert every.index("High one") < every.index("Medium one") < every.index("Low one")
    assert "*Globex* · " in every and "_in progress_" in every
    acme_only = await slack.ask("needs Acme Corp")
    assert "Open needs of Acme Corp (2)" in acme_only and "High one" not in acme_only
    nothing = await slack.ask("needs Globex")
    assert "Open needs of Globex (1)" in nothing


def _select(message: dict[str, Any], need_id: int, status: str, user: str) -> dict[str, Any]:
    """The block_actions Slack sends when `user` picks `status` in a need card's menu."""
    menu = next(
        element
        for block in message["blocks"]
        if block.get("block_id") == f"need_actions:{need_id}"
        for element in block["elements"]
        if element["action_id"] == "need_status"
    )
    option = next(o for o in menu["options"] if json.loads(o["value"])["status"] == status)
    body = payload("block_actions")
    body["user"]["id"] = user
    body["trigger_id"] = fresh_trigger_id()
    body["message"].update(ts="1.0", text=message["text"], blocks=message["blocks"])
    body["actions"] = [
        {
            "type": "static_select",
            "action_id": "need_status",
            "block_id": f"need_actions:{need_id}",
            "selected_option": option,
            "action_ts": f"{time.time():.6f}",
        }
    ]
    return body


async def _card(slack: AppClient, api: FakeSlackApi, text: str = "needs Acme Corp") -> Any:
    answer = json.loads(await slack.ask(text))
    api.reset()
    return answer | {"ts": "1.0"}


async def test_an_owner_changes_the_status_and_the_owners_are_told_in_the_channel(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    acme = await make_account(deps)
    need = await _need(deps, acme.id, summary="SSO <!here>")
    card = await _card(slack, slack_api)
    body = _select(card, need.id, "in progress", LEAD) | {"response_url": slack_api.response_url()}
    await slack.interaction(body)
    [redrawn] = await slack_api.wait_for("response_url")
    assert redrawn.params["replace_original"] is True
    drawn = json.dumps(redrawn.params["blocks"], ensure_ascii=False)
    assert "_in progress_" in drawn and "_open_" not in drawn

    await _deliver(deps, clock)
    [told] = slack_api.messages_in("C0ACME")
    said = json.dumps(told["blocks"], ensure_ascii=False)
    assert "is now *in progress* (was open), by <@U0LEAD>" in said
    assert "SSO &lt;!here&gt;" in said and "<!here>" not in said
    for owner in ("U0LEAD", "U0TACE", "U0AE", "U0EXEC"):
        assert f"<@{owner}>" in said
    assert "tell the customer back" in said
    async with deps.db.session() as session:
        audit = (await session.execute(select(AuditRow).order_by(AuditRow.id))).scalars().all()
        assert audit[-1].action == "need.status"
        assert audit[-1].changes["status"] == ["open", "in progress"]


async def test_without_an_account_channel_the_strategic_channel_is_told(
    deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    globex = await make_account(deps, name="Globex", channel=None)
    need = await _need(deps, globex.id)
    await change_status(deps, globex.id, need.id, NeedStatus.SHIPPED, PO)
    await _deliver(deps, clock)
    [told] = slack_api.messages_in(CHANNEL)
    assert "is now *shipped* (was open), by <@U0PO>" in json.dumps(told["blocks"])


async def test_two_owners_choosing_shipped_at_once_ship_it_once_and_tell_once(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    """Two owners pick Shipped on one card at the same moment, and Slack re-sends one of
    the picks: one change, one audit entry, one post in the channel; the others are told
    it is already shipped, or that the request was handled."""
    acme = await make_account(deps)
    need = await _need(deps, acme.id)
    card = await _card(slack, slack_api)
    url = {"response_url": slack_api.response_url()}
    lead = _select(card, need.id, "shipped", LEAD) | url
    await asyncio.gather(
        slack.interaction(lead),
        slack.interaction(lead),
        slack.interaction(_select(card, need.id, "shipped", TACE) | url),
    )
    answers = await slack_api.wait_for("response_url", count=3)
    redrawn = [a for a in answers if a.params.get("replace_original")]
    told = sorted(a.params["text"] for a in answers if not a.params.get("replace_original"))
    assert len(redrawn) == 1 and len(told) == 2, told
    assert all("already shipped" in t or "already handled" in t for t in told), told
    assert await _actions(deps) == ["need.raise", "need.status"]
    await _deliver(deps, clock)
    assert len(slack_api.messages_in("C0ACME")) == 1


async def test_a_status_change_by_an_outsider_is_refused_privately_with_nothing_written(
    slack: AppClient, deps: Deps, slack_api: FakeSlackApi
) -> None:
    acme = await make_account(deps)
    need = await _need(deps, acme.id)
    card = await _card(slack, slack_api)
    body = _select(card, need.id, "won't do", STRANGER)
    await slack.interaction(body | {"response_url": slack_api.response_url()})
    [refused] = await slack_api.wait_for("response_url")
    assert f"{REFUSED} change a need's status there" in refused.params["text"]
    assert refused.params.get("replace_original") is not True
    assert await _actions(deps) == ["need.raise"] and await _count(deps, OutboxRow) == 0
    async with deps.db.session() as session:
        row = await session.get(NeedRow, need.id)
        assert row is not None and row.status == "open"


async def test_a_forged_status_naming_another_accounts_need_is_refused(
    slack: AppClient, deps: Deps, slack_api: FakeSlackApi
) -> None:
    """The owner of Acme names Globex's need under Acme's id: the need is not Acme's."""
    acme = await make_account(deps)
    globex = await make_account(deps, name="Globex", lead_engineer="U0OTHER", channel=None)
    theirs = await _need(deps, globex.id)
    mine = await _need(deps, acme.id)
    card = await _card(slack, slack_api)
    body = _select(card, mine.id, "shipped", LEAD)
    option = body["actions"][0]["selected_option"]
    option["value"] = option["value"].replace(f'"need_id":{mine.id}', f'"need_id":{theirs.id}')
    await slack.interaction(body | {"response_url": slack_api.response_url()})
    [refused] = await slack_api.wait_for("response_url")
    assert "That need is not one of Acme Corp's; nothing changed." in refused.params["text"]
    assert await _actions(deps) == ["need.raise", "need.raise"]


def _click_body(
    message: dict[str, Any], action_id: str, user: str, api: FakeSlackApi, text: str = ""
) -> dict[str, Any]:
    """A click of the button `action_id` (the one whose text holds `text`) on a card."""
    button = next(
        element
        for block in message["blocks"]
        for element in block.get("elements", [])
        if element.get("action_id") == action_id and text in element["text"]["text"]
    )
    body = payload("block_actions")
    body["user"]["id"] = user
    body["trigger_id"] = fresh_trigger_id()
    body["response_url"] = api.response_url()
    body["channel"]["id"] = "C0GENERAL"
    body["message"].update(ts="1.0", text=message["text"], blocks=message["blocks"])
    body["actions"][0].update(
        action_id=action_id, value=button["value"], action_ts=f"{time.time():.6f}"
    )
    return body


async def _open_rollout(
    slack: AppClient, api: FakeSlackApi, card: dict[str, Any], user: str
) -> ApiCall:
    await slack.interaction(_click_body(card, "need_rollout_open", user, api))
    [opened] = await api.wait_for("views.open")
    return opened


ROLLOUT = {
    "pre-mortem": "2026-11-25",
    "pilot": "2026-12-01",
    "rollout": "2026-12-15",
    "post-mortem": "2027-01-10",
}


async def test_a_rollout_dated_in_order_is_saved_and_shown_on_the_need(
    slack: AppClient, deps: Deps, slack_api: FakeSlackApi
) -> None:
    acme = await make_account(deps)
    await _need(deps, acme.id)
    card = await _card(slack, slack_api)
    view = (await _open_rollout(slack, slack_api, card, TACE)).params["view"]
    assert view["callback_id"] == "need_rollout"

    backwards = ROLLOUT | {"rollout": "2026-11-30"}
    refused = await slack.json_of(
        await slack.submit_view(view, state_values(ROLLOUT_FIELDS, backwards), user=TACE)
    )
    assert refused["errors"] == {"rollout": "the rollout cannot come before the pilot (2026-12-01)"}
    assert await _count(deps, NeedStepRow) == 0 and await _actions(deps) == ["need.raise"]

    saved = await slack.submit_view(view, state_values(ROLLOUT_FIELDS, ROLLOUT), user=TACE)
    assert await slack.json_of(saved) is None
    [confirmed] = await slack_api.wait_for("response_url")
    shown = json.dumps(confirmed.params, ensure_ascii=False)
    assert "Rollout saved for *Acme Corp*." in shown
    assert "Rollout: pre-mortem 2026-11-25 → pilot 2026-12-01 → rollout 2026-12-15" in shown
    assert "Pre-mortem done" in shown and "Edit rollout" in shown
    assert await _count(deps, NeedStepRow) == 4
    assert await _actions(deps) == ["need.raise", "need.rollout"]


async def test_a_rollout_by_an_outsider_is_refused_at_the_button_and_at_a_forged_submit(
    slack: AppClient, deps: Deps, slack_api: FakeSlackApi
) -> None:
    acme = await make_account(deps)
    await _need(deps, acme.id)
    card = await _card(slack, slack_api)
    await slack.interaction(_click_body(card, "need_rollout_open", STRANGER, slack_api))
    [refused] = await slack_api.wait_for("response_url")
    assert f"{REFUSED} plan or mark a rollout there" in refused.params["text"]
    assert slack_api.calls_to("views.open") == []

    view = (await _open_rollout(slack, slack_api, card, LEAD)).params["view"]
    filled = state_values(ROLLOUT_FIELDS, ROLLOUT)
    forged = await slack.json_of(await slack.submit_view(view, filled, user=STRANGER))
    assert f"{REFUSED} plan or mark a rollout there" in json.dumps(forged["errors"])
    assert await _count(deps, NeedStepRow) == 0 and await _actions(deps) == ["need.raise"]


async def test_a_step_is_marked_done_once_by_an_owner_and_refused_to_an_outsider(
    slack: AppClient, deps: Deps, slack_api: FakeSlackApi
) -> None:
    acme = await make_account(deps)
    need = await _need(deps, acme.id)
    dates = {Step(k): date.fromisoformat(v) for k, v in ROLLOUT.items()}
    await set_rollout(deps, acme.id, need.id, RolloutDates(dates), TACE)
    card = await _card(slack, slack_api)

    await slack.interaction(_click_body(card, "need_step_done", STRANGER, slack_api))
    [refused] = await slack_api.wait_for("response_url")
    assert f"{REFUSED} plan or mark a rollout there" in refused.params["text"]
    assert await _actions(deps) == ["need.raise", "need.rollout"]

    slack_api.reset()
    await slack.interaction(_click_body(card, "need_step_done", PO, slack_api, "Pre-mortem"))
    [redrawn] = await slack_api.wait_for("response_url")
    drawn = json.dumps(redrawn.params["blocks"], ensure_ascii=False)
    assert ":white_check_mark: pre-mortem 2026-11-25 → pilot 2026-12-01" in drawn
    assert "Pre-mortem done" not in drawn and "Pilot done" in drawn

    slack_api.reset()  # the stale card clicked again
    await slack.interaction(_click_body(card, "need_step_done", LEAD, slack_api, "Pre-mortem"))
    [again] = await slack_api.wait_for("response_url")
    assert "<@U0PO> already marked the pre-mortem done" in again.params["text"]
    assert await _actions(deps) == ["need.raise", "need.rollout", "need.step_done"]
    async with deps.db.session() as session:
        row = await session.get(NeedStepRow, (need.id, "pre-mortem"))
        assert row is not None and row.done_by == PO


async def test_the_card_the_weekly_post_and_the_home_show_open_needs_and_overdue_steps(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    acme = await make_account(deps)
    need = await _need(deps, acme.id, summary="SSO for the assistant")
    for n in range(4):
        await _need(deps, acme.id, summary=f"Minor {n}", priority="low")
    today = deps.today()
    late = {Step.PILOT: today - timedelta(days=2), Step.ROLLOUT: today + timedelta(days=7)}
    await set_rollout(deps, acme.id, need.id, RolloutDates(late), TACE)

    shown = await slack.ask("account show Acme Corp")
    assert "*Open needs* (5)" in shown and "SSO for the assistant" in shown
    assert f"pilot {today - timedelta(days=2)} *overdue*" in shown
    assert "…and 2 more: `/strategic needs Acme Corp`" in shown

    friday_16 = datetime(2026, 11, 27, 16, tzinfo=UTC)
    assert await run_and_deliver(deps, clock, "weekly-update", friday_16) >= 1
    [post] = slack_api.messages_in(CHANNEL)
    weekly = json.dumps(post["blocks"], ensure_ascii=False)
    assert "*Customer needs*: 5 open on 1 account" in weekly and "1 rollout step overdue" in weekly
    assert "• *Acme Corp* (5 open): :red_circle: SSO for the assistant (_open_)" in weekly
    assert (
        f":warning: *Acme Corp*: the pilot of SSO for the assistant was due "
        f"{today - timedelta(days=2)} and is not done"
    ) in weekly

    await slack.event(payload("app_home_opened"))
    [home] = await slack_api.wait_for("views.publish")
    tab = json.dumps(home.params["view"]["blocks"], ensure_ascii=False)
    assert "*Customer needs*: 5 open on 1 account" in tab and "(5 open)" in tab


async def test_many_needs_are_listed_within_slacks_limits_the_rest_counted(
    slack: AppClient, deps: Deps, slack_api: FakeSlackApi
) -> None:
    """13 open needs on 11 accounts: `needs` shows 12 cards and counts the last; the App
    Home lists 10 accounts and counts the 11th. The loopback API fails the test on any
    message or view over Slack's limits."""
    for n in range(11):
        account = await make_account(deps, name=f"Account {n:02d}", channel=None)
        for extra in range(3 if n == 0 else 1):
            await _need(deps, account.id, summary=f"Need {n:02d}-{extra}", priority="low")
    listed = json.loads(await slack.ask("needs"))
    assert listed["blocks"][0]["text"]["text"] == "Open needs (13)"
    cards = [b for b in listed["blocks"] if str(b.get("block_id", "")).startswith("need:")]
    assert len(cards) == 12 and "…and 1 more, lower in priority." in json.dumps(
        listed, ensure_ascii=False
    )
    await slack.event(payload("app_home_opened"))
    [home] = await slack_api.wait_for("views.publish")
    tab = json.dumps(home.params["view"]["blocks"], ensure_ascii=False)
    assert "*Customer needs*: 13 open on 11 accounts" in tab
    assert "• *Account 00* (3 open)" in tab and "…and 1 more account: `/strategic needs`" in tab
    assert "• *Account 10*" not in tab


async def test_the_demo_shows_an_accounts_needs_once_however_often_it_runs(
    team: TeamPolicy, scheduler: SchedulerPolicy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`strategic-bot demo` in its own database: Northwind Traders' open needs by priority,
    the SSO rollout with its pilot overdue; a second run raises none again."""
    monkeypatch.chdir(tmp_path)
    shown = []
    for _ in range(2):
        demo = await asyncio.to_thread(demo_deps, Settings(team=team, scheduler=scheduler))
        out = io.StringIO()
        await run_demo(demo, Console(file=out, width=200))
        shown.append(out.getvalue())
        stored = Database(demo.settings.database_url)
        async with stored.session() as session:
            assert await session.scalar(select(func.count()).select_from(NeedRow)) == 4
            assert await session.scalar(select(func.count()).select_from(OutboxRow)) == 0
        await stored.dispose()
    for text in shown:
        listed = text[text.index("/strategic needs Northwind Traders") :]
        assert "OPEN NEEDS OF NORTHWIND TRADERS (3)" in listed
        assert listed.index("SSO through their Okta") < listed.index("Suggestions vanish")
        assert "pilot" in listed and "overdue" in listed and "[Pilot done]" in listed
        assert "Customer needs: 4 open on 2 accounts" in text
