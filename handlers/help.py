"""`/strategic help`."""

from __future__ import annotations

from bot.blocks.help import help_message
from handlers.context import SubCommands

SUBCOMMANDS: SubCommands = {("help",): help_message}
