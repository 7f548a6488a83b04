"""`/strategic renewals [DAYS]`, and the Renewed / Churned buttons of the end-date message."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.common import Message
from bot.blocks.renewals import RENEW_FIELDS, decided, renew_modal, renewals_message
from bot.commands import usage_of
from bot.deps import Deps
from bot.errors import UsageError
from bot.ids import Action, Callback
from bot.metadata import FormState, RenewalDecision
from bot.services.renewals import check_decidable, churn, renew, upcoming_renewals
from handlers.buttons import on_click, replace_message
from handlers.context import CommandContext, SubCommands
from handlers.forms import on_submit


async def renewals_command(ctx: CommandContext) -> Message:
    days = ctx.deps.settings.renewals.list_days
    if ctx.rest:
        if not ctx.rest.isdigit() or not 1 <= int(ctx.rest) <= 3650:
            raise UsageError(f"DAYS is a number of days, 1 to 3650.\n`{usage_of('renewals')}`")
        days = int(ctx.rest)
    items = await upcoming_renewals(ctx.deps, days)
    return renewals_message(items, days, ctx.user_id, ctx.deps.settings.team.admins)


SUBCOMMANDS: SubCommands = {("renewals",): renewals_command}


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_renewed(
        body: dict[str, Any], action: dict[str, Any], _: AsyncRespond, client: AsyncWebClient
    ) -> None:
        """Ask for the new end date in a modal; refuse before opening it if not allowed."""
        decision = RenewalDecision.model_validate_json(action["value"])
        account = await check_decidable(
            deps, decision.account_id, decision.contract_end, body["user"]["id"]
        )
        state = FormState(
            account_id=account.id,
            contract_end=decision.contract_end,
            channel_id=body["channel"]["id"],
            message_ts=body["message"]["ts"],
        )
        await client.views_open(trigger_id=body["trigger_id"], view=renew_modal(account, state))

    async def on_churned(
        body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond, _: AsyncWebClient
    ) -> None:
        decision = RenewalDecision.model_validate_json(action["value"])
        user_id = body["user"]["id"]
        await churn(deps, decision.account_id, decision.contract_end, user_id)
        outcome = f":x: Churned, marked by <@{user_id}>."
        await replace_message(respond, body, decided(body["message"]["blocks"], outcome))

    on_click(app, Action.RENEWED, on_renewed)
    on_click(app, Action.CHURNED, on_churned)

    async def save_renewal(
        state: FormState, values: dict[str, str | None], actor: str
    ) -> Message | None:
        """Renew, then turn the end-date question in the channel into its answer."""
        assert state.account_id is not None and state.contract_end is not None
        new_end = values.get("new_end")
        account = await renew(
            deps,
            state.account_id,
            state.contract_end,
            date.fromisoformat(new_end) if new_end else None,
            actor,
        )
        if state.channel_id and state.message_ts:
            history = await app.client.conversations_history(
                channel=state.channel_id, latest=state.message_ts, inclusive=True, limit=1
            )
            original = (history.get("messages") or [{}])[0]
            outcome = f":white_check_mark: Renewed until {account.contract_end}, by <@{actor}>."
            await app.client.chat_update(
                channel=state.channel_id,
                ts=state.message_ts,
                text=original.get("text", ""),
                blocks=decided(original.get("blocks", []), outcome),
            )
        return None

    on_submit(app, [Callback.RENEW], RENEW_FIELDS, save_renewal)
