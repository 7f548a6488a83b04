"""The customer journey: an account's contract year with states and Mark done buttons."""

from __future__ import annotations

from collections import Counter

from bot.blocks.common import (
    Block,
    Message,
    button,
    context,
    day,
    escape,
    header,
    name,
    section,
    user,
)
from bot.domain.journey import AccountJourney, JourneyItem, State
from bot.ids import Action
from bot.metadata import JourneyDone

ICON = {
    State.OVERDUE: ":red_circle:",
    State.DUE: ":large_yellow_circle:",
    State.UPCOMING: ":white_circle:",
    State.DONE: ":white_check_mark:",
}
BUTTONS = 20
UPCOMING_LINES = 8


def item_line(item: JourneyItem) -> str:
    activity = item.activity
    when = f"due {day(activity.due)}"
    if item.state is State.DONE:
        when = f"done by {user(item.done_by)}"
    return f"{ICON[item.state]} *{escape(activity.title)}* · {item.state.value} · {when}"


def mark_done_block(journey: AccountJourney, item: JourneyItem) -> Block:
    """An open activity with its Mark done button."""
    value = JourneyDone(
        account_id=journey.account.id,
        contract_end=journey.contract_end,
        activity=item.activity.key,
    )
    return section(item_line(item)) | {
        "accessory": button(Action.JOURNEY_DONE, "Mark done", value)
    }


def journey_message(journey: AccountJourney) -> Message:
    account = journey.account
    open_items = [i for i in journey.items if i.state in (State.OVERDUE, State.DUE)]
    upcoming = [i for i in journey.items if i.state is State.UPCOMING]
    done = [i for i in journey.items if i.state is State.DONE]
    blocks: list[Block] = [
        header(f"{account.name}: customer journey"),
        context(
            f"Tier {account.tier} · contract {day(account.contract_start)} → "
            f"{day(account.contract_end)} · {len(done)} of {len(journey.items)} done"
        ),
    ]
    blocks += [mark_done_block(journey, i) for i in open_items[:BUTTONS]]
    if len(open_items) > BUTTONS:
        blocks.append(context(f"…and {len(open_items) - BUTTONS} more due or overdue."))
    if not open_items:
        blocks.append(section("Nothing is due or overdue."))
    if upcoming:
        lines = [item_line(i) for i in upcoming[:UPCOMING_LINES]]
        more = len(upcoming) - UPCOMING_LINES
        blocks.append(
            section(
                "*Coming up*\n" + "\n".join(lines) + (f"\n…and {more} more" if more > 0 else "")
            )
        )
    if done:
        titles = Counter(escape(i.activity.title) for i in done)
        listed = [f"{t} ({n})" if n > 1 else t for t, n in titles.items()]
        blocks.append(context("Done: " + ", ".join(listed)))
    overdue = sum(1 for i in open_items if i.state is State.OVERDUE)
    return Message(f"{name(account)}: {len(open_items)} due, {overdue} of them overdue", blocks)


def marked_done(blocks: list[Block], value: str, item: JourneyItem) -> list[Block]:
    """The message as it was, the clicked activity showing who did it instead of a button."""
    return [
        section(item_line(item))
        if (b.get("accessory") or {}).get("action_id") == Action.JOURNEY_DONE
        and b["accessory"].get("value") == value
        else b
        for b in blocks
    ]


def journey_reminder(journey: AccountJourney, items: list[JourneyItem]) -> Message:
    """What is due soon or overdue for one account, each with its Mark done button."""
    account = name(journey.account)
    overdue = sum(1 for i in items if i.state is State.OVERDUE)
    soon = len(items) - overdue
    parts = [f"{overdue} overdue"] if overdue else []
    parts += [f"{soon} due soon"] if soon else []
    summary = f"*{account}*: journey activities {' and '.join(parts)}."
    blocks: list[Block] = [section(f":compass: {summary}")]
    blocks += [mark_done_block(journey, i) for i in items[:BUTTONS]]
    if len(items) > BUTTONS:
        blocks.append(context(f"…and {len(items) - BUTTONS} more: `/strategic journey {account}`"))
    return Message(f"{account}: journey activities {' and '.join(parts)}", blocks)
