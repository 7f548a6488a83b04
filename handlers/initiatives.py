"""`/strategic initiative add` (a modal: title, owner, due), `/strategic initiatives`, and
each initiative's status menu, in the list and in its owner's reminders."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.blocks.common import Message
from bot.blocks.initiatives import (
    INITIATIVE_FIELDS,
    initiative_added,
    initiative_changed,
    initiative_modal,
    initiatives_message,
)
from bot.deps import Deps
from bot.domain.initiatives import InitiativeStatus, validate_initiative
from bot.errors import FieldErrors
from bot.ids import Action, Callback
from bot.metadata import InitiativeChange, InitiativeForm
from bot.services.initiatives import add_initiative, change_status, list_initiatives
from handlers.buttons import Clicked, on_click
from handlers.context import CommandContext, SubCommands
from handlers.forms import on_submit


async def initiatives_command(ctx: CommandContext) -> Message:
    return initiatives_message(await list_initiatives(ctx.deps), ctx.deps.today())


async def initiative_add_command(ctx: CommandContext) -> None:
    await ctx.open_modal(initiative_modal(ctx.form_state(InitiativeForm), owner=ctx.user_id))


SUBCOMMANDS: SubCommands = {
    ("initiatives",): initiatives_command,
    ("initiative", "add"): initiative_add_command,
}


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_status(click: Clicked[InitiativeChange]) -> None:
        """The status chosen, by its owner or an admin; the menu's message redrawn."""
        chosen = click.value
        changed = await change_status(
            deps, chosen.initiative_id, InitiativeStatus(chosen.status), click.user_id
        )
        today = deps.today()
        if chosen.in_list:
            await click.redraw(initiatives_message(await list_initiatives(deps), today).blocks)
        else:
            await click.redraw(initiative_changed(changed, today).blocks)

    on_click(app, Action.INITIATIVE_STATUS, InitiativeChange, on_status)

    async def save(state: InitiativeForm, values: dict[str, str | None], actor: str) -> Message:
        draft = validate_initiative(values, deps.today())
        if isinstance(draft, dict):
            raise FieldErrors(draft)
        return initiative_added(await add_initiative(deps, draft, actor), deps.today())

    on_submit(app, [Callback.INITIATIVE_ADD], INITIATIVE_FIELDS, InitiativeForm, save)
