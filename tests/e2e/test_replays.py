"""A state-changing request from Slack changes things once: a replay of the same signed
request, or Slack's retry of it, is refused and records nothing again; a deal typed twice
on purpose is recorded twice, and its answer offers Undo."""

from __future__ import annotations

import json
import urllib.parse

from bot.deps import Deps
from storage.models import Base, IarrEventRow, SeenRequestRow
from tests.app_client import AppClient, fresh_trigger_id, payload
from tests.factories import make_account
from tests.slack_api import FakeSlackApi

IARR = "iarr Globex 12345 expansion"


async def _count(deps: Deps, model: type[Base]) -> int:
    async with deps.db.session() as session:
        return len((await session.execute(model.__table__.select())).all())


def _command_body(slack: AppClient, text: str) -> str:
    form = payload("slash_command") | {
        "text": text,
        "response_url": slack.api.response_url(),
        "trigger_id": fresh_trigger_id(),
    }
    return urllib.parse.urlencode(form)


async def test_a_replayed_command_records_once(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await make_account(deps, name="Globex")
    body = _command_body(slack, IARR)
    form = "application/x-www-form-urlencoded"
    for _ in range(3):
        assert (await slack.post_signed(body, form)).status == 200
    retry = slack.signed(body) | {"X-Slack-Retry-Num": "1"}
    assert (await slack.post_raw(body, form, retry)).status == 200
    answers = await slack_api.wait_for("response_url", count=4)
    texts = [a.params["text"] for a in answers]
    assert sum("Recorded 12,345 iARR" in t for t in texts) == 1, texts
    assert sum("already handled; nothing changed" in t for t in texts) == 3, texts
    assert await _count(deps, IarrEventRow) == 1
    assert await _count(deps, SeenRequestRow) == 1


async def test_a_deal_typed_twice_is_recorded_twice_and_undone_by_its_button(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    await make_account(deps, name="Globex")
    await slack.ask(IARR)
    second = json.loads(await slack.ask(IARR))
    assert await _count(deps, IarrEventRow) == 2
    assert "FY27-Q4 so far: 24,690." in second["text"]
    answer = second | {"ts": "1700000000.000100"}
    await slack.click("C0GENERAL", answer, "iarr_undo", user="U0ALICE")
    [*_, undone] = await slack_api.wait_for("response_url", count=3)
    assert undone.params["replace_original"] is True
    assert "Undone: 12,345 iARR (expansion) for *Globex*" in json.dumps(undone.params["blocks"])
    assert await _count(deps, IarrEventRow) == 1
    await slack.click("C0GENERAL", answer, "iarr_undo", user="U0ALICE")  # the same Undo again
    [*_, again] = await slack_api.wait_for("response_url", count=4)
    assert "no longer recorded; nothing changed" in again.params["text"]
    assert await _count(deps, IarrEventRow) == 1


async def test_a_replayed_click_changes_nothing_twice(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    """The same click body twice (a replay): the second is refused as handled."""
    await make_account(deps, name="Globex")
    answer = json.loads(await slack.ask(IARR)) | {"ts": "1700000000.000100"}
    click = payload("block_actions")
    click["response_url"] = slack_api.response_url()
    click["message"].update(ts=answer["ts"], text=answer["text"], blocks=answer["blocks"])
    button = answer["blocks"][-1]["elements"][0]
    click["actions"][0].update(action_id="iarr_undo", block_id="iarr_undo", value=button["value"])
    for _ in range(2):
        assert (await slack.interaction(click)).status == 200
    [_, first, second] = await slack_api.wait_for("response_url", count=3)
    assert "Undone" in json.dumps(first.params["blocks"])
    assert "already handled; nothing changed" in second.params["text"]
