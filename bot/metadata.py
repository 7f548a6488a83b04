"""State that rides on a modal's private_metadata or a button's value, typed both ways."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class FormState(BaseModel):
    """What a modal remembers between opening and submit: what it edits, where to answer."""

    account_id: int | None = None
    channel_id: str | None = None
    response_url: str | None = None
    contract_end: date | None = None
    message_ts: str | None = None
    """The channel message the modal was opened from, to update once it is submitted."""


class HealthAck(BaseModel):
    """Rides on an alert's Acknowledge button: which account, and the status it alerted."""

    account_id: int
    status: str


class JourneyDone(BaseModel):
    """Rides on a Mark done button: the activity, and the contract it belongs to."""

    account_id: int
    contract_end: date
    activity: str


class RenewalDecision(BaseModel):
    """Rides on the Renewed / Churned buttons: the account and the contract end at stake."""

    account_id: int
    contract_end: date
