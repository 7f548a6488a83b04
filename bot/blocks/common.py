"""Small builders every message shares, and the Message a listener sends."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
HEADER_LIMIT = 150
MESSAGE_BLOCKS = 50
NOT_SET = "—"


@dataclass(frozen=True)
class Message:
    """Fallback text (notifications, screen readers) plus the blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": [b.to_dict() for b in self.blocks]}


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=clip(text, HEADER_LIMIT)))


def section(text: str, fields: list[str] | None = None) -> SectionBlock:
    return SectionBlock(
        text=MarkdownTextObject(text=clip(text, SECTION_LIMIT)),
        fields=[MarkdownTextObject(text=clip(f, FIELD_LIMIT)) for f in fields] if fields else None,
    )


def fields_section(fields: list[str]) -> SectionBlock:
    return SectionBlock(fields=[MarkdownTextObject(text=clip(f, FIELD_LIMIT)) for f in fields])


def context(*texts: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(t, SECTION_LIMIT)) for t in texts])


def divider() -> DividerBlock:
    return DividerBlock()


def user(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id else NOT_SET


def channel(channel_id: str | None) -> str:
    return f"<#{channel_id}>" if channel_id else NOT_SET


def day(value: date | None) -> str:
    return value.isoformat() if value else NOT_SET


def number(value: int | None) -> str:
    return f"{value:,}" if value is not None else NOT_SET


def error_message(text: str) -> Message:
    return Message(text=text, blocks=[section(f":warning: {text}")])


def info_message(text: str) -> Message:
    return Message(text=text, blocks=[section(text)])
