"""What every use case needs, built once per process and passed in (never global)."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from bot.config import Settings
from storage.db import Database


def utc_now() -> datetime:
    return datetime.now(UTC)


def replica_name() -> str:
    """Names this process in claims and leases, so an operator can tell replicas apart."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class Deps:
    """Settings, the store, the clock and this replica's name; tests pass a fixed clock."""

    settings: Settings
    db: Database
    clock: Callable[[], datetime] = field(default=utc_now)
    replica: str = field(default_factory=replica_name)

    def today(self) -> date:
        """The team's date: a snapshot for "today" in Berlin is not refused as the future."""
        return self.clock().astimezone(self.settings.team.zone).date()
