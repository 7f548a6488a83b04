"""What every command of the command line starts from: the settings, and the store with
its schema. Shared by `cli` and `cli_jobs`, so neither imports the other.

Imported by every command, `--help` included: the settings (pydantic), the store
(SQLAlchemy, Alembic) and the rest are imported when a command asks for them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.startup import logs
from bot.startup.failures import opening_store, sqlite_path

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.deps import Deps


class State:
    """The global options (`--config`, `--debug`), read by every sub-command after typer
    parsed them."""

    config: Path | None = None
    debug: bool = False
    """--debug: tracebacks as well as the sentence, and DEBUG logs."""
    new_database: Path | None = None
    """The SQLite file this command created, if it did: a command that fails (a bad CSV, a
    bad argument) removes it again, so a mistake leaves no database behind."""


def settings() -> Settings:
    """The settings; from here on their secrets are masked in every log line."""
    from bot.config import load_settings

    current = load_settings(State.config)
    secrets = [
        current.slack_bot_token,
        current.slack_signing_secret,
        current.slack_app_token,
        current.metrics_api_token,
    ]
    logs.keep_secret(
        urlsplit(current.database_url).password,
        *(s.get_secret_value() for s in secrets if s is not None),
    )
    return current


def prepared_deps(*required: str) -> Deps:
    """Settings (refusing to go on without `required` secrets), and a database with its schema.

    Runs before any event loop: Alembic's async environment brings its own.
    """
    from bot.deps import Deps
    from storage.db import Database
    from storage.migrate import upgrade_if_empty

    current = settings()
    current.require(*required)
    file = sqlite_path(current.database_url)
    new = file is not None and file != ":memory:" and not Path(file).exists()
    with opening_store(current.database_url):
        created = upgrade_if_empty(current.database_url)
    if new and file is not None:
        State.new_database = Path(file)
    if created:
        logging.getLogger(__name__).info("created the database schema")
    return Deps(settings=current, db=Database(current.database_url))


def forget_new_database() -> None:
    """After a failed command: the database file it created, and SQLite's side files."""
    if State.new_database is None:
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{State.new_database}{suffix}").unlink(missing_ok=True)
    State.new_database = None
