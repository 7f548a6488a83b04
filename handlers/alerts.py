"""The Acknowledge button on a health alert."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.alerts import acknowledged
from bot.deps import Deps
from bot.ids import Action
from bot.metadata import HealthAck
from bot.services.alerts import acknowledge
from handlers.buttons import on_click, replace_message


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_acknowledge(
        body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond, _: AsyncWebClient
    ) -> None:
        user_id = body["user"]["id"]
        at = await acknowledge(deps, HealthAck.model_validate_json(action["value"]), user_id)
        await replace_message(respond, body, acknowledged(body["message"]["blocks"], user_id, at))

    on_click(app, Action.ACK_HEALTH, on_acknowledge)
