"""What every command of the command line starts from: the settings, and the store with
its schema. Shared by `cli` and `cli_jobs`, so neither imports the other."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.config import Settings, load_settings
from bot.deps import Deps
from storage.db import Database
from storage.migrate import upgrade_if_empty


class State:
    """The global `--config` option, read by every sub-command after typer parsed it."""

    config: Path | None = None


def settings() -> Settings:
    return load_settings(State.config)


def prepared_deps(*required: str) -> Deps:
    """Settings (refusing to go on without `required` secrets), and a database with its schema.

    Runs before any event loop: Alembic's async environment brings its own.
    """
    current = settings()
    current.require(*required)
    if upgrade_if_empty(current.database_url):
        logging.getLogger(__name__).info("created the database schema")
    return Deps(settings=current, db=Database(current.database_url))
