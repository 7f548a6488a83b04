"""`/strategic help`."""

from __future__ import annotations

from bot.blocks.common import Message
from bot.blocks.help import help_message
from handlers.context import CommandContext, SubCommands


async def help_command(_ctx: CommandContext) -> Message:
    return help_message()


SUBCOMMANDS: SubCommands = {("help",): help_command}
