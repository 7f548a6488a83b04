"""Blocks as terminal text: what the demo and dry runs print instead of posting."""

from __future__ import annotations

import re
from typing import Any

from bot.blocks.common import unescape

_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
_MENTION = re.compile(r"<([@#])([A-Z0-9]+)>")
_DATE = re.compile(r"<!date\^\d+\^[^|>]*\|([^>]+)>")
EMOJI = {
    ":large_green_circle:": "🟢",
    ":large_yellow_circle:": "🟡",
    ":red_circle:": "🔴",
    ":white_circle:": "⚪",
    ":warning:": "⚠️",
    ":memo:": "📝",
    ":rotating_light:": "🚨",
    ":white_check_mark:": "✅",
}


def plain(mrkdwn: str, names: dict[str, str] | None = None) -> str:
    """Slack mrkdwn to readable text; `names` turns user and channel IDs into names.

    Entities are undone last, so a name typed as `<@U…>` reads as typed and is never
    taken for one of our mentions."""
    names = names or {}
    text = _DATE.sub(r"\1", _LINK.sub(r"\2 (\1)", mrkdwn))
    for code, symbol in EMOJI.items():
        text = text.replace(code, symbol)
    text = _MENTION.sub(lambda m: m.group(1) + names.get(m.group(2), m.group(2)), text)
    return unescape(re.sub(r"(?<![\w*])\*([^*\n]+)\*(?!\w)", r"\1", text))


def to_text(blocks: list[dict[str, Any]], names: dict[str, str] | None = None) -> str:
    lines: list[str] = []
    for block in blocks:
        kind = block["type"]
        if kind == "header":
            title = block["text"]["text"]
            lines += ["", title.upper(), "=" * len(title)]
        elif kind == "section":
            if block.get("text"):
                lines.append(plain(block["text"]["text"], names))
            lines += [
                plain(f["text"], names).replace("\n", ": ", 1) for f in block.get("fields", [])
            ]
        elif kind == "context":
            lines.append(
                "  " + " · ".join(plain(e.get("text", ""), names) for e in block["elements"])
            )
        elif kind == "divider":
            lines.append("-" * 40)
        elif kind == "actions":
            buttons = [e.get("text", {}).get("text", "") for e in block["elements"]]
            lines.append(" ".join(f"[{b}]" for b in buttons))
    return "\n".join(lines)
