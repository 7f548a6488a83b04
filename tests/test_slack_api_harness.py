"""Tests of the fake Slack API and block checker the rest of the suite relies on.

If the harness silently accepted bad payloads or mangled good ones, every test
built on it would give false confidence, so it is exercised through the same
real AsyncWebClient the app uses.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.block_limits import check_message, check_view
from tests.slack_api import FakeSlackApi


def section(text: str, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def option(value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": value}, "value": value}


def modal(title: str, blocks: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": blocks or [section("hello")],
    }


@pytest.fixture
async def api() -> AsyncIterator[FakeSlackApi]:
    server = FakeSlackApi()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def client(api: FakeSlackApi) -> AsyncWebClient:
    return AsyncWebClient(token="xoxb-test", base_url=f"{api.url}/api/")


async def expect_invalid_blocks(call: Any, api: FakeSlackApi, fragment: str) -> None:
    """Slack answers invalid_blocks and the harness must remember why."""
    with pytest.raises(SlackApiError) as info:
        await call
    assert info.value.response["error"] == "invalid_blocks"
    assert any(fragment in e for e in info.value.response["errors"]), info.value.response["errors"]
    assert any(fragment in v for v in api.violations), api.violations


async def test_valid_post_message_is_recorded_and_answered(
    api: FakeSlackApi, client: AsyncWebClient
) -> None:
    blocks = [section("hello", block_id="b1")]
    resp = await client.chat_postMessage(channel="C1", text="hello", blocks=blocks)

    assert resp["ok"] is True
    assert resp["channel"] == "C1"
    assert isinstance(resp["ts"], str) and "." in resp["ts"]
    assert resp["message"]["blocks"] == blocks
    [call] = api.calls_to("chat.postMessage")
    assert call.params["channel"] == "C1"
    assert call.params["blocks"] == blocks
    assert call.headers["Authorization"] == "Bearer xoxb-test"
    assert api.violations == []


async def test_ts_values_are_unique_and_increasing(
    api: FakeSlackApi, client: AsyncWebClient
) -> None:
    stamps = [(await client.chat_postMessage(channel="C1", text=str(i)))["ts"] for i in range(5)]
    assert len(set(stamps)) == 5
    assert [float(s) for s in stamps] == sorted(float(s) for s in stamps)


async def test_form_encoded_blocks_are_decoded(api: FakeSlackApi) -> None:
    """Some slack_sdk methods form-encode; blocks then arrive as a JSON string."""
    blocks = [section("x" * 3001)]
    async with aiohttp.ClientSession() as session:
        resp = await session.post(
            f"{api.url}/api/chat.postMessage",
            data={"channel": "C1", "text": "t", "blocks": json.dumps(blocks)},
            headers={"Authorization": "Bearer xoxb-test"},
        )
        body = await resp.json()
    assert body["error"] == "invalid_blocks"
    assert api.calls_to("chat.postMessage")[0].params["blocks"] == blocks


async def test_missing_token_is_not_authed(api: FakeSlackApi) -> None:
    with pytest.raises(SlackApiError) as info:
        await AsyncWebClient(base_url=f"{api.url}/api/").auth_test()
    assert info.value.response["error"] == "not_authed"


async def test_auth_test_identity(client: AsyncWebClient) -> None:
    resp = await client.auth_test()
    assert (resp["team_id"], resp["user_id"], resp["bot_id"]) == ("T0TEST", "U0BOT", "B0BOT")


async def test_51_blocks_rejected(api: FakeSlackApi, client: AsyncWebClient) -> None:
    blocks = [section(str(i)) for i in range(51)]
    await expect_invalid_blocks(
        client.chat_postMessage(channel="C1", text="t", blocks=blocks), api, "51 blocks"
    )
    assert api.messages_in("C1") == []


async def test_50_blocks_accepted(api: FakeSlackApi, client: AsyncWebClient) -> None:
    await client.chat_postMessage(channel="C1", text="t", blocks=[section("x")] * 50)
    assert api.violations == []


async def test_long_section_rejected(api: FakeSlackApi, client: AsyncWebClient) -> None:
    await expect_invalid_blocks(
        client.chat_postMessage(channel="C1", text="t", blocks=[section("x" * 3001)]),
        api,
        "3000",
    )


async def test_duplicate_block_id_rejected(api: FakeSlackApi, client: AsyncWebClient) -> None:
    blocks = [section("a", block_id="same"), section("b", block_id="same")]
    await expect_invalid_blocks(
        client.chat_postMessage(channel="C1", text="t", blocks=blocks), api, "duplicate block_id"
    )


async def test_unknown_block_type_rejected(api: FakeSlackApi, client: AsyncWebClient) -> None:
    await expect_invalid_blocks(
        client.chat_postMessage(channel="C1", text="t", blocks=[{"type": "sektion"}]),
        api,
        "unknown block type",
    )


async def test_modal_title_of_25_chars_rejected(api: FakeSlackApi, client: AsyncWebClient) -> None:
    await expect_invalid_blocks(
        client.views_open(trigger_id="1.2.3", view=modal("T" * 25)), api, "title is 25 chars"
    )


async def test_modal_title_of_24_chars_accepted_and_echoed(
    api: FakeSlackApi, client: AsyncWebClient
) -> None:
    resp = await client.views_open(trigger_id="1.2.3", view=modal("T" * 24))
    assert resp["view"]["id"].startswith("V")
    assert resp["view"]["title"]["text"] == "T" * 24
    assert api.violations == []


async def test_static_select_with_101_options_rejected(
    api: FakeSlackApi, client: AsyncWebClient
) -> None:
    select = {
        "type": "static_select",
        "action_id": "pick",
        "options": [option(str(i)) for i in range(101)],
    }
    blocks = [{"type": "actions", "elements": [select]}]
    await expect_invalid_blocks(
        client.chat_postMessage(channel="C1", text="t", blocks=blocks), api, "101"
    )


async def test_fail_next_429_has_status_and_retry_after(api: FakeSlackApi) -> None:
    api.fail_next("chat.postMessage", status=429, retry_after=7)
    async with aiohttp.ClientSession() as session:
        url = f"{api.url}/api/chat.postMessage"
        headers = {"Authorization": "Bearer xoxb-test"}
        first = await session.post(url, json={"channel": "C1", "text": "t"}, headers=headers)
        second = await session.post(url, json={"channel": "C1", "text": "t"}, headers=headers)
        assert first.status == 429
        assert first.headers["Retry-After"] == "7"
        assert (await first.json())["error"] == "ratelimited"
        assert second.status == 200, "a failure scripted once must only fire once"


async def test_fail_next_error_raises_slack_api_error(
    api: FakeSlackApi, client: AsyncWebClient
) -> None:
    api.fail_next("chat.postMessage", "channel_not_found")
    with pytest.raises(SlackApiError) as info:
        await client.chat_postMessage(channel="C404", text="t")
    assert info.value.response.status_code == 200
    assert info.value.response["error"] == "channel_not_found"
    assert (await client.chat_postMessage(channel="C404", text="t"))["ok"] is True


async def test_response_url_calls_recorded_and_checked(api: FakeSlackApi) -> None:
    url = api.response_url()
    assert url != api.response_url()
    async with aiohttp.ClientSession() as session:
        ok = await session.post(url, json={"text": "done", "response_type": "ephemeral"})
        bad = await session.post(url, json={"blocks": [section("no fallback")]})
        assert ok.status == bad.status == 200
    calls = await api.wait_for("response_url", count=2)
    assert calls[0].params == {"text": "done", "response_type": "ephemeral"}
    assert calls[0].path == url.removeprefix(api.url)
    assert len(api.violations) == 1 and "text fallback missing" in api.violations[0]


async def test_history_newest_first_with_metadata(
    api: FakeSlackApi, client: AsyncWebClient
) -> None:
    meta = {"event_type": "digest_posted", "event_payload": {"week": "2024-W01"}}
    first = await client.chat_postMessage(channel="C1", text="one", metadata=meta)
    second = await client.chat_postMessage(channel="C1", text="two")
    await client.chat_postMessage(channel="C2", text="elsewhere")
    await client.chat_postMessage(channel="C1", text="reply", thread_ts=first["ts"])

    with_meta = await client.conversations_history(channel="C1", include_all_metadata=True)
    assert [m["text"] for m in with_meta["messages"]] == ["two", "one"]
    assert with_meta["messages"][1]["metadata"] == meta
    assert with_meta["messages"][0]["ts"] == second["ts"]

    without = await client.conversations_history(channel="C1")
    assert "metadata" not in without["messages"][1]

    newer = await client.conversations_history(channel="C1", oldest=first["ts"])
    assert [m["text"] for m in newer["messages"]] == ["two"]

    page = await client.conversations_history(channel="C1", limit=1)
    assert page["has_more"] is True and page["messages"][0]["text"] == "two"


async def test_update_changes_stored_message(api: FakeSlackApi, client: AsyncWebClient) -> None:
    posted = await client.chat_postMessage(channel="C1", text="draft")
    resp = await client.chat_update(channel="C1", ts=posted["ts"], text="final")
    assert resp["ts"] == posted["ts"]
    assert [m["text"] for m in api.messages_in("C1")] == ["final"]
    with pytest.raises(SlackApiError) as info:
        await client.chat_update(channel="C1", ts="1.000001", text="x")
    assert info.value.response["error"] == "message_not_found"


async def test_other_methods(api: FakeSlackApi, client: AsyncWebClient) -> None:
    assert (await client.users_info(user="U1"))["user"]["tz"] == "America/New_York"
    api.users["U2"] = {"tz": "Europe/London", "tz_offset": 0}
    assert (await client.users_info(user="U2"))["user"]["tz"] == "Europe/London"
    dm = await client.conversations_open(users="U1")
    assert dm["channel"]["id"].startswith("D")
    assert (await client.conversations_open(users="U1"))["channel"]["id"] == dm["channel"]["id"]
    eph = await client.chat_postEphemeral(channel="C1", user="U1", text="psst")
    assert eph["message_ts"]
    assert (await client.api_call("reactions.add", json={"name": "x"}))["ok"] is True


async def test_wait_for_times_out_with_recorded_calls(
    api: FakeSlackApi, client: AsyncWebClient
) -> None:
    await client.auth_test()
    with pytest.raises(AssertionError, match=r"auth\.test"):
        await api.wait_for("chat.postMessage", timeout=0.05)


async def test_reset_clears_state(api: FakeSlackApi, client: AsyncWebClient) -> None:
    await client.chat_postMessage(channel="C1", text="kept?")
    with pytest.raises(SlackApiError):
        await client.chat_postMessage(channel="C1", text="t", blocks=[{"type": "nope"}])
    assert api.violations
    api.fail_next("auth.test", "invalid_auth")
    api.reset()
    assert api.calls == [] and api.violations == [] and api.messages_in("C1") == []
    assert (await client.auth_test())["ok"] is True


# --------------------------------------------------------- block_limits directly


def actions(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "elements": list(elements)}


def button(text: str = "Go", action_id: str = "go", value: str = "v") -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": value,
    }


def select(kind: str = "static_select", **fields: Any) -> dict[str, Any]:
    return {"type": kind, "action_id": "s", **fields}


def group(size: int) -> dict[str, Any]:
    label = {"type": "plain_text", "text": "g"}
    return {"label": label, "options": [option(str(i)) for i in range(size)]}


def msg(*blocks: dict[str, Any], text: str = "fallback") -> dict[str, Any]:
    return {"text": text, "blocks": list(blocks)}


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        (msg(section("ok")), None),
        ({"text": "ok", "blocks": json.dumps([section("ok")])}, None),
        ({"text": "x" * 40001}, "40001"),
        (msg(section("ok"), text=""), "text fallback missing"),
        ({"text": "t", "blocks": "[not json"}, "not valid JSON"),
        (msg({"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}), "151"),
        (msg({"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}), "11 items"),
        (msg({"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}), "2001"),
        (msg(actions(button(text="b" * 76))), "76"),
        (msg(actions(button(value="v" * 2001))), "2001"),
        (msg(actions(button(action_id="a" * 256))), "256"),
        (msg(section("s", block_id="b" * 256)), "256"),
        (msg(actions(button(), button())), "duplicate action_id"),
        (msg(actions(button(action_id="a")), actions(button(action_id="a"))), None),
        (msg({"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}), "11"),
        (msg(actions(*[button(action_id=str(i)) for i in range(26)])), "26"),
        (msg(actions(select(options=[option("o" * 76)]))), "76"),
        (msg(actions(select(options=[option("a")], initial_option=option("v" * 151)))), "151"),
        (msg(actions(select("multi_static_select", option_groups=[group(101)]))), "101"),
        (msg(actions(select(options=[option("a")], initial_option=option("b")))), "not one of"),
        (
            msg({"type": "section", "text": {"type": "mrkdwn", "text": "s"}, "txet": "typo"}),
            "ignored by slack_sdk",
        ),
        (msg({"type": "section"}), "slack_sdk rejected"),
    ],
)
def test_check_message_rules(payload: dict[str, Any], fragment: str | None) -> None:
    problems = check_message(payload)
    if fragment is None:
        assert problems == []
    else:
        assert any(fragment in p for p in problems), problems


def text_input(label: str = "Name", placeholder: str = "p") -> dict[str, Any]:
    return {
        "type": "input",
        "label": {"type": "plain_text", "text": label},
        "element": {
            "type": "plain_text_input",
            "action_id": "name",
            "placeholder": {"type": "plain_text", "text": placeholder},
        },
    }


def without(view: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in view.items() if k != key}


@pytest.mark.parametrize(
    ("view", "fragment"),
    [
        (modal("Ok", [text_input()]), None),
        (json.dumps(modal("Ok")), None),
        ({"type": "home", "blocks": [section("home")]}, None),
        ({"type": "home", "blocks": [section(str(i)) for i in range(101)]}, "101 blocks"),
        ({"type": "home", "blocks": [section(str(i)) for i in range(100)]}, None),
        ({**modal("Ok"), "type": "dialog"}, "view type"),
        ({**modal("Ok"), "close": {"type": "plain_text", "text": "c" * 25}}, "close is 25"),
        ({**modal("Ok"), "submit": {"type": "plain_text", "text": "s" * 25}}, "submit is 25"),
        ({**modal("Ok"), "private_metadata": "m" * 3001}, "3001"),
        ({**modal("Ok"), "callback_id": "c" * 256}, "256"),
        (without(modal("Ok", [text_input()]), "submit"), "submit button"),
        (without(modal("Ok"), "submit"), None),
        (modal("Ok", [text_input(label="l" * 2001)]), "2001"),
        (modal("Ok", [text_input(placeholder="p" * 151)]), "151"),
        (
            modal("Ok", [section("a", block_id="x"), text_input() | {"block_id": "x"}]),
            "duplicate block_id",
        ),
    ],
)
def test_check_view_rules(view: dict[str, Any] | str, fragment: str | None) -> None:
    problems = check_view(view)
    if fragment is None:
        assert problems == []
    else:
        assert any(fragment in p for p in problems), problems
