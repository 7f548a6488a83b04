"""`/strategic health [ACCOUNT]` and `/strategic metrics …`."""

from __future__ import annotations

from bot.blocks import phrases
from bot.blocks.common import Message
from bot.blocks.health import account_health_message, metrics_recorded, portfolio_message
from bot.blocks.plans import plan_line
from bot.commands import usage_of
from bot.domain.metrics import parse_metrics_command
from bot.errors import RowsRejected, UserError
from bot.services import health as service
from bot.services.metrics import record_snapshots
from bot.services.plans import current_plan
from handlers.context import CommandContext, SubCommands


async def health_command(ctx: CommandContext) -> Message:
    if ctx.rest:
        item = await service.account_health(ctx.deps, ctx.rest)
        plan = await current_plan(ctx.deps, item.account.id)
        return account_health_message(item, plan_line(plan, ctx.deps.today()))
    return portfolio_message(await service.portfolio(ctx.deps))


async def metrics_command(ctx: CommandContext) -> Message:
    snapshot = parse_metrics_command(ctx.rest, ctx.deps.today())
    if isinstance(snapshot, dict):
        problems = [f"{field}: {message}" for field, message in snapshot.items()]
        raise UserError(phrases.nothing_recorded(problems, usage_of("metrics")))
    try:
        await record_snapshots(ctx.deps, [(1, snapshot)])
    except RowsRejected as exc:
        problems = [e.message for e in exc.errors]
        raise UserError(phrases.nothing_recorded(problems, usage_of("metrics"))) from None
    return metrics_recorded(snapshot)


SUBCOMMANDS: SubCommands = {("health",): health_command, ("metrics",): metrics_command}
