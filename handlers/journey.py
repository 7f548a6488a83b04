"""`/strategic journey ACCOUNT` and the Mark done button (here and on reminders)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.blocks.common import Message
from bot.blocks.journey import journey_message, marked_done
from bot.deps import Deps
from bot.ids import Action
from bot.metadata import JourneyDone
from bot.services.journey import account_journey, mark_done
from handlers.buttons import Clicked, on_click
from handlers.context import CommandContext, SubCommands


async def journey_command(ctx: CommandContext) -> Message:
    return journey_message(await account_journey(ctx.deps, ctx.rest))


SUBCOMMANDS: SubCommands = {("journey",): journey_command}


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_mark_done(click: Clicked[JourneyDone]) -> None:
        done = click.value
        item = await mark_done(
            deps, done.account_id, done.contract_end, done.activity, click.user_id
        )
        await click.redraw(marked_done(click.message_blocks, click.raw_value, item))

    on_click(app, Action.JOURNEY_DONE, JourneyDone, on_mark_done)
