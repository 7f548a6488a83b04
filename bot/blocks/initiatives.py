"""Strategy initiatives as seed 001 writes its strategy list — ✅ done, 🔄 in progress —
each with its status menu; the add modal; and the owner's reminders."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.views import View

from bot.blocks.common import (
    OPTION_LIMIT,
    Block,
    Message,
    clip,
    context,
    day,
    escape,
    header,
    info_message,
    section,
    user,
)
from bot.blocks.forms import FieldSpec, Kind, form_modal, input_block
from bot.domain.initiatives import MAX_TITLE, Initiative, InitiativeStatus, Reminder
from bot.ids import Action, Callback, InitiativeField
from bot.metadata import InitiativeChange, InitiativeForm

MARK = {
    InitiativeStatus.NOT_STARTED: "",
    InitiativeStatus.IN_PROGRESS: "🔄 ",
    InitiativeStatus.DONE: "✅ ",
}
"""The seed's marks; an initiative not started has none, as in the seed."""
LISTED = 45

INITIATIVE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(InitiativeField.TITLE, "Title", Kind.TEXT, optional=False, max_length=MAX_TITLE),
    FieldSpec(InitiativeField.OWNER, "Owner", Kind.USER, optional=False),
    FieldSpec(InitiativeField.DUE, "Due", Kind.DATE, optional=False, hint="Today or later."),
)


def initiative_line(initiative: Initiative, today: date) -> str:
    late = (
        " · *overdue*"
        if initiative.due < today and initiative.status is not InitiativeStatus.DONE
        else ""
    )
    return (
        f"{MARK[initiative.status]}*{escape(initiative.title)}* · due {day(initiative.due)} · "
        f"{user(initiative.owner)} · {initiative.status.value}{late}"
    )


def _option(initiative: Initiative, status: InitiativeStatus, in_list: bool) -> Block:
    value = InitiativeChange(initiative_id=initiative.id, status=status.value, in_list=in_list)
    text = clip(f"{MARK[status]}{status.value}", OPTION_LIMIT)
    return {"text": {"type": "plain_text", "text": text}, "value": value.model_dump_json()}


def _with_menu(initiative: Initiative, today: date, in_list: bool) -> Block:
    """The initiative's line with its status menu (its owner or an admin changes it)."""
    options = [_option(initiative, s, in_list) for s in InitiativeStatus]
    menu: Block = {
        "type": "static_select",
        "action_id": Action.INITIATIVE_STATUS,
        "placeholder": {"type": "plain_text", "text": "Status"},
        "options": options,
        "initial_option": options[list(InitiativeStatus).index(initiative.status)],
    }
    return {**section(initiative_line(initiative, today)), "accessory": menu}


def initiatives_message(items: list[Initiative], today: date) -> Message:
    """Soonest due first (the caller's order), each with its status menu."""
    blocks: list[Block] = [header(f"Strategy initiatives ({len(items)})")]
    if not items:
        blocks.append(section("No initiatives yet. `/strategic initiative add` adds one."))
    blocks += [_with_menu(i, today, in_list=True) for i in items[:LISTED]]
    if len(items) > LISTED:
        blocks.append(context(f"…and {len(items) - LISTED} more, due later."))
    done = sum(1 for i in items if i.status is InitiativeStatus.DONE)
    return Message(f"Strategy initiatives: {len(items)}, {done} done", blocks)


def initiative_modal(state: InitiativeForm, owner: str | None = None) -> View:
    """`owner`: who the Owner field starts at (whoever typed the command), changeable."""
    initial: dict[str, str | None] = {InitiativeField.OWNER: owner}
    return form_modal(
        Callback.INITIATIVE_ADD,
        "Strategy initiative",
        state,
        [input_block(spec, initial.get(spec.block_id)) for spec in INITIATIVE_FIELDS],
    )


def initiative_added(initiative: Initiative, today: date) -> Message:
    return info_message("Added. " + initiative_line(initiative, today))


def initiative_reminder(initiative: Initiative, kind: Reminder, today: date) -> Message:
    """The owner's DM: a week before the due date, or the day after it passed undone."""
    title = escape(initiative.title)
    if kind is Reminder.OVERDUE:
        said = f"*{title}* was due on {day(initiative.due)} and is not done. Where does it stand?"
        text = f"{title} was due on {day(initiative.due)} and is not done."
    else:
        days = (initiative.due - today).days
        when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        said = f"*{title}* is due on {day(initiative.due)}, {when}."
        text = f"{title} is due on {day(initiative.due)}, {when}."
    return Message(text, [section(said), _with_menu(initiative, today, in_list=False)])


def initiative_changed(initiative: Initiative, today: date) -> Message:
    """A reminder redrawn after its menu moved the status: the initiative as it now is."""
    return Message(
        f"{escape(initiative.title)}: {initiative.status.value}",
        [_with_menu(initiative, today, in_list=False)],
    )
