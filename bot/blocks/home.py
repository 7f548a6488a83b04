"""The App Home tab: the portfolio at a glance, and what the bot will post and has posted."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.views import View

from bot.blocks.accounts import account_list
from bot.blocks.common import Block, channel, context, divider, header, section
from bot.domain.accounts import Account
from bot.services.schedule import Sent, Upcoming

VIEW_BLOCKS = 100
PREVIEW_LINES = 15


def home_view(accounts: list[Account], coming: list[Upcoming], sent: list[Sent]) -> View:
    """Accounts as on `/strategic account list`, then the week's scheduled posts."""
    listing = account_list(accounts).blocks
    blocks: list[Block] = [header("Strategic accounts"), *listing[1:], divider()]
    blocks += [header("Scheduled posts this week"), section(_coming(coming))]
    if sent:
        lines = [f"{_when(s.at)} · {s.job} → {channel(s.channel)}" for s in sent]
        blocks += [context("Last sent: " + " · ".join(lines))]
    blocks += [
        divider(),
        context("`/strategic help` lists every command · `/strategic account add` adds an account"),
    ]
    return View(type="home", blocks=blocks[:VIEW_BLOCKS])


def _coming(coming: list[Upcoming]) -> str:
    if not coming:
        return "Nothing is scheduled in the next seven days."
    lines = [f"{_when(u.at)} · *{u.job}* — {u.description}" for u in coming[:PREVIEW_LINES]]
    if len(coming) > PREVIEW_LINES:
        lines.append(
            f"…and {len(coming) - PREVIEW_LINES} more (`strategic-bot jobs list --next 7d`)"
        )
    return "\n".join(lines)


def _when(moment: datetime) -> str:
    """Slack shows this in each reader's own time zone."""
    stamp = int(moment.timestamp())
    return f"<!date^{stamp}^{{date_short_pretty}} {{time}}|{moment:%Y-%m-%d %H:%M} UTC>"
