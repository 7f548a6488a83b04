"""`/strategic account …` and the add/edit modal."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.blocks.accounts import (
    ACCOUNT_FIELDS,
    account_archived,
    account_card,
    account_list,
    account_modal,
    account_saved,
)
from bot.blocks.common import Message
from bot.blocks.needs import account_needs
from bot.blocks.plans import plan_line
from bot.deps import Deps
from bot.domain.accounts import validate_draft
from bot.errors import FieldErrors
from bot.ids import Callback
from bot.metadata import AccountForm
from bot.services import accounts as service
from bot.services.needs import at_a_glance
from bot.services.people import people_count
from bot.services.plans import account_with_plan
from handlers.context import CommandContext, SubCommands
from handlers.forms import on_submit


async def list_command(ctx: CommandContext) -> Message:
    return account_list(await service.list_accounts(ctx.deps))


async def show_command(ctx: CommandContext) -> Message:
    account, plan, sensitive = await account_with_plan(ctx.deps, ctx.rest, ctx.user_id)
    line = plan_line(plan, ctx.deps.today()) if plan else None
    today = ctx.deps.today()
    summary = (await at_a_glance(ctx.deps, today, account.id)).summaries.get(account.id)
    needs = account_needs(account, summary, today) if summary else None
    people = await people_count(ctx.deps, account.id)
    return account_card(
        account,
        show_sensitive=sensitive,
        plan=line,
        needs=needs,
        people=people,
        currency=ctx.deps.settings.team.currency,
    )


async def add_command(ctx: CommandContext) -> None:
    service.check_may_add(ctx.deps, ctx.user_id)
    await ctx.open_modal(account_modal(ctx.form_state(AccountForm)))


async def edit_command(ctx: CommandContext) -> None:
    account = await service.account_for_edit(ctx.deps, ctx.rest, ctx.user_id)
    await ctx.open_modal(account_modal(ctx.form_state(AccountForm, account_id=account.id), account))


async def archive_command(ctx: CommandContext) -> Message:
    return account_archived(await service.archive_account(ctx.deps, ctx.rest, ctx.user_id))


SUBCOMMANDS: SubCommands = {
    ("account", "list"): list_command,
    ("account", "show"): show_command,
    ("account", "add"): add_command,
    ("account", "edit"): edit_command,
    ("account", "archive"): archive_command,
}


def register(app: AsyncApp, deps: Deps) -> None:
    async def save(state: AccountForm, values: dict[str, str | None], actor: str) -> Message:
        draft = validate_draft(values)
        if isinstance(draft, dict):
            raise FieldErrors(draft)
        currency = deps.settings.team.currency
        if state.account_id is None:
            return account_saved(
                await service.create_account(deps, draft, actor), "Added", currency
            )
        edited = await service.edit_account(deps, state.account_id, draft, actor)
        return account_saved(edited, "Saved", currency)

    on_submit(app, [Callback.ACCOUNT_ADD, Callback.ACCOUNT_EDIT], ACCOUNT_FIELDS, AccountForm, save)
