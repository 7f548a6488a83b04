"""OKRs end to end (issue 14): `/strategic okr`, `okr add`, `okr history`, the check-in DM,
its button and modal, the quarter-end summary, the weekly section and the App Home —
through signed HTTP against the loopback Slack API."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.blocks.okrs import ADD_FIELDS, CHECKIN_FIELDS
from bot.config import SchedulerPolicy, TeamPolicy
from bot.deps import Deps
from bot.domain.iarr import IarrInput, IarrKind
from bot.domain.okrs import OkrFile
from bot.services.north_star import record_iarr
from bot.services.okrs import import_okrs, quarter_okrs
from bot.services.renewals import churn, renew
from bot.startup.okr_import import read_okr_file
from jobs.delivery import Delivery, delivery_client
from storage.models import AuditRow, OkrCheckinRow, OkrKeyResultRow
from tests.app_client import AppClient, payload
from tests.conftest import Clock
from tests.factories import make_account
from tests.forms import state_values
from tests.scheduled import run_and_deliver
from tests.slack_api import FakeSlackApi

ADMIN, LEAD, AE, STRANGER, CHANNEL = "U0ADMIN", "U0LEAD", "U0AE", "U0STRANGER", "C0STRAT"
TEAM = TeamPolicy(admins=[ADMIN], strategic_channel=CHANNEL)
pytestmark = pytest.mark.parametrize(
    ("team", "scheduler"), [(TEAM, SchedulerPolicy(channel_pace_seconds=0))]
)
MONDAY_10 = datetime(2026, 11, 23, 10, tzinfo=UTC)
"""Monday of FY27-Q4 (2026-11-01 … 2027-01-31), 10:00 team time (UTC)."""
QUARTER_END_16 = datetime(2027, 1, 31, 16, tzinfo=UTC)
FILE = Path(__file__).parent.parent / "data" / "okrs.yaml"


@pytest.fixture
async def kr_ids(deps: Deps, tmp_path: Path) -> dict[str, int]:
    """Seed 004's file (tests/data/okrs.yaml) moved to the current quarter and imported;
    the key results' numbers by title."""
    moved = tmp_path / "okrs.yaml"
    moved.write_text(FILE.read_text().replace("FY22-Q2", "FY27-Q4"))
    found = read_okr_file(moved, 2)
    assert isinstance(found, OkrFile)
    await import_okrs(deps, found, "cli")
    okrs = await quarter_okrs(deps, found.quarter)
    return {kr.title: kr.id for kr in okrs.key_results() if kr.id is not None}


DELIVERABLES = "Produce 3 deliverables from CE project-work"
LOGOS = "Land 4 Large Enterprise Logos"


async def _count(deps: Deps, model: Any) -> int:
    async with deps.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_every_quarter_shows_the_measured_key_results_with_nothing_imported(
    slack: AppClient, deps: Deps
) -> None:
    """Success plans, red accounts' plans, health scores, this quarter's logo retention
    (its renewal decisions) and iARR, all as of today, under Strategic."""
    today = deps.today()
    renewed = await make_account(deps, name="Renewed Co", contract_end=today)
    churned = await make_account(deps, name="Churned Co", contract_end=today, success_plan_url=None)
    await renew(deps, renewed.id, today, today + timedelta(days=365), ADMIN)
    await churn(deps, churned.id, today, ADMIN)
    deal = IarrInput(account="Renewed Co", kind=IarrKind.NEW, amount=40_000, day=today)
    await record_iarr(deps, deal, AE)

    answer = await slack.ask("okr")
    assert "OKRs FY27-Q4" in answer and "Measured by the bot" in answer
    assert "Every strategic account has a success plan defined" in answer
    assert "measured: 1 of 2 accounts" in answer
    assert "100% logo retention on this quarter" in answer
    assert "measured: 1 of 2 renewals decided" in answer
    assert "40,000 iARR" in answer
    # Another quarter, nothing imported there either: the measures still show.
    assert "Measured by the bot" in await slack.ask("okr Strategic FY26-Q1")


async def test_the_quarter_by_team_with_a_bar_per_key_result(
    slack: AppClient, deps: Deps, kr_ids: dict[str, int]
) -> None:
    answer = await slack.ask("okr")
    assert "Customer Engineering" in answer and "Sales" in answer
    assert f"`#{kr_ids[DELIVERABLES]}` *{DELIVERABLES}*" in answer
    assert "`░░░░░░░░░░` 0% · 0 of 3 deliverables" in answer
    sales = await slack.ask("okr sales fy27-q4")
    assert LOGOS in sales and DELIVERABLES not in sales and "Measured by the bot" not in sales


