"""One place where failures become messages: ours as plain advice, the rest with an id."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks import phrases
from bot.blocks.common import error_message
from bot.errors import UserError

log = logging.getLogger(__name__)


def register(app: AsyncApp) -> None:
    app.error(report_error)


async def report_error(
    error: Exception,
    body: dict[str, Any],
    respond: AsyncRespond | None,
    client: AsyncWebClient,
) -> None:
    """Ours become plain advice; anything else is logged with a reference the user can quote."""
    if isinstance(error, UserError):
        text = error.message
    else:
        ref = uuid.uuid4().hex[:8]
        log.error("unhandled error %s", ref, exc_info=error)
        text = phrases.went_wrong(ref)
    await tell_user(body, respond, client, text)


@asynccontextmanager
async def reported(
    body: dict[str, Any], respond: AsyncRespond | None, client: AsyncWebClient
) -> AsyncIterator[None]:
    """Report failures of work done after the ack ourselves, through `report_error`.

    Bolt's async runner, when a listener raises after acking, overwrites the ack with
    None if it has not yet polled it (it polls every 10 ms): Slack then gets a 404 after
    3 s instead of our 200. So post-ack work must not raise into Bolt.
    """
    try:
        yield
    except Exception as exc:
        await report_error(exc, body, respond, client)


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
