"""INSERT … ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base


async def insert_ignoring_conflicts(
    session: AsyncSession, model: type[Base], values: dict[str, Any], unique: list[str]
) -> bool:
    """Insert one row unless its unique columns exist already; True when this call inserted."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(**values).on_conflict_do_nothing(index_elements=unique)
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def insert_many_ignoring_conflicts(
    session: AsyncSession, model: type[Base], rows: list[dict[str, Any]], unique: list[str]
) -> None:
    """Insert the rows whose unique columns do not exist yet, in one statement's batch."""
    if not rows:
        return
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(insert(model).on_conflict_do_nothing(index_elements=unique), rows)


async def upsert_many(
    session: AsyncSession,
    model: type[Base],
    rows: list[dict[str, Any]],
    unique: list[str],
    keep: Collection[str] = (),
) -> None:
    """Insert rows, replacing every other column of a row whose unique columns exist but
    those in `keep` (what stays as first written, such as when it was created)."""
    if not rows:
        return
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model)
    replace = {c: statement.excluded[c] for c in rows[0] if c not in unique and c not in keep}
    await session.execute(
        statement.on_conflict_do_update(index_elements=unique, set_=replace), rows
    )
