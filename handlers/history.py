"""`/strategic history ACCOUNT`: the account's audit log, for its owners and admins."""

from __future__ import annotations

from bot.blocks.common import Message
from bot.blocks.history import history_message
from bot.services.history import account_history
from handlers.context import CommandContext, SubCommands


async def history_command(ctx: CommandContext) -> Message:
    return history_message(await account_history(ctx.deps, ctx.rest, ctx.user_id))


SUBCOMMANDS: SubCommands = {("history",): history_command}
