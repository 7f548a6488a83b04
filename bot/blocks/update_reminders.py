"""The weekly update's reminder DM (Write update, Snooze), and the answers to a snooze and
to `/strategic away`."""

from __future__ import annotations

from datetime import date, datetime

from bot.blocks.common import Block, Message, actions, button, day, moment, section
from bot.domain.updates import Week
from bot.ids import Action
from bot.metadata import Snooze, WriteUpdate

REMINDER_BLOCK = "update_reminder"


def _option(text: str, value: Snooze) -> Block:
    return {"text": {"type": "plain_text", "text": text}, "value": value.model_dump_json()}


def update_reminder(week: Week, tomorrow: datetime) -> Message:
    """`tomorrow`: 9:00 on the person's next day, fixed now, so a click on a stale
    reminder cannot snooze into the past unnoticed (the service refuses it)."""
    said = f"Time for your weekly update of *{week}*: what moved, what blocks, what is next."
    menu: Block = {
        "type": "static_select",
        "action_id": Action.UPDATE_SNOOZE,
        "placeholder": {"type": "plain_text", "text": "Snooze"},
        "options": [
            _option("1 hour", Snooze()),
            _option("Tomorrow 9:00", Snooze(until=tomorrow)),
        ],
    }
    write = button(Action.UPDATE_WRITE, "Write update", WriteUpdate(), style="primary")
    return Message(
        f"Time for your weekly update of {week}.",
        [section(said), actions(REMINDER_BLOCK, write, menu)],
    )


def snoozed(until: datetime) -> list[Block]:
    """The reminder, redrawn: its buttons gone, the time it comes back said."""
    return [section(f"Snoozed: I will remind you again {moment(until)}.")]


def away_set(until: date) -> Message:
    said = (
        f"No weekly update reminders for you through {day(until)}. `/strategic away off` ends it."
    )
    return Message(said, [section(said)])


def away_ended(was_away: bool) -> Message:
    said = (
        "Welcome back: weekly update reminders are on again."
        if was_away
        else "You were not away; weekly update reminders are on."
    )
    return Message(said, [section(said)])
