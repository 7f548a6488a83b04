"""What a signed payload must hold before any listener sees it.

The signature says Slack sent it; it does not say it is whole. A payload missing what our
listeners read (who clicked, the modal's state, a command's user) is refused here with a
plain 400 and a log line, instead of a KeyError deep in a listener becoming a 500 and a
message to whatever address the payload named. So is a `response_url` that is not Slack's:
answers, with their figures, go only to Slack's hooks (or to the Web API host configured,
which is how the tests' loopback Slack receives them).

Over HTTP the check runs in `bot.startup.server` before Bolt, which builds its listeners'
arguments from the payload before any middleware runs; the middleware below holds Socket
Mode to the same rule where Bolt gets that far.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from bot.blocks import phrases

log = logging.getLogger(__name__)

SLACK_HOOKS_HOST = "hooks.slack.com"


def register(app: AsyncApp) -> None:
    api_host = web_api_host(app)

    @app.middleware
    async def well_formed(
        body: Any, next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        problem = payload_problem(body, api_host)
        if problem is None:
            await next()
            return None
        log.warning("refused a signed but malformed request: %s", problem)
        return BoltResponse(status=400, body=phrases.MALFORMED_REQUEST)


def web_api_host(app: AsyncApp) -> str | None:
    return urlsplit(app.client.base_url).hostname


def payload_problem(body: Any, api_host: str | None) -> str | None:
    """What is missing or wrong in a payload, or None when our listeners can read it."""
    if not isinstance(body, dict):
        return "the payload is not an object"
    if "command" in body:
        return _missing(body, "user_id", "channel_id", "trigger_id", "response_url") or _hook(
            body.get("response_url"), api_host
        )
    kind = body.get("type")
    if kind == "block_actions":
        return _block_actions(body, api_host)
    if kind == "view_submission":
        return _view_submission(body)
    if kind == "event_callback":
        event = body.get("event")
        return None if isinstance(event, dict) and _text(event.get("type")) else "no event"
    return None  # anything else no listener takes: Bolt answers 404


def response_url_allowed(url: str | None, api_host: str | None) -> bool:
    """Slack's own hooks, over https; or the configured Web API's host (tests, gateways)."""
    if not url:
        return False
    parts = urlsplit(url)
    if parts.hostname == api_host:
        return True
    return parts.scheme == "https" and parts.hostname == SLACK_HOOKS_HOST


def _block_actions(body: dict[str, Any], api_host: str | None) -> str | None:
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
        return "no actions"
    if not _text(actions[0].get("action_id")):
        return "an action without action_id"
    message = body.get("message")
    if not isinstance(message, dict) or not isinstance(message.get("blocks"), list):
        return "no message blocks"
    return _user(body) or _missing(body, "trigger_id") or _hook(body.get("response_url"), api_host)


def _view_submission(body: dict[str, Any]) -> str | None:
    view = body.get("view")
    if not isinstance(view, dict) or not _text(view.get("callback_id")):
        return "no view"
    state = view.get("state")
    if not isinstance(state, dict) or not isinstance(state.get("values"), dict):
        return "no view.state.values"
    if not isinstance(view.get("private_metadata", ""), str):
        return "private_metadata is not text"
    return _user(body)


def _user(body: dict[str, Any]) -> str | None:
    user = body.get("user")
    return None if isinstance(user, dict) and _text(user.get("id")) else "no user id"


def _missing(body: dict[str, Any], *fields: str) -> str | None:
    absent = [f for f in fields if not _text(body.get(f))]
    return f"no {', '.join(absent)}" if absent else None


def _hook(url: Any, api_host: str | None) -> str | None:
    if not url:
        return None  # none given: the answer goes by DM
    return None if response_url_allowed(url, api_host) else "a response_url that is not Slack's"


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)
