"""`/strategic` routing, help and usage errors, signatures, and /healthz."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from bot.deps import Deps
from bot.services.accounts import list_accounts
from tests.app_client import AppClient, payload
from tests.signing import signed_headers
from tests.slack_api import FakeSlackApi


async def test_help_lists_every_command_in_the_ack(slack: AppClient) -> None:
    for text in ("help", ""):
        response = await slack.command(text)
        assert response.status == 200
        answer = await slack.json_of(response)
        assert answer["response_type"] == "ephemeral"
        body = json.dumps(answer["blocks"])
        for usage in ("/strategic account show NAME", "/strategic account add", "/strategic help"):
            assert usage in body


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("frobnicate", ["`frobnicate` is not a /strategic command", "/strategic account list"]),
        ("account destroy", ["`account destroy` is not", "/strategic account archive NAME"]),
        ("account show", ["Say which name", "/strategic account show NAME"]),
        ("account list everything", ["takes nothing after it", "/strategic account list"]),
    ],
)
async def test_usage_errors_say_what_to_type_and_change_nothing(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps, text: str, words: list[str]
) -> None:
    response = await slack.command(text)
    answer = await slack.json_of(response)
    assert answer["response_type"] == "ephemeral"
    for word in words:
        assert word in answer["text"]
    assert await list_accounts(deps) == []
    assert slack_api.calls_to("views.open") == []


def _command_body(slack: AppClient, text: str) -> str:
    form = payload("slash_command") | {"text": text, "response_url": slack.api.response_url()}
    return urllib.parse.urlencode(form)


@pytest.mark.parametrize("forgery", ["none", "wrong", "stale", "tampered"])
async def test_bad_signatures_are_refused_and_change_nothing(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps, forgery: str
) -> None:
    body = _command_body(slack, "account add")
    headers = {
        "none": {},
        "wrong": signed_headers("not-the-secret", body),
        "stale": slack.signed(body, seconds_off=-301),  # the app's clock decides
        "tampered": signed_headers(slack.secret, body.replace("add", "list")),
    }[forgery]

    response = await slack.post_raw(body, "application/x-www-form-urlencoded", headers)

    assert response.status == 401
    assert slack_api.calls_to("views.open") == [] and slack_api.calls_to("response_url") == []
    assert await list_accounts(deps) == []


async def test_healthz_reports_the_database(slack: AppClient) -> None:
    status, body = await slack.get("/healthz")
    assert (status, body) == (200, {"status": "ok", "database": "ok"})


async def test_a_typed_control_sequence_is_quoted_back_escaped(slack: AppClient) -> None:
    """A usage error repeats what was typed: `<!channel>` there must not ping anyone."""
    for text in ("<!channel> hello", "account <!here|here>"):
        answer = await slack.json_of(await slack.command(text))
        shown = json.dumps(answer)
        assert "<!channel>" not in shown and "<!here" not in shown, shown
        assert "&lt;!" in shown
