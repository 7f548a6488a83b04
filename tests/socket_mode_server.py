"""A loopback server speaking Slack's Socket Mode protocol, for `strategic-bot socket`.

Slack's side of the conversation, as slack_sdk's aiohttp client expects it
(slack_sdk/socket_mode/aiohttp, and bolt-python's own mock server in
tests/adapter_tests_async/socket_mode): the app calls `apps.connections.open` with its
`xapp-` token (answered by the fake Web API, tests/slack_api.py, with this server's `url`),
opens the WebSocket, gets `{"type": "hello"}`, then envelopes
`{"envelope_id", "type", "payload", "accepts_response_payload"}`, and answers each with
`{"envelope_id", "payload"?}`. Slack waits 3 seconds for that ack; so does `send`.
`disconnect` asks the client to reconnect, as Slack does before it rotates a server.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from tests.slack_api import APP_ID

ACK_WITHIN = 3.0
"""Slack's limit: an envelope not acked in 3 seconds counts as failed (and is retried)."""


@dataclass(frozen=True)
class Ack:
    """The client's answer to one envelope, and how long it took."""

    envelope_id: str
    payload: dict[str, Any] | None
    seconds: float


class SocketModeServer:
    """Serves `GET /link/` as a WebSocket on an OS-chosen loopback port."""

    def __init__(self) -> None:
        self.connections = 0
        """WebSocket connections accepted so far (a reconnect makes it 2)."""
        self.acks: list[Ack] = []
        self.unexpected: list[str] = []
        """Frames from the client that are no ack of an envelope we sent."""
        self._current: web.WebSocketResponse | None = None
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._connected = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._base = ""

    async def __aenter__(self) -> SocketModeServer:
        app = web.Application()
        app.router.add_get("/link/", self._websocket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self._base = f"ws://{host}:{port}/link"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._current is not None:
            await self._current.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        """What `apps.connections.open` answers: a fresh ticket each time, like Slack's."""
        return f"{self._base}/?ticket={uuid.uuid4()}&app_id={APP_ID}"

    async def wait_connected(self, count: int = 1, within: float = 30.0) -> None:
        """Until the client has opened its `count`-th connection and was greeted on it."""
        async with self._connected:
            await asyncio.wait_for(
                self._connected.wait_for(lambda: self.connections >= count), within
            )

    async def send(
        self, kind: str, payload: dict[str, Any], *, accepts_response_payload: bool = False
    ) -> Ack:
        """One envelope to the connected client; its ack, which must come within 3 s."""
        socket = self._current
        assert socket is not None and not socket.closed, "no client is connected"
        envelope_id = str(uuid.uuid4())
        answered = asyncio.get_running_loop().create_future()
        self._pending[envelope_id] = answered
        started = time.monotonic()
        await socket.send_str(
            json.dumps(
                {
                    "envelope_id": envelope_id,
                    "type": kind,
                    "payload": payload,
                    "accepts_response_payload": accepts_response_payload,
                    "retry_attempt": 0,
                    "retry_reason": "",
                }
            )
        )
        try:
            frame = await asyncio.wait_for(answered, ACK_WITHIN)
        except TimeoutError:
            raise AssertionError(f"{kind} envelope not acked within {ACK_WITHIN} s") from None
        finally:
            self._pending.pop(envelope_id, None)
        ack = Ack(envelope_id, frame.get("payload"), time.monotonic() - started)
        self.acks.append(ack)
        return ack

    async def disconnect(self) -> None:
        """Slack's notice that this connection will close: the client should open another."""
        assert self._current is not None
        await self._current.send_str(
            json.dumps({"type": "disconnect", "reason": "refresh_requested", "debug_info": {}})
        )

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        if "ticket" not in request.query:
            raise web.HTTPUnauthorized(text="no ticket from apps.connections.open")
        # autoping: the client's "sdk-ping-pong:<time>" pings get their pong, as from Slack.
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        await socket.send_str(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {"host": "loopback", "approximate_connection_time": 18060},
                    "connection_info": {"app_id": APP_ID},
                }
            )
        )
        self._current = socket
        async with self._connected:
            self.connections += 1
            self._connected.notify_all()
        async for message in socket:
            if message.type is WSMsgType.TEXT:
                self._answered(message.data)
        return socket

    def _answered(self, data: str) -> None:
        with contextlib.suppress(ValueError):
            frame = json.loads(data)
            key = str(frame.get("envelope_id")) if isinstance(frame, dict) else ""
            pending = self._pending.get(key)
            if pending is not None and not pending.done():
                pending.set_result(frame)
                return
        self.unexpected.append(data)
