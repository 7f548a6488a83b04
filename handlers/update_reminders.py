"""The reminder DM's Write update button and Snooze menu, and `/strategic away` (issue 11)."""

from __future__ import annotations

from datetime import date

from slack_bolt.async_app import AsyncApp

from bot.blocks.common import Message
from bot.blocks.update_reminders import away_ended, away_set, snoozed
from bot.blocks.updates import update_modal
from bot.commands import usage_of
from bot.deps import Deps
from bot.domain.updates import week_of
from bot.errors import UsageError
from bot.ids import Action
from bot.metadata import Snooze, UpdateForm, WriteUpdate
from bot.services import update_reminders as service
from bot.services.updates import accounts_to_write_about
from handlers.buttons import Clicked, on_click
from handlers.context import CommandContext, SubCommands


async def away_until_command(ctx: CommandContext) -> Message:
    try:
        until = date.fromisoformat(ctx.rest)
    except ValueError:
        raise UsageError(f"Write the date as YYYY-MM-DD:\n`{usage_of('away', 'until')}`") from None
    await service.set_away(ctx.deps, ctx.user_id, until)
    return away_set(until)


async def away_off_command(ctx: CommandContext) -> Message:
    return away_ended(await service.back_from_away(ctx.deps, ctx.user_id))


SUBCOMMANDS: SubCommands = {
    ("away", "until"): away_until_command,
    ("away", "off"): away_off_command,
}


def register(app: AsyncApp, deps: Deps) -> None:
    async def write(clicked: Clicked[WriteUpdate]) -> None:
        """The entry modal, as `/strategic update` opens it; its confirmation comes by DM."""
        accounts = await accounts_to_write_about(deps)
        view = update_modal(UpdateForm(), accounts, week_of(deps.today()))
        await clicked.client.views_open(trigger_id=clicked.body["trigger_id"], view=view)

    async def snooze(clicked: Clicked[Snooze]) -> None:
        until = await service.snooze(deps, clicked.user_id, clicked.value.until)
        await clicked.redraw(snoozed(until))

    on_click(app, Action.UPDATE_WRITE, WriteUpdate, write)
    on_click(app, Action.UPDATE_SNOOZE, Snooze, snooze)
