"""The Acknowledge button on a health alert."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.alerts import acknowledged
from bot.deps import Deps
from bot.ids import Action
from bot.metadata import HealthAck
from bot.services.alerts import acknowledge
from handlers.errors import reported


def register(app: AsyncApp, deps: Deps) -> None:
    @app.action(Action.ACK_HEALTH)
    async def on_acknowledge(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        async with reported(body, respond, client):
            user_id = body["user"]["id"]
            at = await acknowledge(deps, HealthAck.model_validate_json(action["value"]), user_id)
            message = body["message"]
            await respond(
                replace_original=True,
                text=message.get("text", ""),
                blocks=acknowledged(message.get("blocks", []), user_id, at),
            )
