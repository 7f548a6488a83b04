"""A fake Slack Web API the app's real AsyncWebClient talks to over loopback.

Faking at the HTTP layer rather than mocking ``AsyncWebClient`` keeps
slack_sdk's own serialisation, retry handlers and error mapping in the loop,
so tests see exactly what production would see. Every payload carrying blocks
is checked with :mod:`tests.block_limits` and rejected with ``invalid_blocks``
like real Slack, so a message that would fail in production fails the test.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from aiohttp import web

from tests.block_limits import check_message, check_view

TEAM_ID = "T0TEST"
TEAM_NAME = "Test Team"
BOT_USER_ID = "U0BOT"
BOT_USER_NAME = "strategic-bot"
BOT_ID = "B0BOT"
APP_ID = "A0APP"

# Form-encoded calls send these as JSON strings; decoding them once here means
# tests can assert on structure regardless of how slack_sdk chose to encode.
JSON_FIELDS = ("blocks", "attachments", "view", "metadata", "files")
MESSAGE_METHODS = frozenset(
    {"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage"}
)
VIEW_METHODS = frozenset({"views.open", "views.push", "views.update", "views.publish"})

Params = dict[str, Any]
DEFAULT_CHANNELS: dict[str, Params] = {
    "C0CPSTRATEGIC": {"name": "cp-strategic", "is_private": False, "is_member": True}
}
"""The channel `[team] strategic_channel` names by default (`#cp-strategic`), so an app
process started with the defaults finds it."""
Handler = Callable[[Params], Awaitable[Params]]


@dataclass
class ApiCall:
    """One request as the app made it, kept for assertions after the fact."""

    method: str
    params: Params
    headers: dict[str, str]
    at: float
    path: str = ""


@dataclass
class _Failure:
    """A scripted answer that replaces the next normal one for a method."""

    error: str
    status: int
    retry_after: int | None


@dataclass
class _Message:
    """A posted message, kept so history reads see what the app wrote."""

    channel: str
    ts: str
    text: str
    blocks: list[Any] | None = None
    metadata: Any = None
    thread_ts: str | None = None
    reply_broadcast: bool = False
    extra: Params = field(default_factory=dict)

    def render(self, *, with_metadata: bool = True) -> Params:
        """Shape it like Slack's message objects, metadata only when asked for."""
        out: Params = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "text": self.text,
            "ts": self.ts,
            **self.extra,
        }
        if self.blocks is not None:
            out["blocks"] = self.blocks
        if self.thread_ts is not None:
            out["thread_ts"] = self.thread_ts
        if with_metadata and self.metadata is not None:
            out["metadata"] = self.metadata
        return out


