"""`/strategic okr [TEAM] [QUARTER]`, `okr add`, `okr history KR`, and the check-in DM's
button and modal (issue 14)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.blocks.common import Message
from bot.blocks.okrs import (
    ADD_FIELDS,
    CHECKIN_FIELDS,
    add_modal,
    checked_in,
    checkin_modal,
    checkins_message,
    key_result_added,
    okrs_message,
)
from bot.deps import Deps
from bot.domain.okrs import validate_checkin, validate_new_key_result
from bot.errors import FieldErrors
from bot.ids import Action, Callback
from bot.metadata import CheckinForm, CheckinRef, OkrForm
from bot.services.okrs import (
    add_key_result,
    check_in,
    checkin_target,
    current_quarter,
    key_result_history,
    may_add,
    okrs_asked,
)
from handlers.buttons import Clicked, on_click
from handlers.context import CommandContext, SubCommands
from handlers.forms import on_submit


async def okr_command(ctx: CommandContext) -> Message:
    asked = await okrs_asked(ctx.deps, ctx.rest)
    return okrs_message(asked.okrs, asked.team)


async def okr_add_command(ctx: CommandContext) -> None:
    """Refused before the modal opens; checked again at submit."""
    may_add(ctx.deps, ctx.user_id)
    state = ctx.form_state(OkrForm)
    await ctx.open_modal(add_modal(state, current_quarter(ctx.deps)))


async def okr_history_command(ctx: CommandContext) -> Message:
    return checkins_message(*await key_result_history(ctx.deps, ctx.rest))


SUBCOMMANDS: SubCommands = {
    ("okr",): okr_command,
    ("okr", "add"): okr_add_command,
    ("okr", "history"): okr_history_command,
}


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_check_in(click: Clicked[CheckinRef]) -> None:
        """Open the check-in modal; refused before it opens if not the owner or an admin."""
        stored = await checkin_target(deps, click.value.key_result_id, click.user_id)
        state = CheckinForm(key_result_id=click.value.key_result_id, sent=click.value.sent)
        await click.client.views_open(
            trigger_id=click.body["trigger_id"], view=checkin_modal(stored, state)
        )

    on_click(app, Action.OKR_CHECKIN, CheckinRef, on_check_in)

    async def save_checkin(
        state: CheckinForm, values: dict[str, str | None], actor: str
    ) -> Message:
        draft = validate_checkin(values)
        if isinstance(draft, dict):
            raise FieldErrors(draft)
        return checked_in(await check_in(deps, state.key_result_id, draft, actor, state.sent))

    on_submit(app, [Callback.OKR_CHECKIN], CHECKIN_FIELDS, CheckinForm, save_checkin)

    async def save_key_result(state: OkrForm, values: dict[str, str | None], actor: str) -> Message:
        may_add(deps, actor)  # before the fields: an outsider learns nothing from them
        new = validate_new_key_result(values, deps.settings.team.fiscal_year_start_month)
        if isinstance(new, dict):
            raise FieldErrors(new)
        return key_result_added(await add_key_result(deps, new, actor))

    on_submit(app, [Callback.OKR_ADD], ADD_FIELDS, OkrForm, save_key_result)
