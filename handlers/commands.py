"""The one slash command, `/strategic`, routed to each feature's sub-commands."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.common import Message, error_message
from bot.commands import USAGES, parse
from bot.deps import Deps
from bot.errors import UsageError, UserError
from bot.ids import COMMAND
from bot.services.replays import handling
from handlers.context import CommandContext, SubCommands, reply_privately
from handlers.errors import reported

ACK_BUDGET_SECONDS = 0.0
"""How long an answer may take to ride in the ack itself. Zero: what needs no I/O (help,
usage errors) is in the ack; anything that waits on the store or Slack follows by
response_url, so a busy store never delays the ack (benchmarks/ack.py measures it)."""


def register(app: AsyncApp, deps: Deps, routes: SubCommands) -> None:
    missing = [u.line for u in USAGES if u.words not in routes]
    if missing:
        raise RuntimeError(f"sub-commands with no handler: {missing}")

    @app.command(COMMAND)
    async def strategic(
        ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        """Answer in the ack when the answer is ready at once; otherwise ack, then answer."""
        try:
            parsed = parse(command.get("text", ""))
        except UsageError as exc:
            await ack(response_type="ephemeral", **error_message(exc.message).as_kwargs())
            return
        context = CommandContext(
            deps=deps,
            rest=parsed.rest,
            user_id=command["user_id"],
            channel_id=command["channel_id"],
            trigger_id=command["trigger_id"],
            response_url=command["response_url"],
            client=client,
        )
        with handling(command):  # the task copies the context: its work knows the request
            work = asyncio.ensure_future(routes[parsed.usage.words](context))
        done, _ = await asyncio.wait({work}, timeout=ACK_BUDGET_SECONDS)
        if done:
            await ack(**_ack_body(work))
            return
        await ack()
        async with reported(command, respond, client):
            answer = await work
            if answer is not None:
                await reply_privately(client, context.response_url, answer)


def _ack_body(work: asyncio.Future[Message | None]) -> dict[str, Any]:
    """The finished answer (or our error) as the ack's body; unexpected errors re-raise."""
    error = work.exception()
    if isinstance(error, UserError):
        answer: Message | None = error_message(error.message)
    elif error is not None:
        raise error
    else:
        answer = work.result()
    return {} if answer is None else {"response_type": "ephemeral", **answer.as_kwargs()}
