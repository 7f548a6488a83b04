"""`/strategic nominate` and `nominations [pending|all]`, the approvals post's Approve and
Reject, the reason modal, and Withdraw (issue 12)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.blocks import phrases
from bot.blocks.common import Message
from bot.blocks.partners import (
    NOMINATION_FIELDS,
    REASON_FIELDS,
    nominated,
    nomination_modal,
    nominations_message,
    reason_modal,
    withdrawn_in_list,
)
from bot.commands import usage_of
from bot.deps import Deps
from bot.domain.partners import Vote, validate_nomination, validate_reason
from bot.errors import FieldErrors, UsageError
from bot.ids import Action, Callback
from bot.metadata import NominationForm, NominationReason, NominationRef
from bot.services import partners as service
from bot.services.partners import Approvers, NeedsOverride
from handlers.buttons import Clicked, on_click
from handlers.context import CommandContext, SubCommands
from handlers.forms import on_submit
from handlers.membership import group_reader

SHOWN = {"": True, "pending": True, "all": False}
"""`nominations` with nothing after it, `pending` or `all`: whether only pending show."""


async def nominate_command(ctx: CommandContext) -> None:
    await ctx.open_modal(nomination_modal(ctx.form_state(NominationForm)))


async def nominations_command(ctx: CommandContext) -> Message:
    which = ctx.rest.strip().lower()
    if which not in SHOWN:
        raise UsageError(phrases.nominations_which(usage_of("nominations")))
    pending_only = SHOWN[which]
    found = await service.nominations(ctx.deps, pending_only=pending_only)
    return nominations_message(found, ctx.user_id, pending_only)


SUBCOMMANDS: SubCommands = {("nominate",): nominate_command, ("nominations",): nominations_command}


def approvers_of(app: AsyncApp, deps: Deps) -> Approvers:
    """Who decides, the approvers' group read through the app's own client."""
    return Approvers(deps.settings, group_reader(app.client))


def register(app: AsyncApp, deps: Deps) -> None:
    approvers = approvers_of(app, deps)

    async def on_approve(click: Clicked[NominationRef]) -> None:
        """Approve at once while the gate is met; else ask for the override reason first.
        The approvals post itself is edited through the outbox, not by this click."""
        outcome = await service.approve(deps, approvers, click.value.nomination_id, click.user_id)
        if isinstance(outcome, NeedsOverride):
            state = NominationReason(nomination_id=outcome.nomination.id, vote="approve")
            await click.client.views_open(
                trigger_id=click.body["trigger_id"], view=reason_modal(outcome.nomination, state)
            )

    async def on_reject(click: Clicked[NominationRef]) -> None:
        """A rejection needs its reason: refused before the modal opens if not allowed."""
        nomination = await service.check_decidable(
            deps, approvers, click.value.nomination_id, click.user_id
        )
        state = NominationReason(nomination_id=nomination.id, vote="reject")
        await click.client.views_open(
            trigger_id=click.body["trigger_id"], view=reason_modal(nomination, state)
        )

    async def on_withdraw(click: Clicked[NominationRef]) -> None:
        withdrawn = await service.withdraw(deps, click.value.nomination_id, click.user_id)
        await click.redraw(withdrawn_in_list(click.message_blocks, withdrawn))

    on_click(app, Action.NOMINATION_APPROVE, NominationRef, on_approve)
    on_click(app, Action.NOMINATION_REJECT, NominationRef, on_reject)
    on_click(app, Action.NOMINATION_WITHDRAW, NominationRef, on_withdraw)

    async def save_nomination(
        state: NominationForm, values: dict[str, str | None], actor: str
    ) -> Message:
        draft = validate_nomination(values)
        if isinstance(draft, dict):
            raise FieldErrors(draft)
        nomination = await service.nominate(deps, draft, actor)
        return nominated(nomination, deps.settings.partners_channel())

    async def save_reason(
        state: NominationReason, values: dict[str, str | None], actor: str
    ) -> Message | None:
        """The vote with its reason; the approvals post shows it (queued), so no answer."""
        reason = validate_reason(values.get("reason"))
        if isinstance(reason, dict):
            raise FieldErrors(reason)
        vote = Vote(state.vote)
        await service.vote_with_reason(deps, approvers, state.nomination_id, vote, reason, actor)
        return None

    on_submit(app, [Callback.NOMINATE], NOMINATION_FIELDS, NominationForm, save_nomination)
    on_submit(app, [Callback.NOMINATION_REASON], REASON_FIELDS, NominationReason, save_reason)
