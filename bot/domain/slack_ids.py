"""What Slack's IDs look like, for the fields that hold a person or a channel."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

SLACK_USER_PATTERN = r"^[UW][A-Z0-9]{2,}$"
SLACK_CHANNEL_PATTERN = r"^[CG][A-Z0-9]{2,}$"


def _user_ids(values: list[str]) -> list[str]:
    bad = [v for v in values if not re.match(SLACK_USER_PATTERN, v)]
    if bad:
        raise ValueError(f"{', '.join(bad)} are not Slack user IDs (U0123ABCD)")
    return values


def _user_id(value: str) -> str:
    if not re.match(SLACK_USER_PATTERN, value):
        raise ValueError(f"{value} is not a Slack user ID (U0123ABCD)")
    return value


UserIds = Annotated[list[str], AfterValidator(_user_ids)]
"""A setting that names people (admins, members): refused naming each value that is not
a Slack user ID, so a display name typed by mistake never silently matches nobody."""
UserId = Annotated[str, AfterValidator(_user_id)]
"""A setting that names one person (the EM), checked as `UserIds` are."""
