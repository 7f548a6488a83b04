"""`/strategic iarr ACCOUNT AMOUNT expansion|new [DATE]`: record iARR closed (seed 001)."""

from __future__ import annotations

from bot.blocks.common import Message, info_message
from bot.commands import usage_of
from bot.domain.iarr import parse_iarr_command
from bot.errors import UserError
from bot.services.north_star import iarr_this_quarter, record_iarr
from handlers.context import CommandContext, SubCommands


async def iarr_command(ctx: CommandContext) -> Message:
    deal = parse_iarr_command(ctx.rest, ctx.deps.today())
    if isinstance(deal, str):
        raise UserError(f"Nothing recorded: {deal}.\nUsage: `{usage_of('iarr')}`")
    name = await record_iarr(ctx.deps, deal, ctx.user_id)
    quarter, total = await iarr_this_quarter(ctx.deps)
    return info_message(
        f"Recorded {deal.amount:,} iARR ({deal.kind.value}) for *{name}* on "
        f"{deal.day.isoformat()}. {quarter.label} so far: {total:,}."
    )


SUBCOMMANDS: SubCommands = {("iarr",): iarr_command}
