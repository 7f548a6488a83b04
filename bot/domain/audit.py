"""An entry of the audit log, as the store hands it out: who did what, when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    changes: dict[str, Any]
    """Field -> [old, new]."""
    note: str | None = None
