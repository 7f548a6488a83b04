"""Modal submissions, one way for every form: validate and save before the ack, so each
error shows next to its field; then confirm where the person typed the command."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks import phrases
from bot.blocks.common import Message, unescape
from bot.blocks.forms import FieldSpec, read_values
from bot.errors import FieldErrors, UserError
from bot.ids import Callback
from bot.services.replays import handling
from handlers.context import reply_privately
from handlers.errors import reported
from handlers.payloads import response_url_allowed, web_api_host

log = logging.getLogger(__name__)

S = TypeVar("S", bound=BaseModel)
Save = Callable[[S, dict[str, str | None], str], Awaitable[Message | None]]
"""Validates and stores what was typed, checking again who may (the guard runs at submit
too); raises FieldErrors/UserError; returns the confirmation, or None when there is none
to send (the change shows elsewhere, e.g. in an updated channel message)."""


def on_submit(
    app: AsyncApp,
    callback_ids: list[Callback],
    fields: tuple[FieldSpec, ...],
    state_model: type[S],
    save: Save[S],
) -> None:
    """`state_model` is the modal's own private_metadata; a forged or stale one is refused.

    A modal shows its errors as plain text, which pings nobody: the sentences, escaped for
    messages, are unescaped here so "AT&T" does not read "AT&amp;T".
    """
    blocks = {spec.block_id for spec in fields}
    first = fields[0].block_id

    async def submit(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        actor = body["user"]["id"]
        try:
            state = state_model.model_validate_json(view.get("private_metadata") or "{}")
        except ValidationError:
            await ack(response_action="errors", errors={first: phrases.FORM_OUT_OF_DATE})
            return
        try:
            with handling(body):
                confirmation = await save(state, read_values(fields, view["state"]), actor)
        except FieldErrors as exc:
            errors = {(f if f in blocks else first): unescape(m) for f, m in exc.errors.items()}
            await ack(response_action="errors", errors=errors)
            return
        except UserError as exc:
            await ack(response_action="errors", errors={first: unescape(exc.message)})
            return
        await ack()
        if confirmation is not None:
            async with reported(body, None, client):
                reply_to = getattr(state, "response_url", None)
                if not response_url_allowed(reply_to, web_api_host(app)):
                    reply_to = None  # not Slack's: the confirmation goes by DM instead
                await confirm(client, reply_to, actor, confirmation)

    for callback_id in callback_ids:
        app.view(callback_id)(submit)


async def confirm(
    client: AsyncWebClient, response_url: str | None, user_id: str, message: Message
) -> None:
    """Tell the person where they typed the command; a DM when that response_url expired."""
    if response_url:
        status = await reply_privately(client, response_url, message)
        if status == 200:
            return
        # A response_url expires after 30 minutes; a modal can stay open longer.
        log.info("response_url answered %s; confirming by DM", status)
    await client.chat_postMessage(channel=user_id, **message.as_kwargs())
