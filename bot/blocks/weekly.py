"""The weekly update's post to the channel, the EM's draft of it, and what the EM is told."""

from __future__ import annotations

from dataclasses import dataclass

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
    money,
    name,
    section,
    sections,
    user,
)
from bot.blocks.health import ICON
from bot.blocks.needs import portfolio_needs
from bot.blocks.okrs import okr_section
from bot.blocks.partners import pending_section
from bot.blocks.updates import TEAM_WIDE_LABEL, blockers_label
from bot.domain.renewals import Renewal
from bot.domain.updates import UpdateEntry, Week
from bot.domain.weekly import CHART_WEEKS, RENEWALS_WITHIN, Digest, reply_ref
from bot.ids import WEEKLY_DRAFT_BLOCK, Action
from bot.metadata import WeeklyPost

DRAFT_ROOM = 3
"""Blocks the draft adds around the post: its note, the buttons, and a line about the
thread."""


def _where(to: str) -> str:
    """A channel ID as Slack's link to it; a name from the settings (`#cp-strategic`), which
    Slack would not link, as written."""
    return escape(to) if to.startswith("#") else channel(to)


def _quoted(text: str) -> str:
    """Set apart as a block quote, line by line, so a blocker stands out."""
    return "\n".join(f">{line}" for line in escape(text).splitlines())


def _entry_parts(entry: UpdateEntry, weeks_open: int) -> list[str]:
    parts = []
    if entry.progress:
        parts.append(f"*Progress*\n{escape(entry.progress)}")
    if entry.blockers:
        label = blockers_label(entry, weeks_open)
        parts.append(f":construction: *{label}*\n{_quoted(entry.blockers)}")
    if entry.upcoming:
        parts.append(f"*Upcoming*\n{escape(entry.upcoming)}")
    return parts


def entry_blocks(entry: UpdateEntry, weeks_open: int, edited: bool) -> list[Block]:
    """An entry under its account: progress, blockers quoted apart, upcoming; one section
    when it fits, else sections per part."""
    heading = f"{user(entry.author)}" + (" _(edited)_" if edited else "")
    return sections(heading, _entry_parts(entry, weeks_open))


def _oversized(digest: Digest) -> bool:
    """Whether some entry has a part that would not fit in one section."""
    return any(
        len(part) > SECTION_LIMIT
        for e in digest.entries
        for part in _entry_parts(e, digest.weeks_open.get(e.id, 1))
    )


def _renewal(item: Renewal, currency: str) -> str:
    account = item.account
    arr = f" · ARR {money(account.arr, currency)}" if item.show_arr and account.arr else ""
    return (
        f"• {ICON[item.health]} *{name(account)}* ends {day(account.contract_end)} "
        f"(in {item.days_left} days){arr}"
    )


def _named(digest: Digest, account_id: int | None, of: list[UpdateEntry]) -> str:
    """An account's name, escaped (team-wide: the label)."""
    if account_id is None:
        return TEAM_WIDE_LABEL
    account = next((a for a in digest.accounts if a.id == account_id), None)
    return name(account) if account else escape(of[0].account_name or "")


def _title(digest: Digest, account_id: int | None, of: list[UpdateEntry]) -> str:
    """An account's line: its health badge and name (team-wide has no badge)."""
    named = f"*{_named(digest, account_id, of)}*"
    return named if account_id is None else f"{ICON[digest.health.get(account_id)]} {named}"


def _account_part(digest: Digest, account_id: int | None, of: list[UpdateEntry]) -> list[Block]:
    return [
        section(_title(digest, account_id, of)),
        *(
            block
            for e in of
            for block in entry_blocks(e, digest.weeks_open.get(e.id, 1), e.id in digest.edited)
        ),
    ]


def _index(digest: Digest) -> list[Block]:
    """In a threaded post: each account that wrote, with its badge and its blockers'
    count, the entries themselves being in the thread."""
    lines = []
    for account_id, of in digest.by_account().items():
        blocked = sum(1 for e in of if e.blockers)
        flag = f" · :construction: {blocked} blocker(s)" if blocked else ""
        count = f"{len(of)} entr{'y' if len(of) == 1 else 'ies'}"
        lines.append(f"• {_title(digest, account_id, of)} · {count}{flag}")
    heading = "*Entries* (each account in its own reply in the thread)"
    return sections(heading, ["\n".join(lines)]) if lines else []


