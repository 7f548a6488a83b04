"""One place where failures become messages: ours as plain advice, the rest with an id."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.common import error_message
from bot.errors import UserError

log = logging.getLogger(__name__)


def register(app: AsyncApp) -> None:
    @app.error
    async def on_error(
        error: Exception,
        body: dict[str, Any],
        respond: AsyncRespond | None,
        client: AsyncWebClient,
    ) -> None:
        if isinstance(error, UserError):
            text = error.message
        else:
            ref = uuid.uuid4().hex[:8]
            log.exception("unhandled error %s", ref, exc_info=error)
            text = f"Something went wrong on our side (reference {ref}). Nothing was changed; try again."
        await tell_user(body, respond, client, text)


async def tell_user(
    body: dict[str, Any], respond: AsyncRespond | None, client: AsyncWebClient, text: str
) -> None:
    """Ephemeral where Slack gave a response_url; otherwise a DM, the only private place left."""
    message = error_message(text).as_kwargs()
    if respond is not None and (body.get("response_url") or body.get("response_urls")):
        await respond(response_type="ephemeral", replace_original=False, **message)
        return
    user_id = body.get("user_id") or (body.get("user") or {}).get("id")
    if user_id:
        await client.chat_postMessage(channel=user_id, **message)
