"""What the delivery engine itself says: the report of a message it could not deliver."""

from __future__ import annotations

from bot.blocks.common import Message, context, section


def delivery_failure(job: str, channel: str, error: str, preview: str) -> Message:
    text = f"Could not deliver a message of job {job} to {channel}: {error}"
    return Message(
        text=text,
        blocks=[
            section(
                f":rotating_light: *Could not deliver* a message of job `{job}` to `{channel}`: "
                f"`{error}`. It will not be retried on its own."
            ),
            context(f"Message: {preview[:200]}"),
            context(
                "Fix the cause (invite the bot, correct the channel), then "
                "`strategic-bot outbox list --status failed` and `outbox retry ID`."
            ),
        ],
    )
