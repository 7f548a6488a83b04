"""The audit log: who changed what, when, with the fields before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditRow


def record(
    session: AsyncSession,
    *,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: int,
    changes: dict[str, Any],
    note: str | None = None,
) -> None:
    """Added to the caller's transaction: the change and its record commit together."""
    session.add(
        AuditRow(
            at=at,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            changes=changes,
            note=note,
        )
    )