def _tail(digest: Digest) -> list[list[Block]]:
    """What follows the accounts: those without an entry, the renewals due, the pending
    partner nominations, the quarter's OKRs, the chart."""
    parts: list[list[Block]] = []
    missing = digest.without_entry()
    if missing:
        listed = ", ".join(f"*{name(a)}*" for a in missing)
        parts.append(sections(f"*No entry this week* ({len(missing)}):", [listed]))
    if digest.renewals:
        lines = "\n".join(_renewal(r, digest.currency) for r in digest.renewals)
        parts.append(sections(f"*Renewals in the next {RENEWALS_WITHIN} days*", [lines]))
    else:
        parts.append([context(f"No renewal is due in the next {RENEWALS_WITHIN} days.")])
    accounts = {a.id: a for a in digest.accounts}
    needs = portfolio_needs(digest.needs, accounts, digest.overdue_steps)
    if needs:
        parts.append(needs)
    parts.append(pending_section(digest.nominations, digest.today))
    if digest.okrs is not None:
        parts.append(okr_section(digest.okrs))
    if digest.has_chart():
        chart = (
            ":chart_with_upwards_trend: The chart of weekly assistant DAU for the last "
            f"{CHART_WEEKS} weeks is in the thread."
        )
    else:
        chart = f"No assistant DAU figures in the last {CHART_WEEKS} weeks: no chart this week."
    parts.append([context(chart)])
    return parts


def _head(digest: Digest) -> list[Block]:
    week = digest.week
    return [
        header(f"Weekly update {week}"),
        context(f"{day(week.monday)} to {day(week.sunday)} · {len(digest.entries)} entries"),
    ]


def post_sections(digest: Digest) -> list[list[Block]]:
    """The post as one message, part by part: the header, team-wide, each account (its
    health badge, then its entries), the accounts without an entry, the renewals due."""
    accounts = [_account_part(digest, a, of) for a, of in digest.by_account().items()]
    return [_head(digest), *accounts, *_tail(digest)]


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


@dataclass(frozen=True)
class PostLayout:
    """The week's post: its main message and, when it is threaded, each account's reply
    under the name it is edited by later."""

    main: Message
    replies: list[tuple[str, Message]]

    @property
    def threaded(self) -> bool:
        return bool(self.replies)


def is_threaded(digest: Digest) -> bool:
    """Whether the post needs its thread: as one message it would pass Slack's 50 blocks
    (with room for the draft's note and buttons), or an entry a section's 3,000
    characters."""
    blocks = sum(len(part) for part in post_sections(digest))
    return blocks > MESSAGE_BLOCKS - DRAFT_ROOM or _oversized(digest)


def account_reply(digest: Digest, account_id: int | None) -> Message:
    """An account's entries of the week as its reply in the post's thread."""
    of = digest.by_account().get(account_id, [])
    return Message(
        f"Weekly update {digest.week}: {_named(digest, account_id, of)}",
        _fitted([_account_part(digest, account_id, of)], MESSAGE_BLOCKS + 1),
    )


def weekly_post(digest: Digest, threaded: bool | None = None) -> PostLayout:
    """The week's post in the channel; `threaded` keeps the layout it was posted with when
    it is redrawn (None: as the digest needs). ARR amounts are in the digest's currency."""
    if threaded is None:
        threaded = is_threaded(digest)
    if not threaded:
        blocks = _fitted(post_sections(digest), MESSAGE_BLOCKS - DRAFT_ROOM)
        return PostLayout(Message(_fallback(digest), blocks), [])
    main = _fitted([_head(digest), _index(digest), *_tail(digest)], MESSAGE_BLOCKS - DRAFT_ROOM)
    replies = [
        (reply_ref(digest.week, account_id), account_reply(digest, account_id))
        for account_id in digest.by_account()
    ]
    return PostLayout(Message(_fallback(digest), main), replies)


def weekly_draft(digest: Digest, to: str) -> Message:
    """The EM's draft: the post as it stands, and the button that posts it to `to`."""
    week = digest.week
    note = section(
        f"The draft of the weekly update {week}, for {_where(to)}. "
        "Entries written until it is posted are in it; Edit opens your team-wide entry."
    )
    label = f"Post to {to}" if to.startswith("#") else "Post to the channel"
    value = WeeklyPost(week=week.monday)
    post = button(Action.WEEKLY_POST, label, value, style="primary")
    edit = button(Action.WEEKLY_EDIT, "Edit", value)
    layout = weekly_post(digest)
    body = layout.main.blocks
    if layout.threaded:
        body = [*body, context(f"{len(layout.replies)} replies follow in the thread.")]
    return Message(
        f"Draft: {_fallback(digest)}", [note, *body, actions(WEEKLY_DRAFT_BLOCK, post, edit)]
    )


def weekly_posted(week: Week, to: str, by: str | None) -> Message:
    """The draft once posted: by whom (None: the bot, at autopost_time)."""
    who = f"by {user(by)}" if by else "automatically, as nobody had posted it by then"
    text = f"The weekly update {week} was posted to {_where(to)} {who}."
    return Message(text, [section(f":white_check_mark: {text}")])
