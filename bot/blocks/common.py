"""Small builders every message shares, and the Message a listener sends."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from bot.domain.accounts import Account

Block = dict[str, Any]
"""A Block Kit block as Slack's JSON.

Plain dicts, not slack_sdk's models: their `to_dict()` re-validates the whole tree on
every message (about 1 ms for an account card here, more than the ack itself). The
limits are kept by `clip` below, and every test checks every message against them.
"""

SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
HEADER_LIMIT = 150
BUTTON_LIMIT = 75
OPTION_LIMIT = 75
MESSAGE_BLOCKS = 50
NOT_SET = "—"


@dataclass(frozen=True)
class Message:
    """Fallback text (notifications, screen readers) plus the blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_TO_ENTITIES = str.maketrans(_ENTITIES)
_CHARACTERS = {entity: char for char, entity in _ENTITIES.items()}
_AN_ENTITY = re.compile("|".join(_CHARACTERS))


def escape(text: str) -> str:
    """Text a person gave, made inert for mrkdwn and for a message's fallback `text`.

    Slack reads `&`, `<` and `>` there as control characters: unescaped, a name like
    `<!channel> Pwn Corp` pings the whole channel and `<https://x|click>` becomes a link.
    Slack wants exactly these three as entities, nothing else. Every person's piece goes
    through here before our own markup (`*bold*`, `user()`, `link()`) wraps it. Not for
    plain_text (headers, buttons, titles): Slack shows those as they are.
    """
    return text.translate(_TO_ENTITIES)


def unescape(mrkdwn: str) -> str:
    """`escape` undone in one pass, for showing our mrkdwn as text outside Slack."""
    return _AN_ENTITY.sub(lambda m: _CHARACTERS[m.group()], mrkdwn)


def name(account: Account) -> str:
    """An account's name as mrkdwn: the one point where a name becomes message text."""
    return escape(account.name)


def link(url: str, label: str) -> str:
    """A link to a URL a person gave (validated as `^https?://\\S+$`, so no spaces).

    Escaped, the URL cannot close `<…>` early; its `|` is percent-encoded so it cannot
    start a label of its own (`https://evil.example|click`).
    """
    return f"<{escape(url).replace('|', '%7C')}|{escape(label)}>"


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mrkdwn(text: str, limit: int) -> dict[str, str]:
    return {"type": "mrkdwn", "text": clip(text, limit)}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, HEADER_LIMIT)}}


def section(text: str) -> Block:
    return {"type": "section", "text": _mrkdwn(text, SECTION_LIMIT)}


def pieces(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """`text` in runs of at most `limit` characters, broken at a line end, else at a space,
    else just before an entity (`&amp;`) or a link or mention (`<@U…>`) it would cut."""
    out = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
            for opener, closer in (("&", ";"), ("<", ">")):
                start = text.rfind(opener, 0, cut)
                if start > 0 and closer not in text[start:cut]:
                    cut = start
        out.append(text[:cut])
        text = text[cut:].removeprefix("\n").removeprefix(" ")
    return [*out, text] if text else out


def sections(heading: str, parts: list[str]) -> list[Block]:
    """One section when the heading and the parts fit in one; else the heading, then each
    part in sections of its own, a part longer than a section split where it breaks best
    (`pieces`): nothing is clipped."""
    whole = "\n".join([heading, *parts])
    if len(whole) <= SECTION_LIMIT:
        return [section(whole)]
    return [section(heading), *(section(piece) for part in parts for piece in pieces(part))]


def fields_section(fields: list[str]) -> Block:
    return {"type": "section", "fields": [_mrkdwn(f, FIELD_LIMIT) for f in fields]}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [_mrkdwn(t, SECTION_LIMIT) for t in texts]}


def button(
    action_id: str,
    text: str,
    value: BaseModel,
    *,
    style: str | None = None,
    confirm: Block | None = None,
) -> Block:
    """A button whose `value` is the typed state it carries (bot.metadata), as JSON."""
    element: Block = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": clip(text, BUTTON_LIMIT)},
        "value": value.model_dump_json(),
    }
    if style:
        element["style"] = style
    if confirm:
        element["confirm"] = confirm
    return element


def actions(block_id: str, *elements: Block) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def divider() -> Block:
    return {"type": "divider"}


def user(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id else NOT_SET


def channel(channel_id: str | None) -> str:
    return f"<#{channel_id}>" if channel_id else NOT_SET


def day(value: date | None) -> str:
    return value.isoformat() if value else NOT_SET


def moment(at: datetime) -> str:
    """A date and time Slack shows in each reader's own time zone."""
    stamp = int(at.timestamp())
    return f"<!date^{stamp}^{{date_short_pretty}} {{time}}|{at:%Y-%m-%d %H:%M} UTC>"


def number(value: int | None) -> str:
    return f"{value:,}" if value is not None else NOT_SET


DEFAULT_CURRENCY = "USD"
"""`[team] currency` when a team sets none (bot/config.py TeamPolicy says the same)."""


def money(amount: int | None, currency: str = DEFAULT_CURRENCY) -> str:
    """An amount with its currency code, `USD 1,200,000`: one form on every message, since
    a bare number read as ARR says nothing about what it counts in."""
    return f"{currency} {amount:,}" if amount is not None else NOT_SET


def possessive(text: str) -> str:
    """`Northwind Traders'` and `Acme Corp's`, bold or not (`*Acme Corp*'s`)."""
    return f"{text}'" if text.rstrip("*_~").endswith(("s", "S")) else f"{text}'s"


def error_message(text: str) -> Message:
    return Message(text=text, blocks=[section(f":warning: {text}")])


def info_message(text: str) -> Message:
    return Message(text=text, blocks=[section(text)])