async def test_an_unknown_quarter_or_team_gets_the_usage_and_the_known_values(
    slack: AppClient, deps: Deps, kr_ids: dict[str, int]
) -> None:
    q5 = await slack.ask("okr FY22-Q5")
    assert "`FY22-Q5` is not a fiscal quarter" in q5
    assert "Quarters with OKRs: FY27-Q4." in q5 and "/strategic okr [TEAM] [QUARTER]" in q5
    nobody = await slack.ask("okr Marketing")
    assert "No team is named *Marketing* in FY27-Q4" in nobody
    assert "Teams: Strategic, Customer Engineering, Sales." in nobody
    assert "/strategic okr [TEAM] [QUARTER]" in nobody


async def test_okr_history_of_an_unknown_key_result_and_of_no_number(
    slack: AppClient, deps: Deps, kr_ids: dict[str, int]
) -> None:
    assert "No key result is numbered #999999" in await slack.ask("okr history 999999")
    wrong = await slack.ask("okr history twelve")
    assert "`twelve` is not a key result's number" in wrong
    assert "/strategic okr history KR" in wrong
    fresh = await slack.ask(f"okr history #{kr_ids[DELIVERABLES]}")
    assert "No check-ins yet." in fresh and "Customer Engineering · FY27-Q4" in fresh


async def _checkin_dm(deps: Deps, clock: Clock, slack_api: FakeSlackApi) -> dict[str, Any]:
    """Monday's check-ins: one DM per owner of manual key results."""
    assert await run_and_deliver(deps, clock, "okr-checkins", MONDAY_10) == 2  # LEAD and AE
    assert await run_and_deliver(deps, clock, "okr-checkins", MONDAY_10) == 0  # ran already
    [dm] = slack_api.messages_in(LEAD)
    return dm


async def test_the_check_in_dm_lists_each_owners_manual_key_results(
    deps: Deps, clock: Clock, slack_api: FakeSlackApi, kr_ids: dict[str, int]
) -> None:
    dm = await _checkin_dm(deps, clock, slack_api)
    shown = json.dumps(dm["blocks"], ensure_ascii=False)
    assert DELIVERABLES in shown and shown.count('"okr_checkin_open"') == 1
    [to_ae] = slack_api.messages_in(AE)
    # The AE owns the bound logo-retention key result too: measured, so not asked about.
    ae_shown = json.dumps(to_ae["blocks"], ensure_ascii=False)
    assert LOGOS in ae_shown and "logo retention" not in ae_shown
    assert slack_api.messages_in("U0TACE") == []  # owns only a measured one


async def _open(slack: AppClient, slack_api: FakeSlackApi, dm: dict[str, Any], user: str) -> Any:
    await slack.click(LEAD, dm, "okr_checkin_open", user=user)
    [opened] = await slack_api.wait_for("views.open")
    return opened.params["view"]


