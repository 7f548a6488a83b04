"""`/strategic account …` and the add/edit modal."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.blocks.accounts import ACCOUNT_FIELDS, account_card, account_list, account_modal
from bot.blocks.common import Message, info_message
from bot.blocks.plans import plan_line
from bot.deps import Deps
from bot.domain.accounts import may_manage, validate_draft
from bot.errors import FieldErrors
from bot.ids import Callback
from bot.metadata import FormState
from bot.services import accounts as service
from bot.services.plans import account_with_plan
from handlers.context import CommandContext, SubCommands
from handlers.forms import on_submit


async def list_command(ctx: CommandContext) -> Message:
    return account_list(await service.list_accounts(ctx.deps))


async def show_command(ctx: CommandContext) -> Message:
    account, plan = await account_with_plan(ctx.deps, ctx.rest)
    sensitive = may_manage(account, ctx.user_id, ctx.deps.settings.team.admins)
    line = plan_line(plan, ctx.deps.today()) if plan else None
    return account_card(account, show_sensitive=sensitive, plan=line)


async def add_command(ctx: CommandContext) -> None:
    await _open_form(ctx, account_modal(ctx.form_state()))


async def edit_command(ctx: CommandContext) -> None:
    account = await service.account_for_edit(ctx.deps, ctx.rest, ctx.user_id)
    await _open_form(ctx, account_modal(ctx.form_state(account.id), account))


async def archive_command(ctx: CommandContext) -> Message:
    account = await service.archive_account(ctx.deps, ctx.rest, ctx.user_id)
    return info_message(f"Archived *{account.name}*: it leaves the active list; its history stays.")


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
    async def save(state: FormState, values: dict[str, str | None], actor: str) -> Message:
        draft = validate_draft(values)
        if isinstance(draft, dict):
            raise FieldErrors(draft)
        if state.account_id is None:
            account, verb = await service.create_account(deps, draft, actor), "Added"
        else:
            account = await service.edit_account(deps, state.account_id, draft, actor)
            verb = "Saved"
        card = account_card(account, show_sensitive=True)
        return Message(text=f"{verb} {account.name}.", blocks=card.blocks)

    on_submit(app, [Callback.ACCOUNT_ADD, Callback.ACCOUNT_EDIT], ACCOUNT_FIELDS, save)
