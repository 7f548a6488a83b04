"""Signed but malformed requests: a clear refusal, no traceback, nothing written, and no
call to Slack or to an address the payload names."""

from __future__ import annotations

import json
import logging
import urllib.parse
from collections.abc import Callable
from typing import Any

import pytest

from bot.blocks.accounts import ACCOUNT_FIELDS
from bot.blocks.plans import PLAN_FIELDS
from bot.deps import Deps
from storage.models import Base
from tests.app_client import AppClient, fresh_trigger_id, payload
from tests.factories import make_account
from tests.forms import state_values
from tests.slack_api import FakeSlackApi

FORM = "application/x-www-form-urlencoded"
EVIL = "https://evil.example/collect"


def _command(**fields: Any) -> str:
    form = payload("slash_command") | {"text": "account list", "trigger_id": fresh_trigger_id()}
    form |= fields
    return urllib.parse.urlencode({k: v for k, v in form.items() if v is not None})


def _interaction(kind: str, change: Callable[[dict[str, Any]], None]) -> str:
    """A whole click on Mark done, or a whole get-well plan submission, then one defect."""
    body = payload(kind)
    if kind == "block_actions":
        body["actions"][0]["action_id"] = "journey_mark_done"
    else:
        body["view"]["callback_id"] = "get_well_plan"
    change(body)
    return urllib.parse.urlencode({"payload": json.dumps(body)})


def _parent(body: Any, path: tuple[str, ...]) -> Any:
    """The container holding the last key of `path`; digits index lists."""
    for key in path[:-1]:
        body = body[int(key)] if isinstance(body, list) else body[key]
    return body


def _drop(*path: str) -> Callable[[dict[str, Any]], None]:
    return lambda body: _parent(body, path).pop(path[-1])


def _set(path: tuple[str, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda body: _parent(body, path).__setitem__(path[-1], value)


REFUSED_AT_THE_DOOR = {
    "a command with no user_id": (_command(user_id=None), FORM),
    "a command with an empty user_id": (_command(user_id=""), FORM),
    "a command with no trigger_id": (_command(trigger_id=None), FORM),
    "a command answering to a foreign response_url": (_command(response_url=EVIL), FORM),
    "a click with no user": (_interaction("block_actions", _drop("user")), FORM),
    "a click with no actions": (_interaction("block_actions", _set(("actions",), [])), FORM),
    "a click whose action has no id": (
        _interaction("block_actions", _drop("actions", "0", "action_id")),
        FORM,
    ),
    "a click with no message": (_interaction("block_actions", _drop("message")), FORM),
    "a click answering to a foreign response_url": (
        _interaction("block_actions", _set(("response_url",), EVIL)),
        FORM,
    ),
    "a submission with no view.state": (
        _interaction("view_submission", _drop("view", "state")),
        FORM,
    ),
    "a submission with no user": (_interaction("view_submission", _drop("user")), FORM),
    "a submission whose metadata is not text": (
        _interaction("view_submission", _set(("view", "private_metadata"), {"account_id": 1})),
        FORM,
    ),
    "a payload that is a list": ("payload=" + urllib.parse.quote("[1, 2]"), FORM),
    "an event with no event": (json.dumps({"type": "event_callback"}), "application/json"),
}


async def _rows(deps: Deps) -> dict[str, int]:
    async with deps.db.session() as session:
        return {
            t.name: len((await session.execute(t.select())).all())
            for t in Base.metadata.sorted_tables
        }


@pytest.mark.parametrize("case", sorted(REFUSED_AT_THE_DOOR))
async def test_a_malformed_signed_request_is_refused_before_any_listener(
    case: str,
    slack: AppClient,
    slack_api: FakeSlackApi,
    deps: Deps,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await make_account(deps)
    before = await _rows(deps)
    body, content_type = REFUSED_AT_THE_DOOR[case]
    with caplog.at_level(logging.INFO):
        response = await slack.post_signed(body, content_type)
    assert response.status == 400, case
    assert "incomplete; nothing was read or changed" in await response.text()
    # auth.test is Bolt checking our own token, once, before any middleware: not a call
    # the payload causes or directs.
    made = [c.method for c in slack_api.calls if c.method != "auth.test"]
    assert made == [], made
    assert await _rows(deps) == before
    assert "Traceback" not in caplog.text


async def test_tampered_modal_state_is_refused_on_its_form(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    """Metadata that is not JSON, or a plan with no account: the modal says it is out of
    date, nothing is saved, nobody is told anything elsewhere."""
    account = await make_account(deps)
    await slack.command(f"plan {account.name}", user="U0TACE")
    [opened] = await slack_api.wait_for("views.open")
    view = opened.params["view"]
    filled = state_values(PLAN_FIELDS, {"owner": "U0TACE", "text": "Win", "due": "2027-01-15"})
    before = await _rows(deps)
    for metadata in ["{not json", "{}", json.dumps({"account_id": "x"})]:
        tampered = view | {"private_metadata": metadata}
        answer = await slack.json_of(await slack.submit_view(tampered, filled, user="U0TACE"))
        assert answer["response_action"] == "errors"
        assert "This form is out of date" in json.dumps(answer["errors"])
    assert await _rows(deps) == before


async def test_a_foreign_response_url_in_modal_state_gets_no_confirmation(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    """The confirmation (with the account's ARR) goes by DM, not to the address planted
    in private_metadata."""
    await slack.command("account add", user="U0ALICE")
    [opened] = await slack_api.wait_for("views.open")
    view = opened.params["view"]
    planted = json.loads(view["private_metadata"]) | {"response_url": EVIL}
    filled = state_values(ACCOUNT_FIELDS, {"name": "Planted Co", "tier": "1", "arr": "5"})
    filled["partner_status"]["value"]["selected_option"] = {
        "text": {"type": "plain_text", "text": "Prospect"},
        "value": "prospect",
    }
    tampered = view | {"private_metadata": json.dumps(planted)}
    response = await slack.submit_view(tampered, filled, user="U0ALICE")
    assert response.status == 200
    [dm] = await slack_api.wait_for("chat.postMessage")
    assert dm.params["channel"] == "U0ALICE"
    assert all(EVIL not in c.path for c in slack_api.calls)
