"""`strategic-bot jobs …` and `strategic-bot outbox …`: the operator's view of scheduled posts.

Imported by every command (bot/startup/cli.py), so the store, Slack and the jobs' own
modules are imported inside the commands that use them. `jobs list` needs neither the
store nor a job's plan: it reads the settings and the catalog's schedules, and starts in
a fraction of a second (benchmarks/cli_start.py).
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from bot.domain.outbox import STATUSES
from bot.startup.setup import prepared_deps, settings

if TYPE_CHECKING:
    from bot.deps import Deps
    from bot.domain.outbox import QueuedMessage
    from jobs.catalog import ScheduledJob
    from jobs.job import Outbound

jobs_cli = typer.Typer(help="Scheduled jobs.", no_args_is_help=True)
outbox_cli = typer.Typer(help="Messages queued by jobs.", no_args_is_help=True)
# Piped output keeps whole keys and errors: no terminal width to fit, so no truncation.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 240)
err = Console(stderr=True, soft_wrap=True)


def _period(text: str) -> timedelta:
    match = re.fullmatch(r"(\d+)([dhm])", text.strip())
    if not match:
        raise typer.BadParameter("write a period such as 7d, 12h or 30m")
    amount, unit = int(match[1]), match[2]
    return timedelta(**{{"d": "days", "h": "hours", "m": "minutes"}[unit]: amount})


def _at(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter("write an ISO date-time such as 2026-11-27T09:00+01:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _job(jobs: dict[str, ScheduledJob], name: str) -> ScheduledJob:
    from bot.config import ConfigError

    if name not in jobs:
        known = ", ".join(sorted(jobs)) or "none are configured"
        raise ConfigError(f"There is no job named {name}; the jobs are: {known}.")
    return jobs[name]


@jobs_cli.command("list")
def list_jobs(
    next_: Annotated[
        str | None, typer.Option("--next", help="Also list every occurrence within, e.g. 7d.")
    ] = None,
) -> None:
    """Each job, its schedule and its next run (in the team's time zone)."""
    from rich.table import Table

    from jobs.catalog import load_jobs

    jobs = load_jobs(settings())  # no store: the schedules are all it shows
    now = datetime.now(UTC)
    table = Table("job", "schedule", "time zone", "next run", "what it does")
    for scheduled in jobs.values():
        upcoming = scheduled.schedule.next_after(now)
        table.add_row(
            scheduled.job.name,
            scheduled.job.cron,
            scheduled.schedule.timezone,
            upcoming.astimezone(scheduled.schedule.zone).isoformat() if upcoming else "never",
            scheduled.job.description,
        )
    out.print(table if jobs else "No jobs are configured.")
    if next_:
        horizon = now + _period(next_)
        rows = sorted(
            (moment, name)
            for name, scheduled in jobs.items()
            for moment in scheduled.schedule.occurrences(now, horizon)
        )
        for moment, name in rows:
            out.print(f"{moment.astimezone(jobs[name].schedule.zone).isoformat()}  {name}")


@jobs_cli.command("run")
def run_job(
    name: Annotated[str, typer.Argument(help="The job, as `jobs list` names it.")],
    at: Annotated[
        str | None, typer.Option(help="Run the occurrence as of this ISO date-time (default now).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option(help="Print what would be posted; write nothing.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --dry-run, print the blocks.")
    ] = False,
    wait: Annotated[float, typer.Option(help="Seconds to wait for delivery.")] = 300.0,
) -> None:
    """Run one occurrence now: through the outbox, or printed with --dry-run."""
    if as_json and not dry_run:
        raise typer.BadParameter("prints a dry run's blocks: add --dry-run", param_hint="--json")
    # Everything a real run needs is checked before the store is even opened: a claimed
    # occurrence with its posts queued and no token to send them would go out at the
    # next `serve`.
    from jobs.catalog import load_jobs

    scheduled = _job(load_jobs(settings()), name)
    occurrence = scheduled.schedule.latest(_at(at))
    deps = prepared_deps() if dry_run else prepared_deps("slack_bot_token")
    code = asyncio.run(_run(deps, scheduled, occurrence, dry_run, as_json, wait))
    raise typer.Exit(code)


async def _run(
    deps: Deps,
    scheduled: ScheduledJob,
    occurrence: datetime,
    dry_run: bool,
    as_json: bool,
    wait: float,
) -> int:
    from bot.startup.channels import with_channel_ids
    from jobs.delivery import Delivery, deliver_occurrence, delivery_client
    from jobs.runner import plan_only, run_occurrence
    from storage import outbox

    try:
        if dry_run:
            plan = await plan_only(deps, scheduled, occurrence)
            _print_plan(scheduled.job.name, occurrence, plan.messages, as_json)
            return 0
        deps = await with_channel_ids(deps)
        result = await run_occurrence(deps, scheduled, occurrence)
        if not result.ran:
            err.print(
                f"{scheduled.job.name} for {occurrence.isoformat()} had already run; "
                "delivering whatever of it is still queued."
            )
        delivery = Delivery(deps, delivery_client(deps))
        rows = await deliver_occurrence(deps, delivery, scheduled.job.name, occurrence, wait)
    finally:
        await deps.db.dispose()
    failed = [r for r in rows if r.status != outbox.SENT]
    for row in rows:
        err.print(
            f"{row.status:8} {row.channel:14} {row.key}"
            + (f"  {row.last_error}" if row.last_error else "")
        )
    if failed:
        err.print(f"{len(failed)} of {len(rows)} message(s) not delivered.", style="red")
        return 1
    err.print(f"{len(rows)} message(s) delivered.")
    return 0


def _print_plan(job: str, occurrence: datetime, messages: list[Outbound], as_json: bool) -> None:
    from bot.blocks.text import to_text

    if as_json:
        payload = [{"channel": m.channel, **m.message.as_kwargs()} for m in messages]
        out.print_json(
            json.dumps({"job": job, "occurrence": occurrence.isoformat(), "messages": payload})
        )
        return
    out.print(
        f"{job} as of {occurrence.isoformat()}: {len(messages)} message(s) (dry run, nothing sent)"
    )
    for item in messages:
        kwargs = item.message.as_kwargs()
        out.print(f"\n→ {item.channel}", style="bold")
        out.print(to_text(kwargs["blocks"]) or kwargs["text"], markup=False, highlight=False)


@outbox_cli.command("list")
def list_outbox(
    status: Annotated[str | None, typer.Option(help="pending, sending, sent or failed.")] = None,
) -> None:
    """The newest queued messages, with their state and last error."""
    if status is not None and status not in STATUSES:
        raise typer.BadParameter(f"status must be one of {', '.join(STATUSES)}")
    from rich.table import Table

    from storage import outbox

    deps = prepared_deps()

    async def read() -> list[QueuedMessage]:
        try:
            async with deps.db.session() as session:
                return await outbox.listing(session, status)
        finally:
            await deps.db.dispose()

    table = Table("id", "status", "channel", "job", "attempts", "key", "last error")
    for row in asyncio.run(read()):
        table.add_row(
            str(row.id),
            row.status,
            row.channel,
            row.job,
            str(row.attempts),
            row.key,
            row.last_error or "",
        )
    out.print(table)


@outbox_cli.command("retry")
def retry_outbox(
    message_id: Annotated[int, typer.Argument(help="The id `outbox list` shows.")],
) -> None:
    """Queue a failed message again, once its cause is fixed."""
    from storage import outbox

    deps = prepared_deps()

    async def requeue() -> bool:
        try:
            async with deps.db.session() as session:
                return await outbox.retry(session, message_id, now=deps.clock())
        finally:
            await deps.db.dispose()

    if not asyncio.run(requeue()):
        err.print(
            f"No failed message has id {message_id}; `outbox list --status failed` shows them."
        )
        raise typer.Exit(1)
    err.print(f"Message {message_id} is queued again; a running app delivers it within seconds.")
