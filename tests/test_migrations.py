"""The Alembic migrations build exactly the schema the models describe, on each backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from storage.db import Database
from storage.migrate import head_revision
from storage.models import Base


async def test_migrated_schema_matches_the_models(db: Database) -> None:
    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == head_revision()
        return list(compare_metadata(context, Base.metadata))

    async with db.engine.connect() as connection:
        assert await connection.run_sync(differences) == []
