"""`/strategic renewals [DAYS]`, and the Renewed / Churned buttons of the end-date message."""

from __future__ import annotations

from datetime import date

from slack_bolt.async_app import AsyncApp

from bot.blocks import phrases
from bot.blocks.common import Message
from bot.blocks.renewals import (
    RENEW_FIELDS,
    churned_outcome,
    decided,
    renew_modal,
    renewals_message,
)
from bot.commands import usage_of
from bot.deps import Deps
from bot.errors import UsageError
from bot.ids import Action, Callback
from bot.metadata import RenewalDecision, RenewForm
from bot.services.renewals import check_decidable, churn, renew, upcoming_renewals
from handlers.buttons import Clicked, on_click
from handlers.context import CommandContext, SubCommands
from handlers.forms import on_submit


async def renewals_command(ctx: CommandContext) -> Message:
    days = ctx.deps.settings.renewals.list_days
    if ctx.rest:
        if not ctx.rest.isdigit() or not 1 <= int(ctx.rest) <= 3650:
            raise UsageError(phrases.days_out_of_range(usage_of("renewals")))
        days = int(ctx.rest)
    found = await upcoming_renewals(ctx.deps, days, ctx.user_id)
    return renewals_message(found, days, ctx.deps.settings.team.currency)


SUBCOMMANDS: SubCommands = {("renewals",): renewals_command}


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_renewed(click: Clicked[RenewalDecision]) -> None:
        """Ask for the new end date in a modal; refuse before opening it if not allowed."""
        decision = click.value
        account = await check_decidable(
            deps, decision.account_id, decision.contract_end, click.user_id
        )
        state = RenewForm(account_id=account.id, contract_end=decision.contract_end)
        await click.client.views_open(
            trigger_id=click.body["trigger_id"], view=renew_modal(account, state)
        )

    async def on_churned(click: Clicked[RenewalDecision]) -> None:
        decision = click.value
        await churn(deps, decision.account_id, decision.contract_end, click.user_id)
        await click.redraw(decided(click.message_blocks, churned_outcome(click.user_id)))

    on_click(app, Action.RENEWED, RenewalDecision, on_renewed)
    on_click(app, Action.CHURNED, RenewalDecision, on_churned)

    async def save_renewal(
        state: RenewForm, values: dict[str, str | None], actor: str
    ) -> Message | None:
        """Renew; the end-date question in the channel turns into its answer (queued)."""
        new_end = values.get("new_end")
        end = date.fromisoformat(new_end) if new_end else None
        await renew(deps, state.account_id, state.contract_end, end, actor)
        return None

    on_submit(app, [Callback.RENEW], RENEW_FIELDS, RenewForm, save_renewal)
