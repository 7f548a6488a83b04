"""`/strategic plan ACCOUNT`: the get-well plan modal (seed 004)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.blocks.common import Message
from bot.blocks.plans import PLAN_FIELDS, plan_modal, plan_saved
from bot.deps import Deps
from bot.domain.plans import validate_plan
from bot.errors import FieldErrors
from bot.ids import Callback
from bot.metadata import PlanForm
from bot.services.plans import plan_for_edit, save_plan
from handlers.context import CommandContext, SubCommands
from handlers.forms import on_submit


async def plan_command(ctx: CommandContext) -> None:
    account, plan = await plan_for_edit(ctx.deps, ctx.rest, ctx.user_id)
    await ctx.open_modal(plan_modal(account, ctx.form_state(PlanForm, account_id=account.id), plan))


SUBCOMMANDS: SubCommands = {("plan",): plan_command}


def register(app: AsyncApp, deps: Deps) -> None:
    async def save(state: PlanForm, values: dict[str, str | None], actor: str) -> Message:
        draft = validate_plan(values, deps.today())
        if isinstance(draft, dict):
            raise FieldErrors(draft)
        return plan_saved(await save_plan(deps, state.account_id, draft, actor), deps.today())

    on_submit(app, [Callback.PLAN], PLAN_FIELDS, PlanForm, save)
