"""What a sub-command handler receives: the parsed command and the ways to answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.common import Message
from bot.deps import Deps


@dataclass(frozen=True)
class CommandContext:
    deps: Deps
    rest: str
    user_id: str
    channel_id: str
    trigger_id: str
    response_url: str
    respond: AsyncRespond
    client: AsyncWebClient

    async def reply(self, message: Message) -> None:
        """Answer privately: only the person who typed the command sees it."""
        await self.respond(response_type="ephemeral", **message.as_kwargs())


SubCommand = Callable[[CommandContext], Awaitable[None]]
"""Runs after the ack: it may read the store and call Slack."""
Instant = Callable[[], Message]
"""A plain function answered in the ack itself: no I/O, so it cannot miss Slack's 3 seconds."""
SubCommands = dict[tuple[str, ...], SubCommand | Instant]
