"""What a sub-command handler receives: the parsed command and the ways to answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

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
        await reply_privately(self.client, self.response_url, message)


async def reply_privately(client: AsyncWebClient, response_url: str, message: Message) -> int:
    """POST an ephemeral answer to a response_url; returns the HTTP status.

    Unlike Bolt's `respond`, this reuses the app's HTTP session (see `bot.app.open_http`)
    instead of opening a connection pool per answer.
    """
    webhook = AsyncWebhookClient(response_url, session=client.session)
    sent = await webhook.send_dict({"response_type": "ephemeral", **message.as_kwargs()})
    return sent.status_code


SubCommand = Callable[[CommandContext], Awaitable[None]]
"""Runs after the ack: it may read the store and call Slack."""
Instant = Callable[[], Message]
"""A plain function answered in the ack itself: no I/O, so it cannot miss Slack's 3 seconds."""
SubCommands = dict[tuple[str, ...], SubCommand | Instant]
