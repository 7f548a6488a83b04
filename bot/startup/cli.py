"""`strategic-bot`: serve, socket, demo, db upgrade, import accounts.

Every command starts this module, `--help` included, so it imports typer and rich only:
Bolt, SQLAlchemy, APScheduler, aiohttp, slack_sdk and matplotlib are imported inside the
commands that use them (tests/test_cli_start.py checks it; benchmarks/cli_start.py times it).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from bot.startup import failures, logs
from bot.startup.cli_jobs import jobs_cli, outbox_cli
from bot.startup.setup import State, forget_new_database, prepared_deps, settings

if TYPE_CHECKING:
    from bot.deps import Deps
    from bot.domain.accounts import AccountDraft
    from bot.domain.csv_rows import ParsedCsv
    from bot.startup.importing import Progressed

# Locals in tracebacks could print a token: keep them out.
cli = typer.Typer(
    help="Strategic bot: the strategic accounts team's week, in Slack.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
db_cli = typer.Typer(help="The database.", no_args_is_help=True)
import_cli = typer.Typer(help="Bring in data a team already keeps.", no_args_is_help=True)
export_cli = typer.Typer(help="Write out the team's data.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(import_cli, name="import")
cli.add_typer(export_cli, name="export")
cli.add_typer(jobs_cli, name="jobs")
cli.add_typer(outbox_cli, name="outbox")
err = Console(stderr=True, soft_wrap=True)  # soft wrap: file:line reports stay on one line


def _print_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import PackageNotFoundError, version

        try:
            print(f"strategic-bot {version('strategic-bot')}")
        except PackageNotFoundError:  # run from a checkout without `pip install`
            print("strategic-bot (not installed: `pip install .` records its version)")
        raise typer.Exit()


@cli.callback()
def _options(
    config: Annotated[
        Path | None, typer.Option(help="Team policy TOML file (or STRATEGIC_BOT_CONFIG).")
    ] = None,
    _version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_print_version, help="Print the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="Show the traceback of a failure besides its sentence, and DEBUG logs "
            "(as LOG_LEVEL=DEBUG does).",
        ),
    ] = False,
) -> None:
    State.config = config
    if debug:
        State.debug = True
        logs.configure(replace(logs.from_environment(), level="DEBUG"))


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "0.0.0.0",
    port: Annotated[int, typer.Option(help="Port Slack posts to.")] = 3000,
) -> None:
    """Answer Slack over HTTP: POST /slack/events, GET /healthz."""
    import asyncio

    from aiohttp import web

    from bot.startup.app import create_app, freeze_startup_objects
    from bot.startup.channels import with_channel_ids
    from bot.startup.server import EVENTS_PATH, AccessLog, build_web_app
    from jobs.background import background

    # Bound first: a taken port stops here with one sentence, before the store is created
    # and before the scheduler catches up on jobs whose posts it could then never send.
    listeners = failures.listening_sockets(host, port)
    deps = asyncio.run(with_channel_ids(prepared_deps("slack_bot_token", "slack_signing_secret")))
    web_app = build_web_app(create_app(deps), deps)

    async def close_database(_app: web.Application) -> None:
        await deps.db.dispose()

    async def scheduled_posts(_app: web.Application) -> AsyncIterator[None]:
        async with background(deps):
            yield

    web_app.cleanup_ctx.append(scheduled_posts)
    web_app.on_cleanup.append(close_database)
    freeze_startup_objects()
    bound = listeners[0].getsockname()[1]
    logging.getLogger(__name__).info("listening on http://%s:%s%s", host, bound, EVENTS_PATH)
    # print=None: aiohttp's "Running on" banner is no log line (nor JSON); the line above is.
    web.run_app(web_app, sock=listeners, access_log_class=AccessLog, print=None)


@cli.command()
def socket() -> None:
    """Answer Slack over Socket Mode: no public URL needed."""
    import asyncio
    import signal

    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from bot.startup.app import create_app, freeze_startup_objects, open_http
    from bot.startup.channels import with_channel_ids
    from jobs.background import background

    deps = asyncio.run(with_channel_ids(prepared_deps("slack_bot_token", "slack_app_token")))
    token = deps.settings.slack_app_token
    assert token is not None

    async def run() -> None:
        app = create_app(deps, socket_mode=True)
        freeze_startup_objects()
        http = await open_http(app)
        # SIGTERM (systemd, an orchestrator) closes the connection and the scheduler and
        # exits 0, as `serve` does, instead of dying mid-request.
        stopping = asyncio.Event()
        for stop_signal in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(stop_signal, stopping.set)
        handler = AsyncSocketModeHandler(app, token.get_secret_value())
        try:
            async with background(deps):
                await handler.connect_async()
                await stopping.wait()
                await handler.close_async()
        finally:
            await http.close()
            await deps.db.dispose()

    asyncio.run(run())


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration."""
    from storage.migrate import upgrade

    url = settings().database_url
    with failures.opening_store(url):
        upgrade(url)
    err.print("Database is up to date.")


