"""Button clicks, one way for every button: ack at once, then the work, errors reported."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.common import Block
from handlers.errors import reported

Click = Callable[[dict[str, Any], dict[str, Any], AsyncRespond, AsyncWebClient], Awaitable[None]]
"""(body, action, respond, client): what a click does once acknowledged."""


def on_click(app: AsyncApp, action_id: str, handle: Click) -> None:
    async def listener(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        async with reported(body, respond, client):
            await handle(body, action, respond, client)

    app.action(action_id)(listener)


async def replace_message(respond: AsyncRespond, body: dict[str, Any], blocks: list[Block]) -> None:
    """The clicked message, redrawn in place (its fallback text kept)."""
    await respond(replace_original=True, text=body["message"].get("text", ""), blocks=blocks)
