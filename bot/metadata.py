"""State that rides on a modal's private_metadata or a button's value, typed both ways."""

from __future__ import annotations

from pydantic import BaseModel


class AccountFormState(BaseModel):
    """What the account modal needs to remember between opening and submit."""

    account_id: int | None = None
    channel_id: str | None = None
    response_url: str | None = None
