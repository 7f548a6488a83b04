"""Health alerts: what changed and why, with an Acknowledge button; the weekly no-plan list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.blocks.common import (
    Block,
    Message,
    actions,
    button,
    context,
    moment,
    money,
    name,
    section,
    user,
)
from bot.blocks.health import ICON
from bot.domain.health import AccountHealth, Status
from bot.ids import Action
from bot.metadata import HealthAck


def health_alert(
    item: AccountHealth, previous: Status | None, ack: HealthAck, arr_in: str | None
) -> Message:
    """Says what changed, mentions the TA/CE, and lists every measure with its threshold.

    ARR appears, in the currency `arr_in`, only when the team turned sensitive figures on
    for channel posts (None: not shown).
    """
    health = item.health
    now = health.status.label if health.status is not None else "unscored"
    was = f" (was {previous.label})" if previous is not None else ""
    account = name(item.account)
    headline = f"{ICON[health.status]} *{account}* is now *{now}*{was}."
    if item.account.ta_ce:
        headline += f" {user(item.account.ta_ce)}, over to you."
    if arr_in is not None and item.account.arr:
        headline += f" ARR {money(item.account.arr, arr_in)}."
    measures = [
        f"{ICON[m.status]} {m.reason}"
        + (
            f" — yellow below {m.threshold.green:.0%}, red below {m.threshold.yellow:.0%}"
            if m.status
            else ""
        )
        for m in health.measures
    ]
    blocks: list[Block] = [
        section(headline),
        section("*Why*\n" + "\n".join(measures)),
        actions(Action.ACK_HEALTH, button(Action.ACK_HEALTH, "Acknowledge", ack)),
    ]
    return Message(f"{account} is now {now}{was}", blocks)


def acknowledged(blocks: list[dict[str, Any]], user_id: str, at: datetime) -> list[Block]:
    """The alert as it was, its button replaced by who took it and when."""
    kept = [b for b in blocks if b.get("block_id") != Action.ACK_HEALTH]
    return [*kept, context(f":white_check_mark: Acknowledged by {user(user_id)} {moment(at)}")]


def red_without_plan(items: list[AccountHealth]) -> Message:
    names = ", ".join(f"*{name(i.account)}* ({user(i.account.ta_ce)})" for i in items)
    text = (
        f":memo: {len(items)} red account(s) have no get-well plan: {names}. "
        "Write one with `/strategic plan ACCOUNT`."
    )
    return Message(f"{len(items)} red account(s) have no get-well plan", [section(text)])
