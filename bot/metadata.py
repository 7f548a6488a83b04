"""State that rides on a modal's private_metadata or a button's value, typed both ways."""

from __future__ import annotations

from pydantic import BaseModel


class FormState(BaseModel):
    """What a modal remembers between opening and submit: what it edits, where to answer."""

    account_id: int | None = None
    channel_id: str | None = None
    response_url: str | None = None


class HealthAck(BaseModel):
    """Rides on an alert's Acknowledge button: which account, and the status it alerted."""

    account_id: int
    status: str
