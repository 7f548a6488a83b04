"""`/strategic help`: every sub-command with its exact usage."""

from __future__ import annotations

from bot.blocks.common import Message, context, header, section
from bot.commands import USAGES, usage_lines


def help_message() -> Message:
    return Message(
        text="Strategic bot commands",
        blocks=[
            header("Strategic bot"),
            section(usage_lines(USAGES)),
            context("Names with spaces can be typed as they are, or in quotes."),
        ],
    )
