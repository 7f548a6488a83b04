"""The Acknowledge button on a health alert."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.blocks.alerts import acknowledged
from bot.deps import Deps
from bot.ids import Action
from bot.metadata import HealthAck
from bot.services.alerts import acknowledge
from handlers.buttons import Clicked, on_click


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_acknowledge(click: Clicked[HealthAck]) -> None:
        at = await acknowledge(deps, click.value, click.user_id)
        await click.redraw(acknowledged(click.message_blocks, click.user_id, at))

    on_click(app, Action.ACK_HEALTH, HealthAck, on_acknowledge)
