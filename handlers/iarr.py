"""`/strategic iarr ACCOUNT AMOUNT expansion|new [DATE]`: record iARR closed (seed 001)."""

from __future__ import annotations

from bot.blocks import phrases
from bot.blocks.common import Message
from bot.blocks.north_star import iarr_recorded
from bot.commands import usage_of
from bot.domain.iarr import parse_iarr_command
from bot.errors import UserError
from bot.services.north_star import iarr_this_quarter, record_iarr
from handlers.context import CommandContext, SubCommands


async def iarr_command(ctx: CommandContext) -> Message:
    deal = parse_iarr_command(ctx.rest, ctx.deps.today())
    if isinstance(deal, str):
        raise UserError(phrases.nothing_recorded([deal], usage_of("iarr")))
    name = await record_iarr(ctx.deps, deal, ctx.user_id)
    quarter, total = await iarr_this_quarter(ctx.deps)
    return iarr_recorded(deal, name, quarter, total)


SUBCOMMANDS: SubCommands = {("iarr",): iarr_command}
