"""`/strategic journey ACCOUNT` and the Mark done button (here and on reminders)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.common import Message
from bot.blocks.journey import journey_message, marked_done
from bot.deps import Deps
from bot.ids import Action
from bot.metadata import JourneyDone
from bot.services.journey import account_journey, mark_done
from handlers.buttons import on_click, replace_message
from handlers.context import CommandContext, SubCommands


async def journey_command(ctx: CommandContext) -> Message:
    return journey_message(await account_journey(ctx.deps, ctx.rest))


SUBCOMMANDS: SubCommands = {("journey",): journey_command}


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_mark_done(
        body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond, _: AsyncWebClient
    ) -> None:
        done = JourneyDone.model_validate_json(action["value"])
        journey = await mark_done(
            deps, done.account_id, done.contract_end, done.activity, body["user"]["id"]
        )
        item = next(i for i in journey.items if i.activity.key == done.activity)
        await replace_message(
            respond, body, marked_done(body["message"]["blocks"], action["value"], item)
        )

    on_click(app, Action.JOURNEY_DONE, on_mark_done)
