"""Drives the real app over HTTP with signed requests, the way Slack's servers do."""

from __future__ import annotations

import copy
import json
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.deps import Deps
from bot.startup.app import create_app
from bot.startup.server import EVENTS_PATH, build_web_app
from tests.signing import signed_headers
from tests.slack_api import FakeSlackApi

PAYLOADS = Path(__file__).parent / "payloads"


def payload(name: str) -> dict[str, Any]:
    """A real Slack payload from tests/payloads, copied so a test can change it freely."""
    return copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text()))


def fresh_trigger_id() -> str:
    """Slack gives every command, click and submission a trigger_id of its own: two
    requests a person makes are never the same payload, as a replay is."""
    return f"{time.time_ns()}.{uuid.uuid4().hex}"


class AppClient:
    """The app served on a free loopback port, and Slack's side of the conversation."""

    def __init__(self, deps: Deps, api: FakeSlackApi, secret: str) -> None:
        self.deps = deps
        self.api = api
        self.secret = secret
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self.url = ""

    async def start(self) -> None:
        web_app = build_web_app(create_app(self.deps), self.deps)
        self._runner = web.AppRunner(web_app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        self._http = aiohttp.ClientSession()

    async def stop(self) -> None:
        if self._http:
            await self._http.close()
        if self._runner:
            await self._runner.cleanup()

    async def post_raw(
        self, body: str | bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> aiohttp.ClientResponse:
        assert self._http is not None
        sent = {"Content-Type": content_type, **(headers or {})}
        async with self._http.post(self.url + EVENTS_PATH, data=body, headers=sent) as response:
            await response.read()
            return response

    async def post_signed(self, body: str, content_type: str) -> aiohttp.ClientResponse:
        return await self.post_raw(body, content_type, self.signed(body))

    def signed(self, body: str | bytes, seconds_off: int = 0) -> dict[str, str]:
        """Slack's headers for `body`, stamped by the app's clock (the app checks the
        timestamp against it), `seconds_off` from its now."""
        now = int(self.deps.clock().timestamp())
        return signed_headers(self.secret, body, timestamp=now + seconds_off)

    async def post_json(self, path: str, body: Any, token: str | None) -> tuple[int, Any]:
        """A JSON POST to one of our own HTTP endpoints, with a bearer token if given."""
        return await self.post_json_text(path, json.dumps(body), token)

    async def post_json_text(self, path: str, text: str, token: str | None) -> tuple[int, Any]:
        """JSON written by hand: what json.dumps cannot write (nesting past its recursion)."""
        assert self._http is not None
        headers = {"Content-Type": "application/json"}
        headers |= {"Authorization": f"Bearer {token}"} if token else {}
        async with self._http.post(self.url + path, data=text, headers=headers) as response:
            return response.status, await response.json()

    async def get(self, path: str) -> tuple[int, Any]:
        assert self._http is not None
        async with self._http.get(self.url + path) as response:
            return response.status, await response.json()

    async def command(
        self, text: str, user: str = "U0ALICE", channel: str = "C0GENERAL"
    ) -> aiohttp.ClientResponse:
        """`/strategic TEXT` as typed by `user`; its response_url points at the fake API."""
        form = payload("slash_command") | {
            "text": text,
            "user_id": user,
            "channel_id": channel,
            "response_url": self.api.response_url(),
            "trigger_id": fresh_trigger_id(),
        }
        return await self.post_signed(
            urllib.parse.urlencode(form), "application/x-www-form-urlencoded"
        )

    async def ask(self, text: str, user: str = "U0ALICE") -> str:
        """`/strategic TEXT` and its private answer, in the ack or after it, as JSON text."""
        earlier = len(self.api.calls_to("response_url"))
        response = await self.command(text, user=user)
        assert response.status == 200
        answer = await self.json_of(response)
        if answer is None:  # acked first: the answer follows through the response_url
            answer = (await self.api.wait_for("response_url", count=earlier + 1))[-1].params
        assert answer["response_type"] == "ephemeral"
        return json.dumps(answer, ensure_ascii=False)

    async def interaction(self, body: dict[str, Any]) -> aiohttp.ClientResponse:
        form = urllib.parse.urlencode({"payload": json.dumps(body)})
        return await self.post_signed(form, "application/x-www-form-urlencoded")

    async def event(self, body: dict[str, Any]) -> aiohttp.ClientResponse:
        return await self.post_signed(json.dumps(body), "application/json")

    async def click(
        self,
        channel: str,
        message: dict[str, Any],
        action_id: str,
        user: str = "U0ALICE",
        value: dict[str, Any] | None = None,
    ) -> aiohttp.ClientResponse:
        """Click the button `action_id` of a message the app posted to `channel`.

        `value`: the block holding the button, where the message has several such buttons.
        """
        block, button = next(
            (block, element)
            for block in ([value] if value else message["blocks"])
            for element in [*block.get("elements", []), block.get("accessory") or {}]
            if element.get("action_id") == action_id
        )
        body = payload("block_actions")
        body["user"]["id"] = user
        body["trigger_id"] = fresh_trigger_id()
        body["container"].update(message_ts=message["ts"], channel_id=channel)
        body["channel"]["id"] = channel
        body["message"].update(ts=message["ts"], text=message["text"], blocks=message["blocks"])
        body["response_url"] = self.api.response_url()
        body["actions"][0].update(
            action_id=action_id,
            block_id=block.get("block_id", ""),
            value=button["value"],
            text=button["text"],
            action_ts=f"{time.time():.6f}",
        )
        return await self.interaction(body)

    async def submit_view(
        self, opened_view: dict[str, Any], values: dict[str, dict[str, Any]], user: str = "U0ALICE"
    ) -> aiohttp.ClientResponse:
        """Submit a modal the app opened, with `values` as Slack's view.state.values."""
        body = payload("view_submission")
        body["user"]["id"] = user
        body["trigger_id"] = fresh_trigger_id()
        body["view"].update(
            callback_id=opened_view["callback_id"],
            private_metadata=opened_view.get("private_metadata", ""),
            blocks=opened_view["blocks"],
            state={"values": values},
        )
        return await self.interaction(body)

    async def json_of(self, response: aiohttp.ClientResponse) -> Any:
        return json.loads(await response.text()) if await response.text() else None
