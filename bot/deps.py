"""What every use case needs, built once per process and passed in (never global)."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from bot.config import Settings
from bot.domain.clock import local_day
from storage.db import Database


def utc_now() -> datetime:
    return datetime.now(UTC)


def replica_name() -> str:
    """Names this process in claims and leases, so an operator can tell replicas apart."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class Doorbell:
    """Rung when a message was queued, so this process's sender looks now rather than at
    its next poll (other replicas still find it by polling).

    Deps are built before any event loop runs, and one process may run several loops in
    turn (a CLI, the tests), so the Event is made on first use in each loop.
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None

    def _current(self) -> asyncio.Event:
        loop = asyncio.get_running_loop()
        if self._event is None or loop is not self._loop:
            self._loop, self._event = loop, asyncio.Event()
        return self._event

    def ring(self) -> None:
        self._current().set()

    async def wait(self) -> None:
        """Until rung; the ring is then used up. One rung while nobody waited is kept."""
        event = self._current()
        await event.wait()
        event.clear()


@dataclass(frozen=True)
class Deps:
    """Settings, the store, the clock and this replica's name; tests pass a fixed clock."""

    settings: Settings
    db: Database
    clock: Callable[[], datetime] = field(default=utc_now)
    replica: str = field(default_factory=replica_name)
    bell: Doorbell = field(default_factory=Doorbell)

    def today(self) -> date:
        """The team's date: a snapshot for "today" in Berlin is not refused as the future."""
        return local_day(self.clock(), self.settings.team.zone)
