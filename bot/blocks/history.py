"""`/strategic history ACCOUNT`: who changed what and when, newest first.

Everything in an audit entry may come from a person (the values of the fields they typed,
an importer's `--actor`, a note), so every piece is escaped here before our markup.
"""

from __future__ import annotations

import re
from typing import Any

from bot.blocks.common import (
    NOT_SET,
    Block,
    Message,
    clip,
    context,
    escape,
    header,
    moment,
    name,
    section,
    user,
)
from bot.domain.audit import AccountHistory, AuditEntry
from bot.domain.slack_ids import SLACK_USER_PATTERN

ACTIONS = {
    "account.create": "added the account",
    "account.edit": "edited the account",
    "account.import": "imported it from a CSV",
    "account.archive": "archived the account",
    "plan.save": "saved the get-well plan",
    "health.acknowledge": "acknowledged a health alert",
    "journey.done": "marked a journey activity done",
    "iarr.add": "recorded iARR",
    "iarr.undo": "undid an iARR entry",
    "renewal.renewed": "recorded the renewal",
    "renewal.churned": "recorded the churn",
}
VALUE_LIMIT = 150
"""Characters of one old or new value (a plan's text can be thousands)."""


def _actor(actor: str) -> str:
    """A Slack user as a mention; anyone else (`cli`, an importer's `--actor`) as typed."""
    return user(actor) if re.match(SLACK_USER_PATTERN, actor) else escape(actor)


def _value(value: Any) -> str:
    if value is None or value == "":
        return NOT_SET
    return escape(clip(str(value), VALUE_LIMIT))


def _change(field: str, change: Any) -> str:
    if isinstance(change, list) and len(change) == 2:
        return f"{escape(field)}: {_value(change[0])} → {_value(change[1])}"
    return f"{escape(field)}: {_value(change)}"


def what_changed(entry: AuditEntry) -> str:
    """What was done and each field's old → new value, as mrkdwn lines."""
    done = ACTIONS.get(entry.action) or escape(entry.action)
    lines = [done, *(_change(field, change) for field, change in entry.changes.items())]
    if entry.note:
        lines.append(f"_{escape(entry.note)}_")
    return "\n".join(lines)


def history_message(history: AccountHistory) -> Message:
    account = history.account
    if not history.entries:
        text = f"No changes to *{name(account)}* are recorded."
        return Message(text=text, blocks=[section(text)])
    shown = len(history.entries)
    blocks: list[Block] = [
        header(f"{account.name}: history"),
        context(
            f"The {shown} newest of {history.total} changes, newest first."
            if history.total > shown
            else f"{shown} change{'s' if shown != 1 else ''}, newest first."
        ),
    ]
    for entry in history.entries:
        blocks.append(section(f"{moment(entry.at)} · {_actor(entry.actor)}\n{what_changed(entry)}"))
    if history.total > shown:
        blocks.append(context("The whole log: `strategic-bot audit --account NAME`."))
    return Message(text=f"{name(account)}: {history.total} recorded changes", blocks=blocks)
