"""The health-alerts job and its Acknowledge button, end to end through the outbox."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.config import TeamPolicy
from bot.deps import Deps
from bot.domain.metrics import SnapshotInput
from bot.services.metrics import record_snapshots
from tests.app_client import AppClient
from tests.conftest import Clock
from tests.factories import make_account
from tests.scheduled import run_and_deliver
from tests.slack_api import FakeSlackApi

MONDAY = datetime(2026, 11, 23, 9, tzinfo=UTC)


async def usage(deps: Deps, account: str, mau: int, until: datetime, days: int = 10) -> None:
    await record_snapshots(
        deps,
        [
            (
                n,
                SnapshotInput(
                    account=account,
                    day=until.date() - timedelta(days=n),
                    dau=mau // 2,
                    mau=mau,
                    seats=1000,
                ),
            )
            for n in range(days)
        ],
    )


async def run_health_job(deps: Deps, clock: Clock, at: datetime) -> int:
    return await run_and_deliver(deps, clock, "health-alerts", at)


@pytest.fixture
async def alerted(deps: Deps, clock: Clock, slack_api: FakeSlackApi) -> dict[str, Any]:
    """Monday: Sinking Co goes red (alert to its channel), Healthy Co is green (no alert)."""
    await make_account(deps, name="Sinking Co", channel="C0SINK", ta_ce="U0TACE", ae="U0AE")
    await make_account(deps, name="Healthy Co", channel="C0HEALTHY")
    await usage(deps, "Sinking Co", mau=300, until=MONDAY)
    await usage(deps, "Healthy Co", mau=900, until=MONDAY)
    assert await run_health_job(deps, clock, MONDAY) == 2  # the alert, and the no-plan list
    [message] = slack_api.messages_in("C0SINK")
    return message


async def test_an_account_entering_red_is_alerted_with_why(
    alerted: dict[str, Any], slack_api: FakeSlackApi
) -> None:
    text = json.dumps(alerted["blocks"], ensure_ascii=False)
    assert "*Sinking Co* is now *red*" in text and "<@U0TACE>, over to you" in text
    assert "Utilization (MAU / licensed seats) 30%, below 60% (target 80%)" in text
    assert "1,200,000" not in text  # no ARR in channel posts
    assert slack_api.messages_in("C0HEALTHY") == []
    [no_plan] = slack_api.messages_in("#cp-strategic")
    assert (
        "1 red account(s) have no get-well plan: *Sinking Co*"
        in no_plan["blocks"][0]["text"]["text"]
    )


async def test_the_same_state_next_day_posts_nothing_and_a_recovery_posts(
    alerted: dict[str, Any], deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    tuesday = MONDAY + timedelta(days=1)
    await usage(deps, "Sinking Co", mau=300, until=tuesday, days=1)
    assert await run_health_job(deps, clock, tuesday) == 0  # still red: no alert, not Monday
    assert await run_health_job(deps, clock, tuesday) == 0  # the same occurrence again

    wednesday = tuesday + timedelta(days=1)
    await usage(deps, "Sinking Co", mau=950, until=wednesday, days=12)
    assert await run_health_job(deps, clock, wednesday) == 1
    recovery = slack_api.messages_in("C0SINK")[-1]
    assert "*Sinking Co* is now *green* (was red)" in json.dumps(recovery["blocks"])


async def test_a_name_with_slack_sequences_is_posted_escaped(
    deps: Deps, clock: Clock, slack_api: FakeSlackApi
) -> None:
    """Issue 10: an account named `<!channel> …` pinged the whole channel through its alert.
    Its name now reaches Slack as text, in the blocks and the fallback alike."""
    name = "<!channel> Pwn & <@U0BOSS> Corp"
    escaped = "&lt;!channel&gt; Pwn &amp; &lt;@U0BOSS&gt; Corp"
    await make_account(deps, name=name, channel="C0PWN", ta_ce="U0TACE")
    await usage(deps, name, mau=300, until=MONDAY)
    assert await run_health_job(deps, clock, MONDAY) == 2

    posted = {c.params["channel"]: c.params for c in slack_api.calls_to("chat.postMessage")}
    alert, no_plan = posted["C0PWN"], posted["#cp-strategic"]
    sent = json.dumps([alert, no_plan], ensure_ascii=False)
    assert alert["text"] == f"{escaped} is now red"
    assert f"*{escaped}* is now *red*" in sent and "<@U0TACE>, over to you" in sent
    assert f"get-well plan: *{escaped}* (<@U0TACE>)" in sent
    assert "<!channel>" not in sent and "<@U0BOSS>" not in sent and " & " not in sent


@pytest.mark.parametrize("team", [TeamPolicy(admins=["U0ADMIN"])])
async def test_acknowledge_once_by_someone_responsible(
    alerted: dict[str, Any], slack: AppClient, slack_api: FakeSlackApi
) -> None:
    await slack.click("C0SINK", alerted, "ack_health_alert", user="U0STRANGER")
    [refused] = await slack_api.wait_for("response_url")
    assert "Only Sinking Co's owners or a team admin" in refused.params["text"]
    assert refused.params["replace_original"] is False

    await slack.click("C0SINK", alerted, "ack_health_alert", user="U0TACE")
    [_, taken] = await slack_api.wait_for("response_url", count=2)
    assert taken.params["replace_original"] is True
    blocks = json.dumps(taken.params["blocks"])
    assert "Acknowledged by <@U0TACE>" in blocks and "ack_health_alert" not in blocks

    await slack.click("C0SINK", alerted, "ack_health_alert", user="U0AE")
    again = (await slack_api.wait_for("response_url", count=3))[-1]
    assert "<@U0TACE> already acknowledged this alert; nothing changed." in again.params["text"]


async def test_a_click_on_an_outdated_alert_changes_nothing(
    alerted: dict[str, Any], deps: Deps, clock: Clock, slack: AppClient, slack_api: FakeSlackApi
) -> None:
    tuesday = MONDAY + timedelta(days=1)
    await usage(deps, "Sinking Co", mau=950, until=tuesday, days=12)
    await run_health_job(deps, clock, tuesday)  # now green

    await slack.click("C0SINK", alerted, "ack_health_alert", user="U0TACE")
    [stale] = await slack_api.wait_for("response_url")
    assert "This alert is out of date: Sinking Co is now green." in stale.params["text"]


@pytest.mark.parametrize("team", [TeamPolicy(show_sensitive_in_channels=True, currency="EUR")])
async def test_arr_in_alerts_only_when_the_team_allows_it_in_its_currency(
    alerted: dict[str, Any], slack_api: FakeSlackApi
) -> None:
    assert "ARR EUR 1,200,000." in json.dumps(alerted["blocks"])


async def test_health_detail_says_since_when_from_the_daily_history(
    alerted: dict[str, Any], deps: Deps, clock: Clock, slack: AppClient
) -> None:
    tuesday = MONDAY + timedelta(days=1)
    await usage(deps, "Sinking Co", mau=300, until=tuesday, days=1)
    await run_health_job(deps, clock, tuesday)  # still red: recorded, not alerted

    answer = await slack.ask("health Sinking Co")

    assert ":red_circle: red since 2026-11-23" in answer


async def test_the_trend_compares_with_the_status_recorded_a_week_earlier(
    alerted: dict[str, Any], deps: Deps, clock: Clock, slack: AppClient
) -> None:
    """Monday's run recorded Healthy Co green; figures re-sent since then say red that day.

    The trend follows the record (what that day's alerts said), in the portfolio and the
    detail alike; an account with nothing recorded is judged from that day's figures.
    """
    week_later = MONDAY + timedelta(days=7)
    await make_account(deps, name="Late Co")  # added after Monday's run
    await usage(deps, "Late Co", mau=300, until=MONDAY, days=1)
    await usage(deps, "Healthy Co", mau=300, until=MONDAY, days=1)
    await usage(deps, "Healthy Co", mau=900, until=week_later, days=7)
    await usage(deps, "Sinking Co", mau=900, until=week_later, days=7)
    clock.now = week_later

    blocks = json.loads(await slack.ask("health"))["blocks"]

    def line(name: str) -> str:
        return next(b["text"]["text"] for b in blocks if f"*{name}*" in json.dumps(b))

    assert "green *Healthy Co* · → same" in line("Healthy Co")  # the figures say "better"
    assert "yellow *Sinking Co* · ↗ better" in line("Sinking Co")
    assert "red (stale data) *Late Co* · → same" in line("Late Co")  # not "new"
    assert "→ same against last week" in await slack.ask("health Healthy Co")