async def test_the_owner_checks_in_a_number_and_the_history_keeps_each(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi, kr_ids: dict[str, int]
) -> None:
    dm = await _checkin_dm(deps, clock, slack_api)
    view = await _open(slack, slack_api, dm, LEAD)
    assert view["callback_id"] == "okr_checkin" and DELIVERABLES in json.dumps(view)

    not_a_number = {"value": "two-ish", "status": "at risk"}
    refused = await slack.json_of(
        await slack.submit_view(view, state_values(CHECKIN_FIELDS, not_a_number), user=LEAD)
    )
    assert refused["errors"] == {"value": "two-ish is not a number; write it like 42 or 3.5"}
    assert await _count(deps, OkrCheckinRow) == 0

    for value, status, note in (("2", "at risk", "Two <!here> shipped"), ("3", "done", None)):
        filled = {"value": value, "status": status} | ({"note": note} if note else {})
        response = await slack.submit_view(view, state_values(CHECKIN_FIELDS, filled), user=LEAD)
        assert await slack.json_of(response) is None
    confirmed = await slack_api.wait_for("chat.postMessage", count=4)  # 2 DMs, 2 confirmations
    assert "Checked in." in confirmed[-1].params["text"]
    delivery = Delivery(deps, delivery_client(deps))
    while await delivery.pass_once():  # the DM's redraws, queued with each check-in
        pass
    redrawn, *confirmations = slack_api.messages_in(LEAD)  # the DM, then the two "Checked in."
    assert len(confirmations) == 2 and "Checked in." in confirmations[-1]["text"]
    assert "3 of 3 deliverables" in json.dumps(redrawn["blocks"], ensure_ascii=False)
    history = await slack.ask(f"okr history {kr_ids[DELIVERABLES]}")
    assert "*Check-ins* (2)" in history and "Two &lt;!here&gt; shipped" in history
    checkins = history[history.index("*Check-ins* (2)") :]
    assert checkins.index("2 deliverables") < checkins.index("3 deliverables")
    assert checkins.index("at risk") < checkins.index(":white_check_mark: done")
    assert "3 of 3 deliverables" in history
    async with deps.db.session() as session:
        row = await session.get(OkrKeyResultRow, kr_ids[DELIVERABLES])
        assert row is not None and (row.current, row.status) == (3, "done")
        audit = (await session.execute(select(AuditRow).order_by(AuditRow.id))).scalars().all()
        assert [a.action for a in audit][-2:] == ["okr.checkin", "okr.checkin"]
        assert audit[-1].changes == {"current": [2, 3], "status": ["at risk", "done"]}


async def test_someone_elses_key_result_is_refused_to_a_non_admin_and_open_to_an_admin(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi, kr_ids: dict[str, int]
) -> None:
    dm = await _checkin_dm(deps, clock, slack_api)
    await slack.click(LEAD, dm, "okr_checkin_open", user=AE)
    [refused] = await slack_api.wait_for("response_url")
    assert "Only <@U0LEAD>, who owns this key result, or a team admin" in refused.params["text"]
    assert slack_api.calls_to("views.open") == []

    view = await _open(slack, slack_api, dm, LEAD)  # the owner opened it; the AE submits it
    filled = state_values(CHECKIN_FIELDS, {"value": "9", "status": "done"})
    forged = await slack.json_of(await slack.submit_view(view, filled, user=AE))
    assert "Only <@U0LEAD>, who owns this key result" in json.dumps(forged["errors"])
    assert await _count(deps, OkrCheckinRow) == 0

    response = await slack.submit_view(view, filled, user=ADMIN)
    assert await slack.json_of(response) is None
    assert await _count(deps, OkrCheckinRow) == 1


async def test_okr_add_is_for_admins_and_adds_under_a_new_objective(
    slack: AppClient, deps: Deps, slack_api: FakeSlackApi, kr_ids: dict[str, int]
) -> None:
    assert "Only a team admin can add a key result" in await slack.ask("okr add", user=LEAD)
    assert slack_api.calls_to("views.open") == []
    await slack.command("okr add", user=ADMIN)
    [opened] = await slack_api.wait_for("views.open")
    view = opened.params["view"]
    values = {
        "team": "Marketing",
        "quarter": "FY27-Q4",
        "objective": "Speak out more",
        "title": "Top-5 post on Hacker News",
        "owner": AE,
        "target": "one",
    }
    before = await _count(deps, OkrKeyResultRow)
    refused = await slack.json_of(
        await slack.submit_view(view, state_values(ADD_FIELDS, values), user=ADMIN)
    )
    assert refused["errors"] == {"target": "target must be a number, like 100 or 2.5"}
    outsider = await slack.json_of(
        await slack.submit_view(view, state_values(ADD_FIELDS, values), user=LEAD)
    )
    assert "Only a team admin can add a key result" in json.dumps(outsider)
    assert await _count(deps, OkrKeyResultRow) == before

    good = values | {"target": "1"}
    response = await slack.submit_view(view, state_values(ADD_FIELDS, good), user=ADMIN)
    assert await slack.json_of(response) is None
    answer = await slack.ask("okr marketing")
    assert "Speak out more" in answer and "Top-5 post on Hacker News" in answer
    twice = await slack.json_of(
        await slack.submit_view(view, state_values(ADD_FIELDS, good), user=ADMIN)
    )
    assert "already has a key result named" in twice["errors"]["title"]


