"""`/strategic account …` and the add/edit modal."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.accounts import ACCOUNT_FIELDS, account_card, account_list, account_modal
from bot.blocks.common import Message, info_message
from bot.blocks.forms import read_values
from bot.deps import Deps
from bot.domain.accounts import may_manage, validate_draft
from bot.errors import FieldErrors, UserError
from bot.ids import AccountField, Callback
from bot.metadata import AccountFormState
from bot.services import accounts as service
from handlers.context import CommandContext, SubCommands, reply_privately
from handlers.errors import reported

log = logging.getLogger(__name__)


async def list_command(ctx: CommandContext) -> Message:
    return account_list(await service.list_accounts(ctx.deps))


async def show_command(ctx: CommandContext) -> Message:
    account = await service.get_account(ctx.deps, ctx.rest)
    sensitive = may_manage(account, ctx.user_id, ctx.deps.settings.team.admins)
    return account_card(account, show_sensitive=sensitive)


async def add_command(ctx: CommandContext) -> None:
    await _open_form(ctx, account_modal(_form_state(ctx)))


async def edit_command(ctx: CommandContext) -> None:
    account = await service.account_for_edit(ctx.deps, ctx.rest, ctx.user_id)
    state = _form_state(ctx).model_copy(update={"account_id": account.id})
    await _open_form(ctx, account_modal(state, account))


async def archive_command(ctx: CommandContext) -> Message:
    account = await service.archive_account(ctx.deps, ctx.rest, ctx.user_id)
    return info_message(f"Archived *{account.name}*: it leaves the active list; its history stays.")


def _form_state(ctx: CommandContext) -> AccountFormState:
    return AccountFormState(channel_id=ctx.channel_id, response_url=ctx.response_url)


async def _open_form(ctx: CommandContext, view: Any) -> None:
    await ctx.client.views_open(trigger_id=ctx.trigger_id, view=view)


SUBCOMMANDS: SubCommands = {
    ("account", "list"): list_command,
    ("account", "show"): show_command,
    ("account", "add"): add_command,
    ("account", "edit"): edit_command,
    ("account", "archive"): archive_command,
}


def register(app: AsyncApp, deps: Deps) -> None:
    async def submit(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """Validate and save before the ack, so every error shows next to its field."""
        state = AccountFormState.model_validate_json(view.get("private_metadata") or "{}")
        actor = body["user"]["id"]
        draft = validate_draft(read_values(ACCOUNT_FIELDS, view["state"]))
        try:
            if isinstance(draft, dict):
                raise FieldErrors(draft)
            if state.account_id is None:
                account = await service.create_account(deps, draft, actor)
                verb = "Added"
            else:
                account = await service.edit_account(deps, state.account_id, draft, actor)
                verb = "Saved"
        except FieldErrors as exc:
            await ack(response_action="errors", errors=_by_block(exc.errors))
            return
        except UserError as exc:
            await ack(response_action="errors", errors={AccountField.NAME: exc.message})
            return
        await ack()
        card = account_card(account, show_sensitive=True)
        note = Message(text=f"{verb} {account.name}.", blocks=card.blocks)
        async with reported(body, None, client):
            await _confirm(client, state, actor, note)

    app.view(Callback.ACCOUNT_ADD)(submit)
    app.view(Callback.ACCOUNT_EDIT)(submit)


def _by_block(errors: dict[str, str]) -> dict[str, str]:
    """Every error lands on a block of the form; one about no single field goes on the name."""
    blocks = {spec.block_id for spec in ACCOUNT_FIELDS}
    return {
        (field if field in blocks else AccountField.NAME.value): message
        for field, message in errors.items()
    }


async def _confirm(
    client: AsyncWebClient, state: AccountFormState, user_id: str, message: Message
) -> None:
    """Tell the person where they typed the command; a DM when that response_url expired."""
    if state.response_url:
        status = await reply_privately(client, state.response_url, message)
        if status == 200:
            return
        # A response_url expires after 30 minutes; a modal can stay open longer.
        log.info("response_url answered %s; confirming by DM", status)
    await client.chat_postMessage(channel=user_id, **message.as_kwargs())
