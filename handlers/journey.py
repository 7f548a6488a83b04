"""`/strategic journey ACCOUNT` and the Mark done button (here and on reminders)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.common import Message
from bot.blocks.journey import journey_message, marked_done
from bot.deps import Deps
from bot.ids import Action
from bot.metadata import JourneyDone
from bot.services.journey import account_journey, mark_done
from handlers.context import CommandContext, SubCommands
from handlers.errors import reported


async def journey_command(ctx: CommandContext) -> Message:
    return journey_message(await account_journey(ctx.deps, ctx.rest))


SUBCOMMANDS: SubCommands = {("journey",): journey_command}


def register(app: AsyncApp, deps: Deps) -> None:
    @app.action(Action.JOURNEY_DONE)
    async def on_mark_done(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        async with reported(body, respond, client):
            user_id = body["user"]["id"]
            done = JourneyDone.model_validate_json(action["value"])
            journey = await mark_done(
                deps, done.account_id, done.contract_end, done.activity, user_id
            )
            item = next(i for i in journey.items if i.activity.key == done.activity)
            message = body["message"]
            await respond(
                replace_original=True,
                text=message.get("text", ""),
                blocks=marked_done(message.get("blocks", []), action["value"], item),
            )
