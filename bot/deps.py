"""What every use case needs, built once per process and passed in (never global)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.config import Settings
from storage.db import Database


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    """Settings, the store and the clock; tests pass a fixed clock."""

    settings: Settings
    db: Database
    clock: Callable[[], datetime] = field(default=utc_now)
