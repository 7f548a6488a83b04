"""The App Home tab: the portfolio at a glance."""

from __future__ import annotations

from slack_sdk.models.views import View

from bot.blocks.accounts import account_list
from bot.blocks.common import Block, context, divider, header
from bot.domain.accounts import Account

VIEW_BLOCKS = 100


def home_view(accounts: list[Account]) -> View:
    """The account list as on `/strategic account list`, framed for the Home tab."""
    listing = account_list(accounts).blocks
    blocks: list[Block] = [header("Strategic accounts"), *listing[1:]]
    blocks += [
        divider(),
        context("`/strategic help` lists every command · `/strategic account add` adds an account"),
    ]
    return View(type="home", blocks=blocks[:VIEW_BLOCKS])
