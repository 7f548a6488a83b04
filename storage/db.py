"""Engine and sessions: one engine and one session factory per process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

P = ParamSpec("P")
T = TypeVar("T")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Without WAL and a busy timeout, concurrent writers lose writes on SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


UNITS_AT_ONCE = 4
"""Units of work a process runs at once; more wait in line, in order.

Work that follows an ack (a card, a modal's save) queues here instead of crowding the
event loop: a burst of commands is acknowledged at nearly the pace of bare acks and
answered at the pace of the store. Unbounded, every ack waited behind the work of all the
others (benchmarks/ack.py, 50 commands in flight: `account show` p99 2.8-3.0x a bare
ack's with start-up objects frozen, 0.9-1.7x with the line; the cards took as long
either way). It also keeps demand below the connection pool's five connections, so a
burst waits here rather than for a pooled connection, which gives up after 30 s."""

_in_line: ContextVar[bool] = ContextVar("in_line", default=False)
"""Set inside a unit of work, and inherited by the tasks it starts: a unit already
admitted does not queue again for the reads it makes, which could deadlock the line."""


class Database:
    """Owns the engine and the session factory; `session()` is one unit of work."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._line = asyncio.Semaphore(UNITS_AT_ONCE)
        self.engine: AsyncEngine = create_async_engine(url, pool_pre_ping=not is_sqlite(url))
        if is_sqlite(url):
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        # expire_on_commit=False: reading attributes after commit must not lazy-load.
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A transaction: committed when the block ends cleanly, rolled back otherwise."""
        async with self._admitted(), self._sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def _admitted(self) -> AsyncIterator[None]:
        """A place in the line of units of work, unless this task already holds one."""
        if _in_line.get():
            yield
            return
        async with self._line:
            admitted = _in_line.set(True)
            try:
                yield
            finally:
                _in_line.reset(admitted)

    async def read(
        self,
        query: Callable[Concatenate[AsyncSession, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """One query in a session of its own, so that independent reads can run at once
        (`asyncio.gather`), each on its own connection."""
        async with self.session() as session:
            return await query(session, *args, **kwargs)

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()


def after_commit(session: AsyncSession, action: Callable[[], None]) -> None:
    """Run `action` once this session's transaction has committed; never on a rollback."""
    event.listen(session.sync_session, "after_commit", lambda _session: action(), once=True)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")
