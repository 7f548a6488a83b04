"""`/strategic update` (the entry modal) and `/strategic update show [WEEK]` (seeds 000, 001)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.blocks import phrases
from bot.blocks.common import Message
from bot.blocks.updates import UPDATE_FIELDS, entry_saved, update_modal, week_entries
from bot.commands import usage_of
from bot.deps import Deps
from bot.domain.updates import parse_week, validate_entry, week_of
from bot.errors import FieldErrors, UsageError
from bot.ids import Callback
from bot.metadata import UpdateForm
from bot.services import updates as service
from handlers.context import CommandContext, SubCommands
from handlers.forms import on_submit


async def update_command(ctx: CommandContext) -> None:
    accounts = await service.accounts_to_write_about(ctx.deps)
    week = week_of(ctx.deps.today())
    await ctx.open_modal(update_modal(ctx.form_state(UpdateForm), accounts, week))


async def show_command(ctx: CommandContext) -> Message:
    week = parse_week(ctx.rest) if ctx.rest else week_of(ctx.deps.today())
    if isinstance(week, str):
        raise UsageError(phrases.not_a_week(ctx.rest, week, usage_of("update", "show")))
    entries, weeks_open = await service.week_entries(ctx.deps, week)
    return week_entries(week, entries, weeks_open)


SUBCOMMANDS: SubCommands = {("update",): update_command, ("update", "show"): show_command}


def register(app: AsyncApp, deps: Deps) -> None:
    async def save(state: UpdateForm, values: dict[str, str | None], actor: str) -> Message:
        draft = validate_entry(values)
        if isinstance(draft, dict):
            raise FieldErrors(draft)
        return entry_saved(*await service.save_entry(deps, draft, actor))

    on_submit(app, [Callback.UPDATE_ENTRY], UPDATE_FIELDS, UpdateForm, save)
