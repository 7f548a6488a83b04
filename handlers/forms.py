"""Modal submissions, one way for every form: validate and save before the ack, so each
error shows next to its field; then confirm where the person typed the command."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.common import Message
from bot.blocks.forms import FieldSpec, read_values
from bot.errors import FieldErrors, UserError
from bot.metadata import FormState
from handlers.context import reply_privately
from handlers.errors import reported

log = logging.getLogger(__name__)

Save = Callable[[FormState, dict[str, str | None], str], Awaitable[Message | None]]
"""Validates and stores what was typed; raises FieldErrors/UserError; returns the
confirmation, or None when it answered in place (an updated channel message)."""


def on_submit(
    app: AsyncApp, callback_ids: list[str], fields: tuple[FieldSpec, ...], save: Save
) -> None:
    blocks = {spec.block_id for spec in fields}
    first = fields[0].block_id

    async def submit(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        state = FormState.model_validate_json(view.get("private_metadata") or "{}")
        actor = body["user"]["id"]
        try:
            confirmation = await save(state, read_values(fields, view["state"]), actor)
        except FieldErrors as exc:
            errors = {(f if f in blocks else first): m for f, m in exc.errors.items()}
            await ack(response_action="errors", errors=errors)
            return
        except UserError as exc:
            await ack(response_action="errors", errors={first: exc.message})
            return
        await ack()
        if confirmation is not None:
            async with reported(body, None, client):
                await confirm(client, state, actor, confirmation)

    for callback_id in callback_ids:
        app.view(callback_id)(submit)


async def confirm(client: AsyncWebClient, state: FormState, user_id: str, message: Message) -> None:
    """Tell the person where they typed the command; a DM when that response_url expired."""
    if state.response_url:
        status = await reply_privately(client, state.response_url, message)
        if status == 200:
            return
        # A response_url expires after 30 minutes; a modal can stay open longer.
        log.info("response_url answered %s; confirming by DM", status)
    await client.chat_postMessage(channel=user_id, **message.as_kwargs())
