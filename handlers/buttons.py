"""Button clicks, one way for every button: ack at once, read the button's typed value,
then the work, errors reported; the clicked message redrawn in place by one helper."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks import phrases
from bot.blocks.common import Block
from bot.errors import UserError
from bot.ids import Action
from bot.services.replays import handling
from handlers.errors import reported

V = TypeVar("V", bound=BaseModel)


@dataclass(frozen=True)
class Clicked(Generic[V]):
    """A click as the use case needs it: who, on what, and the message it sat in."""

    value: V
    """The button's state (bot.metadata): only what it identifies, checked again."""
    raw_value: str
    user_id: str
    body: dict[str, Any]
    respond: AsyncRespond
    client: AsyncWebClient

    @property
    def message_blocks(self) -> list[Block]:
        blocks: list[Block] = self.body["message"]["blocks"]
        return blocks

    async def redraw(self, blocks: list[Block]) -> None:
        """The clicked message, redrawn in place (its fallback text kept)."""
        text = self.body["message"].get("text", "")
        await self.respond(replace_original=True, text=text, blocks=blocks)


Handle = Callable[[Clicked[V]], Awaitable[None]]


def on_click(app: AsyncApp, action_id: Action, value_model: type[V], handle: Handle[V]) -> None:
    async def listener(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        async with reported(body, respond, client):
            # A menu (Snooze) carries its state on the option chosen, a button on itself.
            raw = action.get("value") or (action.get("selected_option") or {}).get("value") or ""
            try:
                value = value_model.model_validate_json(raw)
            except ValidationError:
                raise UserError(phrases.BUTTON_OUT_OF_DATE) from None
            with handling(body):
                await handle(Clicked(value, raw, body["user"]["id"], body, respond, client))

    app.action(action_id)(listener)
