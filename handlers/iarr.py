"""`/strategic iarr ACCOUNT AMOUNT expansion|new [DATE]`: record iARR closed (seed 001),
and the answer's Undo button."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.blocks import phrases
from bot.blocks.common import Message
from bot.blocks.north_star import iarr_recorded, iarr_undone
from bot.commands import usage_of
from bot.deps import Deps
from bot.domain.iarr import parse_iarr_command
from bot.errors import UserError
from bot.ids import Action
from bot.metadata import IarrUndo
from bot.services.north_star import iarr_this_quarter, record_iarr, undo_iarr
from handlers.buttons import Clicked, on_click
from handlers.context import CommandContext, SubCommands


async def iarr_command(ctx: CommandContext) -> Message:
    deal = parse_iarr_command(ctx.rest, ctx.deps.today())
    if isinstance(deal, str):
        raise UserError(phrases.nothing_recorded([deal], usage_of("iarr")))
    event = await record_iarr(ctx.deps, deal, ctx.user_id)
    quarter, total = await iarr_this_quarter(ctx.deps)
    return iarr_recorded(event, quarter, total)


SUBCOMMANDS: SubCommands = {("iarr",): iarr_command}


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_undo(click: Clicked[IarrUndo]) -> None:
        event = await undo_iarr(deps, click.value.event_id, click.user_id)
        await click.redraw(iarr_undone(event))

    on_click(app, Action.IARR_UNDO, IarrUndo, on_undo)
