"""`/strategic people ACCOUNT`: the account's champions and advocates, with Add (a modal)
and Remove; the account's owners and admins change them, checked at each click and at
the modal's submit."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.blocks.common import Message
from bot.blocks.people import PERSON_FIELDS, people_message, person_modal
from bot.deps import Deps
from bot.domain.people import validate_person
from bot.errors import FieldErrors
from bot.ids import Action, Callback
from bot.metadata import PeopleRef, PersonForm, PersonRef
from bot.services.people import add_person, check_may_manage, people_of, remove_person
from handlers.buttons import Clicked, on_click
from handlers.context import CommandContext, SubCommands
from handlers.forms import on_submit


async def people_command(ctx: CommandContext) -> Message:
    return people_message(*await people_of(ctx.deps, ctx.rest))


SUBCOMMANDS: SubCommands = {("people",): people_command}


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_add(click: Clicked[PeopleRef]) -> None:
        """Open the Add modal; refused before it opens to anyone who may not."""
        account = await check_may_manage(deps, click.value.account_id, click.user_id)
        state = PersonForm(
            account_id=account.id,
            channel_id=(click.body.get("channel") or {}).get("id"),
            response_url=click.body.get("response_url"),
        )
        await click.client.views_open(
            trigger_id=click.body["trigger_id"], view=person_modal(account, state)
        )

    async def on_remove(click: Clicked[PersonRef]) -> None:
        account, people = await remove_person(deps, click.value.person_id, click.user_id)
        await click.redraw(people_message(account, people).blocks)

    on_click(app, Action.PEOPLE_ADD, PeopleRef, on_add)
    on_click(app, Action.PERSON_REMOVE, PersonRef, on_remove)

    async def save(state: PersonForm, values: dict[str, str | None], actor: str) -> Message:
        await check_may_manage(deps, state.account_id, actor)  # before the fields are read
        draft = validate_person(values)
        if isinstance(draft, dict):
            raise FieldErrors(draft)
        return people_message(*await add_person(deps, state.account_id, draft, actor))

    on_submit(app, [Callback.PERSON_ADD], PERSON_FIELDS, PersonForm, save)
