"""An entry of the audit log, as the store hands it out: who did what, when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.accounts import Account


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    changes: dict[str, Any]
    """Field -> [old, new]."""
    note: str | None = None


@dataclass(frozen=True)
class LoggedChange:
    """An audit entry with what it is about, for reading the log across accounts."""

    entry: AuditEntry
    entity: str
    entity_id: int
    account: str | None = None
    """The account's name as it is now, when the entry is about an account still stored."""


@dataclass(frozen=True)
class AccountHistory:
    """An account's newest audit entries, newest first, and how many it has in all."""

    account: Account
    entries: list[AuditEntry]
    total: int
