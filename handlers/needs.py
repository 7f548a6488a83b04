"""`/strategic need ACCOUNT` and `needs [ACCOUNT]`, a need card's status menu, its rollout
button and modal, and its steps' Done buttons (issue 15)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.blocks.common import Message
from bot.blocks.needs import (
    NEED_FIELDS,
    ROLLOUT_FIELDS,
    need_modal,
    need_raised,
    need_redrawn,
    needs_message,
    rollout_modal,
    rollout_saved,
)
from bot.deps import Deps
from bot.domain.needs import validate_need, validate_rollout
from bot.ids import Action, Callback
from bot.metadata import NeedForm, NeedRef, NeedStatusChoice, RolloutForm, StepDone
from bot.services import needs as service
from handlers.buttons import Clicked, on_click
from handlers.context import CommandContext, SubCommands
from handlers.forms import on_submit


async def need_command(ctx: CommandContext) -> None:
    """Refused before the modal opens if not allowed; checked again at submit."""
    account = await service.account_for_need(ctx.deps, ctx.rest, ctx.user_id)
    await ctx.open_modal(need_modal(account, ctx.form_state(NeedForm, account_id=account.id)))


async def needs_command(ctx: CommandContext) -> Message:
    found = await service.open_needs(ctx.deps, ctx.rest or None)
    return needs_message(found.needs, found.accounts, ctx.deps.today(), found.one)


SUBCOMMANDS: SubCommands = {("need",): need_command, ("needs",): needs_command}


def register(app: AsyncApp, deps: Deps) -> None:
    async def save_need(state: NeedForm, values: dict[str, str | None], actor: str) -> Message:
        account, need = await service.raise_need(
            deps, state.account_id, validate_need(values), actor
        )
        return need_raised(account, need, deps.today())

    on_submit(app, [Callback.NEED], NEED_FIELDS, NeedForm, save_need)

    async def on_status(click: Clicked[NeedStatusChoice]) -> None:
        """The menu's chosen option carries the status; the card is redrawn in place."""
        chosen = click.value
        account, need = await service.change_status(
            deps, chosen.account_id, chosen.need_id, chosen.status, click.user_id
        )
        await click.redraw(need_redrawn(click.message_blocks, account, need, deps.today()))

    on_click(app, Action.NEED_STATUS, NeedStatusChoice, on_status)

    async def on_rollout(click: Clicked[NeedRef]) -> None:
        """Open the rollout modal; refused before it opens if not allowed."""
        ref = click.value
        account, need = await service.rollout_target(
            deps, ref.account_id, ref.need_id, click.user_id
        )
        state = RolloutForm(
            account_id=account.id,
            need_id=need.id,
            channel_id=(click.body.get("channel") or {}).get("id"),
            response_url=click.body.get("response_url"),
        )
        await click.client.views_open(
            trigger_id=click.body["trigger_id"], view=rollout_modal(account, need, state)
        )

    on_click(app, Action.ROLLOUT_OPEN, NeedRef, on_rollout)

    async def save_rollout(
        state: RolloutForm, values: dict[str, str | None], actor: str
    ) -> Message:
        account, need = await service.set_rollout(
            deps, state.account_id, state.need_id, validate_rollout(values), actor
        )
        return rollout_saved(account, need, deps.today())

    on_submit(app, [Callback.ROLLOUT], ROLLOUT_FIELDS, RolloutForm, save_rollout)

    async def on_step_done(click: Clicked[StepDone]) -> None:
        done = click.value
        account, need = await service.mark_step_done(
            deps, done.account_id, done.need_id, done.step, click.user_id
        )
        await click.redraw(need_redrawn(click.message_blocks, account, need, deps.today()))

    on_click(app, Action.STEP_DONE, StepDone, on_step_done)