class FakeSlackApi:
    """In-process Slack Web API plus ``response_url`` sink on an ephemeral port.

    State (calls, posted messages, scripted failures) lives on the instance so a
    test can both drive the app and inspect what reached "Slack".
    """

    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self.violations: list[str] = []
        self.users: dict[str, Params] = {}
        self.usergroups: dict[str, list[str]] = {}
        """User group ID to its members' IDs, for usergroups.users.list."""
        self._failures: dict[str, deque[_Failure]] = defaultdict(deque)
        self._periodic: dict[str, list[tuple[int, _Failure]]] = defaultdict(list)
        self._counts: dict[str, int] = defaultdict(int)
        self._holds: dict[str, bool] = {}
        self._release = asyncio.Event()
        self._messages: dict[str, list[_Message]] = defaultdict(list)
        self._dm_channels: dict[str, str] = {}
        self._response_ids = itertools.count(1)
        self._view_ids = itertools.count(1)
        self._scheduled_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self.channels: dict[str, Params] = {k: dict(v) for k, v in DEFAULT_CHANNELS.items()}
        """Channels by ID: name, is_private, is_member; the team's default channel, which
        the bot is in, and those a test adds. A post to one the bot is not a member of is
        refused with not_in_channel, as Slack does; channels nobody declared take any post."""
        self.files: dict[str, Params] = {}
        """Uploaded files by ID: name, title, alt_txt, length, content and, once shared,
        channel and thread_ts."""
        self._last_ts_micros = 0
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self._changed: asyncio.Condition | None = None
        self.socket_mode_url: str | None = None
        """What apps.connections.open answers (tests/socket_mode_server.py's `url`)."""
        self._handlers: dict[str, Handler] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.update": self._update_message,
            "chat.delete": self._delete_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.scheduleMessage": self._schedule_message,
            "files.getUploadURLExternal": self._upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "conversations.history": self._history,
            "conversations.replies": self._replies,
            "conversations.open": self._open_dm,
            "conversations.join": self._join,
            "conversations.list": self._list_channels,
            "users.info": self._users_info,
            "usergroups.users.list": self._usergroup_users,
            "views.open": self._view,
            "views.push": self._view,
            "views.update": self._view,
            "views.publish": self._view,
        }

    # ----------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Bind an OS-chosen loopback port so parallel runs never collide."""
        app = web.Application()
        app.router.add_route("POST", "/api/{method}", self._api)
        app.router.add_route("GET", "/api/{method}", self._api)
        app.router.add_post("/response/{n}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload_bytes)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self._url = f"http://{host}:{port}"
        self._changed = asyncio.Condition()

    async def stop(self) -> None:
        """Release the port; safe to call twice so fixtures need no bookkeeping."""
        self.release()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSlackApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """Base URL; the app's client uses ``f"{url}/api/"``."""
        if self._url is None:
            raise RuntimeError("FakeSlackApi.start() has not been awaited")
        return self._url

    def reset(self) -> None:
        """Forget everything a previous test did, keeping the server (and port) up."""
        self.calls.clear()
        self.violations.clear()
        self.users.clear()
        self.usergroups.clear()
        self.files.clear()
        self.channels = {k: dict(v) for k, v in DEFAULT_CHANNELS.items()}
        self._failures.clear()
        self._messages.clear()
        self._dm_channels.clear()
        self._periodic.clear()
        self._counts.clear()
        self.socket_mode_url = None
        self.release()

    # ------------------------------------------------------------ test helpers

    def response_url(self) -> str:
        """A fresh response_url for a slash command or interaction payload."""
        return f"{self.url}/response/{next(self._response_ids)}"

    def calls_to(self, method: str) -> list[ApiCall]:
        """Calls to one method (``"response_url"`` for the sink), in order."""
        return [c for c in self.calls if c.method == method]

    async def wait_for(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - a plain timeout reads best in tests
    ) -> list[ApiCall]:
        """Wait for background work (acks run handlers after responding) to reach Slack.

        Returns all matching calls so far. On timeout raises AssertionError that
        lists what was recorded, because "nothing happened" is otherwise opaque.
        """
        if self._changed is None:
            raise RuntimeError("FakeSlackApi.start() has not been awaited")

        def matching() -> list[ApiCall]:
            return [c for c in self.calls_to(method) if predicate is None or predicate(c)]

        try:
            async with self._changed:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: len(matching()) >= count), timeout
                )
        except TimeoutError:
            recorded = "\n".join(f"  {c.method} {_summary(c.params)}" for c in self.calls)
            raise AssertionError(
                f"expected {count} call(s) to {method} within {timeout}s, got "
                f"{len(matching())}; recorded:\n{recorded or '  (nothing)'}"
            ) from None
        return matching()

    def fail_next(
        self,
        method: str,
        error: str = "",
        status: int = 200,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Script the next ``times`` answers for ``method`` to fail.

        With status 200 the failure is Slack's usual ``ok: false`` body; any
        other status is a raw HTTP failure (429 always carries Retry-After, as
        Slack's does, defaulting to 1 second). Also works for ``"response_url"``.
        """
        if not error:
            error = {429: "ratelimited"}.get(status, "fatal_error")
        if status == 429 and retry_after is None:
            retry_after = 1
        for _ in range(times):
            self._failures[method].append(_Failure(error, status, retry_after))

    def fail_every(
        self, method: str, nth: int, status: int, retry_after: int | None = None
    ) -> None:
        """Fail every ``nth`` call of ``method`` with a raw HTTP ``status`` (429, 500 …).

        Rules stack; the first whose ``nth`` divides the call's number wins.
        """
        error = {429: "ratelimited"}.get(status, "fatal_error")
        self._periodic[method].append((nth, _Failure(error, status, retry_after)))

    def hold(self, method: str, *, after_posting: bool = False) -> None:
        """Never answer ``method`` (until ``release``): a Slack that hangs mid-request.

        With ``after_posting`` the message is stored first, as when Slack posted it and
        the answer was lost; without, it never reaches the channel.
        """
        self._holds[method] = after_posting
        self._release.clear()

    def release(self) -> None:
        self._holds.clear()
        self._release.set()

    def add_message(
        self,
        channel: str,
        text: str,
        *,
        blocks: list[Any] | None = None,
        metadata: Any = None,
        thread_ts: str | None = None,
    ) -> str:
        """Seed history (as if posted earlier) and return its ts, e.g. for chat.update."""
        ts = self._next_ts()
        self._messages[channel].append(
            _Message(channel, ts, text, blocks, metadata, thread_ts=thread_ts)
        )
        return ts

    def messages_in(self, channel: str) -> list[Params]:
        """Stored messages of a channel (a user ID: the DM with them), oldest first."""
        return [m.render() for m in self._messages[self._conversation(channel)]]

    # ------------------------------------------------------------------ routes

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _read_params(request)
        await self._record(
            ApiCall(method, params, dict(request.headers), time.monotonic(), request.path)
        )
        auth = request.headers.get("Authorization", "")
        if method == "apps.connections.open":  # Socket Mode: the app-level token's one call
            return web.json_response(self._connections_open(auth))
        if not auth.startswith("Bearer xoxb-"):
            return web.json_response({"ok": False, "error": "not_authed"})
        failure = self._take_failure(method) or self._periodic_failure(method)
        if failure is not None:
            return failure
        problems = self._validate(method, params)
        if problems:
            self.violations += [f"{method}: {p}" for p in problems]
            return web.json_response({"ok": False, "error": "invalid_blocks", "errors": problems})
        handler = self._handlers.get(method)
        posted_first = self._holds.get(method)
        if posted_first is False:
            await self._release.wait()
            if request.transport is None or request.transport.is_closing():
                # the caller hung up (it was killed): its request never reached "Slack"
                return web.json_response({"ok": False, "error": "request_abandoned"})
        body = await handler(params) if handler else {}
        if posted_first:
            await self._release.wait()
        return web.json_response({"ok": True, **body} if "ok" not in body else body)

    def _periodic_failure(self, method: str) -> web.Response | None:
        self._counts[method] += 1
        for nth, failure in self._periodic.get(method, []):
            if self._counts[method] % nth == 0:
                headers = (
                    {"Retry-After": str(failure.retry_after)}
                    if failure.retry_after is not None
                    else {}
                )
                return web.json_response(
                    {"ok": False, "error": failure.error}, status=failure.status, headers=headers
                )
        return None

    async def _response_url(self, request: web.Request) -> web.Response:
        try:
            params = await request.json()
        except ValueError:
            params = {"_raw": await request.text()}
        if not isinstance(params, dict):
            params = {"_raw": params}
        call = ApiCall(
            "response_url", params, dict(request.headers), time.monotonic(), request.path
        )
        await self._record(call)
        failure = self._take_failure("response_url")
        if failure is not None:
            return failure
        self.violations += [f"response_url {request.path}: {p}" for p in check_message(params)]
        return web.json_response({"ok": True})

    async def _record(self, call: ApiCall) -> None:
        self.calls.append(call)
        if self._changed is not None:
            async with self._changed:
                self._changed.notify_all()

    def _take_failure(self, method: str) -> web.Response | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue.popleft()
        headers = {}
        if failure.retry_after is not None:
            headers["Retry-After"] = str(failure.retry_after)
        return web.json_response(
            {"ok": False, "error": failure.error}, status=failure.status, headers=headers
        )

    @staticmethod
    def _validate(method: str, params: Params) -> list[str]:
        if method in MESSAGE_METHODS:
            return check_message(params)
        if method in VIEW_METHODS:
            return check_view(params.get("view"))
        return []

    # --------------------------------------------------------- method handlers

    def _connections_open(self, auth: str) -> Params:
        """Slack's answer to an `xapp-` token with `connections:write`: a WebSocket URL."""
        if not auth.startswith("Bearer xapp-"):
            return _error("invalid_auth")
        if self.socket_mode_url is None:
            return _error("socket_mode_not_enabled")
        return {"ok": True, "url": self.socket_mode_url}

    async def _auth_test(self, params: Params) -> Params:
        return {
            "url": "https://test-team.slack.com/",
            "team": TEAM_NAME,
            "team_id": TEAM_ID,
            "user": BOT_USER_NAME,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def add_channel(self, channel_id: str, name: str, *, private: bool = False) -> None:
        """A channel the bot is not in yet."""
        self.channels[channel_id] = {"name": name, "is_private": private, "is_member": False}

    async def _post_message(self, params: Params) -> Params:
        channel = params.get("channel")
        if not channel:
            return _error("channel_not_found")
        if not self.channels.get(str(channel), {"is_member": True})["is_member"]:
            return _error("not_in_channel")
        if not any(params.get(k) for k in ("text", "blocks", "attachments")):
            return _error("no_text")
        thread_ts = params.get("thread_ts") or None
        message = _Message(
            self._conversation(str(channel)),
            self._next_ts(),
            str(params.get("text") or ""),
            params.get("blocks") or None,
            params.get("metadata"),
            thread_ts=thread_ts,
            reply_broadcast=_truthy(params.get("reply_broadcast")),
        )
        self._messages[message.channel].append(message)
        return {"channel": message.channel, "ts": message.ts, "message": message.render()}

    async def _update_message(self, params: Params) -> Params:
        message = self._find(params.get("channel"), params.get("ts"))
        if message is None:
            return _error("message_not_found")
        if "text" in params:
            message.text = str(params["text"] or "")
        if "blocks" in params:
            message.blocks = params["blocks"] or None
        if "metadata" in params:
            message.metadata = params["metadata"]
        message.extra["edited"] = {"user": BOT_USER_ID, "ts": self._next_ts()}
        return {
            "channel": message.channel,
            "ts": message.ts,
            "text": message.text,
            "message": message.render(),
        }

    async def _delete_message(self, params: Params) -> Params:
        message = self._find(params.get("channel"), params.get("ts"))
        if message is None:
            return _error("message_not_found")
        self._messages[message.channel].remove(message)
        return {"channel": message.channel, "ts": message.ts}

    async def _post_ephemeral(self, params: Params) -> Params:
        return {"message_ts": self._next_ts()}

    async def _schedule_message(self, params: Params) -> Params:
        return {
            "channel": params.get("channel"),
            "scheduled_message_id": f"Q{next(self._scheduled_ids):08d}",
            "post_at": params.get("post_at"),
            "message": {"text": params.get("text"), "blocks": params.get("blocks")},
        }

    async def _upload_url(self, params: Params) -> Params:
        """Step 1 of files_upload_v2: the URL to send the bytes to, on this server."""
        if not params.get("filename") or not str(params.get("length") or "").isdigit():
            return _error("invalid_arguments")
        file_id = f"F{next(self._file_ids):010d}"
        self.files[file_id] = {
            "name": str(params["filename"]),
            "length": int(params["length"]),
            "alt_txt": params.get("alt_txt"),
        }
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    async def _upload_bytes(self, request: web.Request) -> web.Response:
        """Step 2: the bytes, which must be as long as step 1 said."""
        file = self.files.get(request.match_info["file_id"])
        content = await request.read()
        await self._record(
            ApiCall("upload", {"length": len(content)}, dict(request.headers), time.monotonic())
        )
        if file is None or len(content) != file["length"]:
            return web.Response(status=400, text="bad upload")
        file["content"] = content
        return web.Response(text="OK - " + str(len(content)))

    async def _complete_upload(self, params: Params) -> Params:
        """Step 3: share the uploaded files in a channel (or a thread), as a message."""
        wanted = params.get("files")
        if not isinstance(wanted, list) or not wanted:
            return _error("invalid_arguments")
        shared = []
        for item in wanted:
            file = self.files.get(str(item.get("id")))
            if file is None or "content" not in file:
                return _error("file_not_found")
            file["title"] = item.get("title")
            shared.append({"id": item["id"], "name": file["name"], "title": file["title"]})
        channel = params.get("channel_id")
        if channel:
            thread_ts = params.get("thread_ts") or None
            if thread_ts and self._find(self._conversation(str(channel)), thread_ts) is None:
                return _error("thread_not_found")
            message = _Message(
                self._conversation(str(channel)),
                self._next_ts(),
                "",
                thread_ts=thread_ts,
                extra={"files": shared},
            )
            self._messages[message.channel].append(message)
            for item in shared:
                self.files[item["id"]].update(channel=message.channel, thread_ts=thread_ts)
        return {"files": shared}

    async def _history(self, params: Params) -> Params:
        """Newest first, top-level messages only (plus broadcasts), like Slack."""
        channel = str(params.get("channel") or "")
        if not channel:
            return _error("channel_not_found")
        inclusive = _truthy(params.get("inclusive"))
        oldest, latest = _ts_value(params.get("oldest")), _ts_value(params.get("latest"))
        selected = [
            m
            for m in self._messages.get(channel, [])
            if (m.thread_ts in (None, m.ts) or m.reply_broadcast)
            and _in_range(_ts_value(m.ts), oldest, latest, inclusive)
        ]
        selected.sort(key=lambda m: _ts_value(m.ts) or Decimal(0), reverse=True)
        return self._page(selected, params, newest_first=True)

    async def _replies(self, params: Params) -> Params:
        """Parent first, then replies oldest first, like Slack."""
        channel, ts = str(params.get("channel") or ""), params.get("ts")
        parent = self._find(channel, ts)
        if parent is None:
            return _error("thread_not_found")
        thread = [parent] + [m for m in self._messages[channel] if m.thread_ts == ts and m.ts != ts]
        return self._page(thread, params, newest_first=False)

    def _page(self, messages: list[_Message], params: Params, *, newest_first: bool) -> Params:
        """Cursor pagination so code that pages through history gets exercised."""
        limit = max(1, min(int(params.get("limit") or 100), 1000))
        start = int(params.get("cursor") or 0)
        with_metadata = _truthy(params.get("include_all_metadata"))
        page = messages[start : start + limit]
        has_more = start + limit < len(messages)
        body: Params = {
            "messages": [m.render(with_metadata=with_metadata) for m in page],
            "has_more": has_more,
            "response_metadata": {"next_cursor": str(start + limit) if has_more else ""},
        }
        if newest_first:
            body["pin_count"] = 0
        return body

    async def _join(self, params: Params) -> Params:
        """Public channels only, as Slack allows a bot."""
        found = self.channels.get(str(params.get("channel") or ""))
        if found is None:
            return _error("channel_not_found")
        if found["is_private"]:
            return _error("method_not_supported_for_channel_type")
        found["is_member"] = True
        return {"channel": {"id": params["channel"], "name": found["name"]}}

    async def _list_channels(self, params: Params) -> Params:
        """The public channels, and the private ones the bot is in, a page at a time."""
        seen = [
            {"id": channel_id, "name": c["name"], "is_private": c["is_private"]}
            for channel_id, c in self.channels.items()
            if not c["is_private"] or c["is_member"]
        ]
        limit = max(1, int(params.get("limit") or 100))
        start = int(params.get("cursor") or 0)
        more = start + limit < len(seen)
        return {
            "channels": seen[start : start + limit],
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    async def _open_dm(self, params: Params) -> Params:
        users = str(params.get("users") or params.get("user") or "")
        if not users:
            return _error("users_list_not_supplied")
        return {"channel": {"id": self._dm_channel(users)}}

    def _dm_channel(self, users: str) -> str:
        return self._dm_channels.setdefault(users, f"D{len(self._dm_channels) + 1:08d}")

    def _conversation(self, channel: str) -> str:
        """A post to a user ID lands in the DM with them, and answers with the DM's ID, so
        `chat.update` and history reads need that ID, as with Slack."""
        return self._dm_channel(channel) if channel.startswith(("U", "W")) else channel

    async def _users_info(self, params: Params) -> Params:
        user_id = str(params.get("user") or "")
        if not user_id:
            return _error("user_not_found")
        user: Params = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": user_id.lower(),
            "real_name": f"Test User {user_id}",
            "deleted": False,
            "is_bot": False,
            "tz": "America/New_York",
            "tz_label": "Eastern Standard Time",
            "tz_offset": -18000,
            "profile": {"real_name": f"Test User {user_id}", "display_name": user_id.lower()},
        }
        user.update(self.users.get(user_id, {}))
        return {"user": user}

    async def _usergroup_users(self, params: Params) -> Params:
        usergroup = str(params.get("usergroup") or "")
        if usergroup not in self.usergroups:
            return _error("no_such_subteam")
        return {"users": list(self.usergroups[usergroup])}

    async def _view(self, params: Params) -> Params:
        """Echo the view with server-side fields; views.update keeps the id it was given."""
        view = params.get("view")
        view = dict(view) if isinstance(view, dict) else {}
        view_id = params.get("view_id") or f"V{next(self._view_ids):08d}"
        view.update(
            {
                "id": view_id,
                "team_id": TEAM_ID,
                "app_id": APP_ID,
                "bot_id": BOT_ID,
                "hash": f"{time.time():.6f}.hash",
                "state": {"values": {}},
            }
        )
        if params.get("external_id"):
            view["external_id"] = params["external_id"]
        return {"view": view}

    # ---------------------------------------------------------------- helpers

    def _next_ts(self) -> str:
        """Wall-clock based so app code computing ``oldest`` from now() still matches."""
        micros = max(int(time.time() * 1_000_000), self._last_ts_micros + 1)
        self._last_ts_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _find(self, channel: Any, ts: Any) -> _Message | None:
        for message in self._messages.get(str(channel), []):
            if message.ts == ts:
                return message
        return None


async def _read_params(request: web.Request) -> Params:
    """Merge query string and body, whichever encoding slack_sdk chose for the method."""
    params: Params = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
        else:
            form = await request.post()
            params.update({k: v if isinstance(v, str) else repr(v) for k, v in form.items()})
    for key in JSON_FIELDS:
        value = params.get(key)
        if isinstance(value, str) and value:
            # Left as a string when invalid; the block checks report it.
            with contextlib.suppress(ValueError):
                params[key] = json.loads(value)
    return params


def _error(error: str) -> Params:
    return {"ok": False, "error": error}


def _truthy(value: Any) -> bool:
    """Booleans arrive as JSON booleans or as "1"/"true" strings in forms and queries."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def _ts_value(value: Any) -> Decimal | None:
    """Compare ts values numerically; string order breaks across digit counts."""
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _in_range(
    ts: Decimal | None, oldest: Decimal | None, latest: Decimal | None, inclusive: bool
) -> bool:
    if ts is None:
        return False
    if oldest is not None and (ts < oldest or (ts == oldest and not inclusive)):
        return False
    return not (latest is not None and (ts > latest or (ts == latest and not inclusive)))


def _summary(params: Params) -> str:
    text = json.dumps(params, default=str)
    return text if len(text) <= 200 else text[:197] + "..."
