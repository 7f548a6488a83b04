"""The one slash command, `/strategic`, routed to each feature's sub-commands."""

from __future__ import annotations

import inspect
from typing import Any, cast

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.common import error_message
from bot.commands import USAGES, parse
from bot.deps import Deps
from bot.errors import UsageError
from bot.ids import COMMAND
from handlers.context import CommandContext, Instant, SubCommand, SubCommands
from handlers.errors import reported


def register(app: AsyncApp, deps: Deps, routes: SubCommands) -> None:
    missing = [u.line for u in USAGES if u.words not in routes]
    if missing:
        raise RuntimeError(f"sub-commands with no handler: {missing}")

    @app.command(COMMAND)
    async def strategic(
        ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        # Parsing is pure and fast: a typo is answered in the ack itself.
        try:
            parsed = parse(command.get("text", ""))
        except UsageError as exc:
            await ack(response_type="ephemeral", **error_message(exc.message).as_kwargs())
            return
        handler = routes[parsed.usage.words]
        if not inspect.iscoroutinefunction(handler):
            await ack(response_type="ephemeral", **cast(Instant, handler)().as_kwargs())
            return
        await ack()
        async with reported(command, respond, client):
            await cast(SubCommand, handler)(
                CommandContext(
                    deps=deps,
                    rest=parsed.rest,
                    user_id=command["user_id"],
                    channel_id=command["channel_id"],
                    trigger_id=command["trigger_id"],
                    response_url=command["response_url"],
                    respond=respond,
                    client=client,
                )
            )
