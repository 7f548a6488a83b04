"""What the delivery engine itself says: the report of a message it could not deliver."""

from __future__ import annotations

from bot.blocks.common import Message, clip, context, escape, section
from bot.blocks.text import plain

PREVIEW_LIMIT = 200


def delivery_failure(job: str, channel: str, error: str, preview: str) -> Message:
    """`preview` is the failed message's own fallback text, as it was to be sent.

    The channel comes from the team's configuration and the error from Slack or the
    network: foreign text, escaped. The preview is shown as plain words, escaped again,
    so its mentions do not ping the account's people a second time in the admin channel
    and its clipping cannot cut an entity or a `<…>` in half.
    """
    where, why = escape(channel), escape(error)
    text = f"Could not deliver a message of job {job} to {where}: {why}"
    return Message(
        text=text,
        blocks=[
            section(
                f":rotating_light: *Could not deliver* a message of job `{job}` to `{where}`: "
                f"`{why}`. It will not be retried on its own."
            ),
            context(f"Message: {escape(clip(plain(preview), PREVIEW_LIMIT))}"),
            context(
                "Fix the cause (invite the bot, correct the channel), then "
                "`strategic-bot outbox list --status failed` and `outbox retry ID`."
            ),
        ],
    )
