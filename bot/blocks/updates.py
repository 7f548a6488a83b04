"""The weekly update: the entry modal, an entry as saved, and a week's entries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from slack_sdk.models.views import View

from bot.blocks.common import (
    MESSAGE_BLOCKS,
    OPTION_LIMIT,
    Block,
    Message,
    clip,
    context,
    day,
    escape,
    header,
    section,
    sections,
    user,
)
from bot.blocks.forms import FieldSpec, Kind, form_modal, input_block
from bot.domain.accounts import Account
from bot.domain.updates import MAX_TEXT, TEAM_WIDE, UpdateEntry, Week
from bot.ids import Callback, UpdateField
from bot.metadata import UpdateForm

ACCOUNT_OPTIONS = 99
"""A select holds 100 options in Slack; one of them is Team-wide."""
TEAM_WIDE_LABEL = "Team-wide"


def _text(block_id: UpdateField, label: str, what: str) -> FieldSpec:
    """A text field, its limit said beside it (Slack stops the typing there too)."""
    return FieldSpec(
        block_id,
        label,
        Kind.TEXT,
        max_length=MAX_TEXT,
        multiline=True,
        hint=f"{what} Up to {MAX_TEXT:,} characters.",
    )


UPDATE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(UpdateField.ACCOUNT, "Account", Kind.CHOICE, optional=False),
    _text(UpdateField.PROGRESS, "Progress", "What moved forward this week."),
    _text(UpdateField.BLOCKERS, "Blockers", "What stands in the way, and who could help."),
    FieldSpec(
        UpdateField.STILL_OPEN,
        "Last week's blocker",
        Kind.CHECKBOX,
        choices=(("yes", "Still open"),),
    ),
    _text(UpdateField.UPCOMING, "Upcoming", "What comes next."),
)
"""The account's choices come with the modal (`update_modal`): reading them back needs
only the value chosen."""


def _initial(entry: UpdateEntry | None) -> dict[str, str | None]:
    """The form's values, by field, for an entry being changed."""
    if entry is None:
        return {}
    return {
        UpdateField.ACCOUNT: TEAM_WIDE if entry.account_id is None else str(entry.account_id),
        UpdateField.PROGRESS: entry.progress,
        UpdateField.BLOCKERS: entry.blockers,
        UpdateField.STILL_OPEN: "yes" if entry.still_open else None,
        UpdateField.UPCOMING: entry.upcoming,
    }


def update_modal(
    state: UpdateForm, accounts: list[Account], week: Week, entry: UpdateEntry | None = None
) -> View:
    """The entry form; sent again for the same account in the same week, it changes the
    entry. Empty, as the account is picked in it, unless opened on an `entry` to change
    (the weekly draft's Edit: the EM's team-wide entry).

    `accounts`: the active ones by name; past Slack's 100 options, the hint says so.
    """
    shown = accounts[:ACCOUNT_OPTIONS]
    choices = (
        (TEAM_WIDE, TEAM_WIDE_LABEL),
        *((str(a.id), clip(a.name, OPTION_LIMIT)) for a in shown),
    )
    hint = (
        f"Only the first {ACCOUNT_OPTIONS} of {len(accounts)} accounts by name fit in "
        "Slack's list; write about the others Team-wide."
        if len(accounts) > len(shown)
        else None
    )
    account, *texts = UPDATE_FIELDS
    initial = _initial(entry)
    return form_modal(
        Callback.UPDATE_ENTRY,
        "Weekly update",
        state,
        [
            section(
                f"Your entry for *{week}* ({_span(week)}). "
                "Sent again for the same account this week, it replaces the first."
            ),
            input_block(
                replace(account, choices=choices, hint=hint), initial.get(account.block_id)
            ),
            *(input_block(spec, initial.get(spec.block_id)) for spec in texts),
        ],
    )


def _span(week: Week) -> str:
    return f"{day(week.monday)} to {day(week.sunday)}"


def _about(entry: UpdateEntry) -> str:
    return TEAM_WIDE_LABEL if entry.account_name is None else escape(entry.account_name)


def blockers_label(entry: UpdateEntry, weeks_open: int) -> str:
    if weeks_open > 1:
        return f"Blockers (open for {weeks_open} weeks)"
    return "Blockers (still open)" if entry.still_open else "Blockers"


def _entry_blocks(entry: UpdateEntry, weeks_open: int = 1) -> list[Block]:
    """One section when the entry fits in one, else a heading and sections per field."""
    heading = f"*{_about(entry)}* · {user(entry.author)}"
    fields = [
        ("Progress", entry.progress),
        (blockers_label(entry, weeks_open), entry.blockers),
        ("Upcoming", entry.upcoming),
    ]
    return sections(heading, [f"*{label}*\n{escape(text)}" for label, text in fields if text])


def entry_saved(entry: UpdateEntry, edited: bool) -> Message:
    said = f"{'Changed' if edited else 'Saved'} your entry of {entry.week} about {_about(entry)}."
    return Message(said, [section(said), *_entry_blocks(entry)])


def _count(entries: int) -> str:
    return f"{entries} {'entry' if entries == 1 else 'entries'}"


def week_entries(week: Week, entries: list[UpdateEntry], weeks_open: Mapping[int, int]) -> Message:
    """`entries` in the order shown (team-wide, then by account); `weeks_open`: by entry id,
    how long its blocker has stood, when more than this week."""
    title = f"Weekly update {week}"
    if not entries:
        empty = f"No entries for {week} ({_span(week)}). `/strategic update` writes one."
        return Message(f"{title}: no entries", [header(title), section(empty)])
    blocks: list[Block] = [header(title), context(f"{_span(week)} · {_count(len(entries))}")]
    shown = 0
    for entry in entries:
        more = _entry_blocks(entry, weeks_open.get(entry.id, 1))
        if len(blocks) + len(more) >= MESSAGE_BLOCKS:  # the last one says what is left
            break
        blocks += more
        shown += 1
    if shown < len(entries):
        blocks.append(context(f"…and {_count(len(entries) - shown)} more."))
    return Message(f"{title}: {_count(len(entries))}", blocks)
