"""Alembic, driven from code so `strategic-bot db upgrade` and start-up share one path.

Alembic's async env runs its own event loop, so these functions are synchronous and
must be called before the app's loop starts or from a worker thread.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import create_async_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    async def read() -> str | None:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(
                    lambda sync_conn: MigrationContext.configure(sync_conn).get_current_revision()
                )
        finally:
            await engine.dispose()

    return asyncio.run(read())


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


def upgrade_if_empty(url: str) -> bool:
    """Create the schema on a database that has none; leave a migrated one alone.

    A database at an older revision is left for `strategic-bot db upgrade`, which an
    operator runs on purpose, rather than being migrated under a running replica.
    """
    if current_revision(url) is not None:
        return False
    upgrade(url)
    return True
