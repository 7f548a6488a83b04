"""The team's door: one check before every listener, so a person outside the team gets one
polite line wherever they reach the bot, and nothing of theirs reaches a use case or the
store. A Bolt global middleware, not a check in each listener: a listener added later is
behind the door without knowing it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_bolt.request.payload_utils import (
    is_action,
    is_app_home_opened_event,
    is_slash_command,
    is_view_submission,
)
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.common import error_message
from bot.blocks.membership import not_on_team, outsider_home, outsider_modal
from bot.deps import Deps
from bot.services.membership import GroupReader, Membership
from handlers.errors import tell_user

log = logging.getLogger(__name__)

_after_ack_tasks: set[asyncio.Task[Any]] = set()
"""Work started after an ack, kept until done: the event loop holds tasks only weakly."""


def register(app: AsyncApp, deps: Deps) -> None:
    """Nothing to register while the team names no members: the workspace is the team."""
    team = deps.settings.team
    membership = Membership(team, group_reader(app.client))
    if not membership.restricted:
        return

    @app.middleware
    async def members_only(
        body: dict[str, Any],
        context: AsyncBoltContext,
        ack: AsyncAck,
        respond: AsyncRespond | None,
        client: AsyncWebClient,
        next_: Callable[[], Awaitable[None]],
    ) -> BoltResponse | None:
        if context.user_id is not None and await membership.includes(context.user_id):
            await next_()
            return None
        return await turn_away(body, ack, respond, client, team.admins)


def group_reader(client: AsyncWebClient) -> GroupReader:
    """The user group's members, through the app's own client (its session and retries)."""

    async def read(usergroup: str) -> list[str]:
        response = await client.usergroups_users_list(usergroup=usergroup)
        return list(response["users"])

    return read


async def turn_away(
    body: dict[str, Any],
    ack: AsyncAck,
    respond: AsyncRespond | None,
    client: AsyncWebClient,
    admins: list[str],
) -> BoltResponse:
    """The one line, carried the way each kind of request allows; anything else (or a
    request naming nobody) is acknowledged and dropped."""
    line = not_on_team(admins)
    if is_slash_command(body):
        return await ack(response_type="ephemeral", **error_message(line).as_kwargs())
    if is_view_submission(body):
        # A middleware does not know the modal's blocks: the modal is replaced instead.
        return await ack(response_action="update", view=outsider_modal(admins))
    acked = await ack()
    if is_action(body):
        _after_ack(tell_user(body, respond, client, line))
    elif is_app_home_opened_event(body, tab="home"):
        user_id = body["event"]["user"]
        _after_ack(client.views_publish(user_id=user_id, view=outsider_home(admins)))
    return acked


def _after_ack(work: Coroutine[Any, Any, Any]) -> None:
    """Send `work` once the ack has left: Slack is waiting for it, and a middleware has no
    listener runner to do the rest afterwards."""
    task = asyncio.ensure_future(work)
    _after_ack_tasks.add(task)
    task.add_done_callback(_finished)


def _finished(task: asyncio.Task[Any]) -> None:
    _after_ack_tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.error("could not tell a person outside the team", exc_info=task.exception())