async def test_the_quarter_summary_goes_out_on_its_last_day_only(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi, kr_ids: dict[str, int]
) -> None:
    dm = await _checkin_dm(deps, clock, slack_api)
    view = await _open(slack, slack_api, dm, LEAD)
    for value in ("1", "3"):
        filled = state_values(CHECKIN_FIELDS, {"value": value, "status": "on track"})
        assert await slack.json_of(await slack.submit_view(view, filled, user=LEAD)) is None

    day_before = QUARTER_END_16 - timedelta(days=1)
    assert await run_and_deliver(deps, clock, "okr-quarter-summary", day_before) == 0
    assert await run_and_deliver(deps, clock, "okr-quarter-summary", QUARTER_END_16) == 3
    assert await run_and_deliver(deps, clock, "okr-quarter-summary", QUARTER_END_16) == 0
    posts = {m["text"]: json.dumps(m["blocks"]) for m in slack_api.messages_in(CHANNEL)}
    assert set(posts) == {
        f"{team}: OKR results FY27-Q4" for team in ("Strategic", "Customer Engineering", "Sales")
    }
    ce = posts["Customer Engineering: OKR results FY27-Q4"]
    assert "3 of 3 deliverables" in ce
    assert "+2 deliverables since the first check-in (1 deliverables)" in ce
    assert "measured by the bot" in ce and "no check-ins" in posts["Sales: OKR results FY27-Q4"]


async def test_the_weekly_update_has_the_okr_section_and_the_home_the_measures(
    slack: AppClient, deps: Deps, clock: Clock, slack_api: FakeSlackApi, kr_ids: dict[str, int]
) -> None:
    await make_account(deps, name="Acme Corp")
    friday_16 = datetime(2026, 11, 27, 16, tzinfo=UTC)
    assert await run_and_deliver(deps, clock, "weekly-update", friday_16) >= 1
    [post] = slack_api.messages_in(CHANNEL)
    shown = json.dumps(post["blocks"], ensure_ascii=False)
    assert "*OKRs FY27-Q4*" in shown
    assert "*Customer Engineering*: 3 key result(s)" in shown

    await slack.event(payload("app_home_opened"))
    [home] = await slack_api.wait_for("views.publish")
    tab = json.dumps(home.params["view"]["blocks"], ensure_ascii=False)
    assert "Key results the bot measures, FY27-Q4" in tab
    # Acme has its success plan, and no figures yet, so no health score.
    assert "success plan defined" in tab and "measured: 1 of 1 accounts" in tab
    assert "given a health score" in tab and "measured: 0 of 1 accounts" in tab


async def test_a_measured_key_result_takes_no_check_in_even_forged(
    slack: AppClient, deps: Deps, slack_api: FakeSlackApi, kr_ids: dict[str, int]
) -> None:
    """The bound success-plans key result is the bot's: its DM has no button for it, and a
    click naming it (forged) is refused with nothing opened or written."""
    bound = kr_ids["Every strategic account has a success plan defined"]
    message = {
        "ts": "1.0",
        "text": "forged",
        "blocks": [
            {
                "type": "actions",
                "block_id": "b",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "okr_checkin_open",
                        "text": {"type": "plain_text", "text": "Check in"},
                        "value": json.dumps({"key_result_id": bound}),
                    }
                ],
            }
        ],
    }
    await slack.click("U0TACE", message, "okr_checkin_open", user="U0TACE")
    [refused] = await slack_api.wait_for("response_url")
    assert "is measured by the bot as of today; it takes no check-ins" in refused.params["text"]
    assert slack_api.calls_to("views.open") == []
    assert await _count(deps, OkrCheckinRow) == 0


async def test_the_quarter_end_is_the_teams_own_last_day(
    deps: Deps, clock: Clock, slack_api: FakeSlackApi, kr_ids: dict[str, int]
) -> None:
    """16:00 on 31 January in Honolulu is 02:00 on 1 February in UTC: still the quarter's
    last day for the team, so the summary of FY27-Q4 goes out then, and not a day early."""
    team = deps.settings.team.model_copy(update={"timezone": "Pacific/Honolulu"})
    hawaii = replace(deps, settings=deps.settings.model_copy(update={"team": team}))
    at_16 = datetime(2027, 2, 1, 2, tzinfo=UTC)
    assert (
        await run_and_deliver(hawaii, clock, "okr-quarter-summary", at_16 - timedelta(days=1)) == 0
    )
    assert await run_and_deliver(hawaii, clock, "okr-quarter-summary", at_16) == 3
    assert "Sales: OKR results FY27-Q4" in {m["text"] for m in slack_api.messages_in(CHANNEL)}
