"""The weekly update's post to the channel, the EM's draft of it, and what the EM is told."""

from __future__ import annotations

from bot.blocks.common import (
    MESSAGE_BLOCKS,
    SECTION_LIMIT,
    Block,
    Message,
    actions,
    button,
    channel,
    context,
    day,
    escape,
    header,
    name,
    section,
    user,
)
from bot.blocks.health import ICON
from bot.blocks.updates import TEAM_WIDE_LABEL, blockers_label
from bot.domain.health import Status
from bot.domain.renewals import Renewal
from bot.domain.updates import UpdateEntry, Week
from bot.domain.weekly import RENEWALS_WITHIN, Digest
from bot.ids import WEEKLY_DRAFT_BLOCK, Action
from bot.metadata import WeeklyPost

DRAFT_ROOM = 3
"""Blocks the draft adds around the post: its note, the buttons, and a cut's last line."""


def _where(to: str) -> str:
    """A channel ID as Slack's link to it; a name from the settings (`#cp-strategic`), which
    Slack would not link, as written."""
    return escape(to) if to.startswith("#") else channel(to)


def _quoted(text: str) -> str:
    """Set apart as a block quote, line by line, so a blocker stands out."""
    return "\n".join(f">{line}" for line in escape(text).splitlines())


def entry_blocks(entry: UpdateEntry, weeks_open: int, edited: bool) -> list[Block]:
    """An entry under its account: progress, blockers quoted apart, upcoming; one section
    when it fits, else one per part (each may fill a section's 3,000 characters)."""
    heading = f"{user(entry.author)}" + (" _(edited)_" if edited else "")
    parts = []
    if entry.progress:
        parts.append(f"*Progress*\n{escape(entry.progress)}")
    if entry.blockers:
        label = blockers_label(entry, weeks_open)
        parts.append(f":construction: *{label}*\n{_quoted(entry.blockers)}")
    if entry.upcoming:
        parts.append(f"*Upcoming*\n{escape(entry.upcoming)}")
    whole = "\n".join([heading, *parts])
    if len(whole) <= SECTION_LIMIT:
        return [section(whole)]
    return [section(heading), *(section(part) for part in parts)]


def _renewal(item: Renewal) -> str:
    account = item.account
    arr = f" · ARR {account.arr:,}" if item.show_arr and account.arr else ""
    return (
        f"• {ICON[item.health]} *{name(account)}* ends {day(account.contract_end)} "
        f"(in {item.days_left} days){arr}"
    )


def post_sections(digest: Digest) -> list[list[Block]]:
    """The post as its parts, in order: the header, team-wide, each account (its health
    badge, then its entries), the accounts without an entry, the renewals due."""
    week = digest.week
    parts: list[list[Block]] = [
        [
            header(f"Weekly update {week}"),
            context(f"{day(week.monday)} to {day(week.sunday)} · {len(digest.entries)} entries"),
        ]
    ]
    grouped = digest.by_account()
    names = {a.id: a for a in digest.accounts}

    def entries(of: list[UpdateEntry]) -> list[Block]:
        return [
            block
            for e in of
            for block in entry_blocks(e, digest.weeks_open.get(e.id, 1), e.id in digest.edited)
        ]

    if None in grouped:
        parts.append([section(f"*{TEAM_WIDE_LABEL}*"), *entries(grouped[None])])
    for account_id, of in grouped.items():
        if account_id is None:
            continue
        account = names.get(account_id)
        badge = ICON[digest.health.get(account_id)]
        title = name(account) if account else escape(of[0].account_name or "")
        parts.append([section(f"{badge} *{title}*"), *entries(of)])
    missing = digest.without_entry()
    if missing:
        listed = ", ".join(f"*{name(a)}*" for a in missing)
        parts.append([section(f"*No entry this week* ({len(missing)}): {listed}")])
    if digest.renewals:
        lines = "\n".join(_renewal(r) for r in digest.renewals)
        parts.append([section(f"*Renewals in the next {RENEWALS_WITHIN} days*\n{lines}")])
    else:
        parts.append([context(f"No renewal is due in the next {RENEWALS_WITHIN} days.")])
    return parts


def _fitted(parts: list[list[Block]], room: int) -> list[Block]:
    """The parts that fit in `room` blocks whole, the last block saying what was left."""
    blocks: list[Block] = []
    for index, part in enumerate(parts):
        if len(blocks) + len(part) >= room:
            blocks.append(context(f"…and {len(parts) - index} more part(s), cut to fit."))
            break
        blocks += part
    return blocks


def _fallback(digest: Digest) -> str:
    return f"Weekly update {digest.week}: {len(digest.entries)} entries"


def weekly_post(digest: Digest) -> Message:
    """The week's post in the channel."""
    return Message(_fallback(digest), _fitted(post_sections(digest), MESSAGE_BLOCKS))


def weekly_draft(digest: Digest, to: str) -> Message:
    """The EM's draft: the post as it stands, and the button that posts it to `to`."""
    week = digest.week
    note = section(
        f"The draft of the weekly update {week}, for {_where(to)}. "
        "Entries written until it is posted are in it."
    )
    label = f"Post to {to}" if to.startswith("#") else "Post to the channel"
    post = button(Action.WEEKLY_POST, label, WeeklyPost(week=week.monday), style="primary")
    body = _fitted(post_sections(digest), MESSAGE_BLOCKS - DRAFT_ROOM + 1)
    return Message(f"Draft: {_fallback(digest)}", [note, *body, actions(WEEKLY_DRAFT_BLOCK, post)])


def late_entry(entry: UpdateEntry, weeks_open: int, health: Status | None) -> Message:
    """An entry written after the week's post went out, as a reply in its thread; marked
    edited when changed since."""
    about = (
        f"*{TEAM_WIDE_LABEL}*"
        if entry.account_name is None
        else f"{ICON[health]} *{escape(entry.account_name)}*"
    )
    edited = entry.updated_at > entry.created_at
    note = context(f"A late entry for the weekly update {entry.week}")
    return Message(
        f"Late entry for the weekly update {entry.week}: {about}",
        [note, section(about), *entry_blocks(entry, weeks_open, edited)],
    )


def weekly_posted(week: Week, to: str, by: str | None) -> Message:
    """The draft once posted: by whom (None: the bot, at autopost_time)."""
    who = f"by {user(by)}" if by else "automatically, as nobody had posted it by then"
    text = f"The weekly update {week} was posted to {_where(to)} {who}."
    return Message(text, [section(f":white_check_mark: {text}")])
