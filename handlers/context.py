"""What a sub-command handler receives, and the one way answers leave for a response_url."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.blocks.common import Message
from bot.deps import Deps
from bot.metadata import ReplyTo

R = TypeVar("R", bound=ReplyTo)


@dataclass(frozen=True)
class CommandContext:
    deps: Deps
    rest: str
    user_id: str
    channel_id: str
    trigger_id: str
    response_url: str
    client: AsyncWebClient

    def form_state(self, model: type[R], **identifies: Any) -> R:
        """A modal's state opened from this command: what it edits, and where to confirm."""
        return model(channel_id=self.channel_id, response_url=self.response_url, **identifies)


    async def open_modal(self, view: View) -> None:
        await self.client.views_open(trigger_id=self.trigger_id, view=view)


SubCommand = Callable[[CommandContext], Awaitable[Message | None]]
"""Returns the private answer, or None when it answered another way (a modal)."""
SubCommands = dict[tuple[str, ...], SubCommand]


async def reply_privately(client: AsyncWebClient, response_url: str, message: Message) -> int:
    """POST an ephemeral answer to a response_url; returns the HTTP status.

    Unlike Bolt's `respond`, this reuses the app's HTTP session (see `bot.startup.app.open_http`)
    instead of opening a connection pool per answer.
    """
    webhook = AsyncWebhookClient(response_url, session=client.session)
    sent = await webhook.send_dict({"response_type": "ephemeral", **message.as_kwargs()})
    return sent.status_code