@db_cli.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy (replaced if it exists).")],
) -> None:
    """Copy the SQLite database while the bot runs (SQLite's online backup): consistent."""
    from bot.startup.backup import BackupRefused, backup

    try:
        done = backup(settings().database_url, file)
    except BackupRefused as exc:
        err.print(str(exc), style="red", markup=False)
        raise typer.Exit(1) from None
    err.print(f"Backed up {done.source} to {done.target} ({done.size:,} bytes).", markup=False)


@import_cli.command("accounts")
def import_accounts_command(
    file: Annotated[
        Path, typer.Argument(help="CSV with a header row; see the README for columns.")
    ],
    actor: Annotated[str, typer.Option(help="Name recorded in the audit log.")] = "cli",
) -> None:
    """Import accounts from CSV: all rows or none; re-importing the same file changes nothing."""
    from bot.domain.account_csv import parse_accounts_csv
    from bot.services.account_import import import_accounts
    from bot.startup.importing import import_file

    async def write(deps: Deps, parsed: ParsedCsv[AccountDraft], progress: Progressed) -> str:
        report = await import_accounts(deps, parsed, actor, progress)
        return f"{report.created} added, {report.updated} updated, {report.unchanged} unchanged."

    code = import_file(prepared_deps(), file, err, parse_accounts_csv, write, "accounts")
    raise typer.Exit(code)


@export_cli.command("accounts")
def export_accounts_command(
    file: Annotated[Path, typer.Argument(help="CSV to write (replaced if it exists).")],
) -> None:
    """Write the active accounts as the CSV `import accounts` reads: the spreadsheet round-trips."""
    from bot.startup.exporting import export_accounts

    deps = prepared_deps()
    try:
        count = export_accounts(deps, file)
    except OSError as exc:
        err.print(f"Cannot write {file}: {exc}", style="red", markup=False)
        raise typer.Exit(1) from None
    err.print(f"{file}: {count} account(s) exported.", markup=False)


@cli.command()
def audit(
    account: Annotated[
        str | None, typer.Option(help="Only this account's changes (its name).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="From this day on, YYYY-MM-DD in the team's time zone.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 200,
) -> None:
    """Who changed what and when, from the audit log, newest first."""
    import asyncio
    import re
    from datetime import UTC, date

    from rich.table import Table

    from bot.blocks.history import what_changed
    from bot.blocks.text import plain
    from bot.domain.audit import LoggedChange
    from bot.errors import NotFound
    from bot.services.history import audit_log_entries

    try:
        day = date.fromisoformat(since) if since else None
    except ValueError:
        shaped = re.fullmatch(r"\d{4}-\d{2}-\d{2}", since or "")
        problem = "that day does not exist" if shaped else "write the day as YYYY-MM-DD"
        err.print(f"--since {since}: {problem}.", style="red", markup=False)
        raise typer.Exit(2) from None
    deps = prepared_deps()

    async def read() -> list[LoggedChange]:
        try:
            return await audit_log_entries(deps, account, day, limit)
        finally:
            await deps.db.dispose()

    try:
        logged = asyncio.run(read())
    except NotFound as exc:
        err.print(plain(exc.message), style="red", markup=False)
        raise typer.Exit(1) from None
    if not logged:
        err.print("No changes recorded" + (" since then." if day else "."), markup=False)
        return
    table = Table("When (UTC)", "Who", "Account", "What", show_lines=True)
    for change in logged:
        about = change.account or f"{change.entity} {change.entity_id}"
        when = change.entry.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        table.add_row(when, change.entry.actor, about, plain(what_changed(change.entry)))
    Console(soft_wrap=False).print(table, markup=False, highlight=False)


@import_cli.command("metrics")
def import_metrics_command(
    file: Annotated[
        Path, typer.Argument(help="CSV: account,day,dau,mau,seats[,assistant_dau,shown,accepted].")
    ],
) -> None:
    """Import daily usage snapshots: all rows or none; a re-sent day replaces the old one."""
    from bot.domain.metrics import SnapshotInput, parse_metrics_csv
    from bot.services.metrics import record_snapshots
    from bot.startup.importing import import_file

    deps = prepared_deps()

    async def write(deps: Deps, parsed: ParsedCsv[SnapshotInput], progress: Progressed) -> str:
        return f"{await record_snapshots(deps, parsed.rows, progress)} snapshot(s) recorded."

    code = import_file(
        deps, file, err, lambda text: parse_metrics_csv(text, deps.today()), write, "metrics"
    )
    raise typer.Exit(code)


@import_cli.command("okrs")
def import_okrs_command(
    file: Annotated[
        Path, typer.Argument(help="YAML: quarter, then teams with objectives and key results.")
    ],
    actor: Annotated[str, typer.Option(help="Name recorded in the audit log.")] = "cli",
) -> None:
    """Import a quarter's OKRs from YAML: all or nothing; re-importing the same file changes
    nothing (check-ins are kept)."""
    from bot.startup.okr_import import import_okr_file

    raise typer.Exit(import_okr_file(prepared_deps(), file, err, actor))


@cli.command()
def demo() -> None:
    """Load a sample portfolio into its own database (./strategic-bot-demo.db, never
    DATABASE_URL) and show what the team would see."""
    import asyncio

    from bot.startup.demo import demo_deps, run_demo

    deps = demo_deps(settings())
    asyncio.run(run_demo(deps, Console()))


def main() -> None:
    """The console script: logging from LOG_LEVEL/LOG_FORMAT, then the command.

    The one place failures an operator fixes (a setting, a database, a port: see
    bot/startup/failures.py) become one sentence and a non-zero exit; --debug or
    LOG_LEVEL=DEBUG add the traceback. Anything else keeps its traceback.
    """
    log_settings = logs.LogSettings()
    try:
        log_settings = logs.from_environment()
        logs.configure(log_settings)
        cli()
    except SystemExit as done:
        if done.code not in (0, None):
            forget_new_database()
        raise
    except Exception as exc:
        known = failures.known_failure(exc)
        if known is None:
            raise
        sentence, code = logs.mask(known[0]), known[1]
        debug = State.debug or log_settings.debug
        shown = logs.mask(failures.formatted_traceback(exc)) if debug else None
        if log_settings.json:  # a log pipeline reads stderr: the failure is a record too
            logging.getLogger("strategic-bot").error(sentence, exc_info=exc if shown else None)
        else:
            if shown:
                print(shown, file=sys.stderr)
            # Not as markup: rich would take `[team]` in the sentence for a style and drop it.
            err.print(sentence, style="red", markup=False, highlight=False)
        forget_new_database()
        sys.exit(code)
