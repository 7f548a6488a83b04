"""People at the customer (seed 002, "Nurture advocates and champions"): who they are and
how to reach them; the seed's metrics are their numbers, per account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.domain.field_errors import field_errors
from bot.domain.slack_ids import SLACK_USER_PATTERN

MAX_NAME = 80
MAX_ROLE = 80
MAX_EMAIL = 254
EMAIL_PATTERN = r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
"""A plain address, name@example.com: no display name, no brackets, no spaces, so it reads
the same in every message and pings nobody."""


class PersonKind(StrEnum):
    CHAMPION = "champion"
    ADVOCATE = "advocate"


PERSON_MESSAGES = {
    "string_pattern_mismatch": {
        "email": "write an email address like name@example.com",
        "slack_user": "choose a person",
    },
    "string_too_long": {
        "name": f"keep it under {MAX_NAME} characters",
        "role": f"keep it under {MAX_ROLE} characters",
        "email": f"keep it under {MAX_EMAIL} characters",
    },
    "enum": {"kind": "choose champion or advocate"},
}
REACH = "choose their Slack user or write their email"


class PersonDraft(BaseModel):
    """What the Add modal says about one person: a way to reach them is required, since a
    champion nobody can contact is no champion (seed 002: "name, role, and a Slack user
    or an email")."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    kind: PersonKind
    name: str = Field(min_length=1, max_length=MAX_NAME)
    role: str | None = Field(default=None, max_length=MAX_ROLE)
    slack_user: str | None = Field(default=None, pattern=SLACK_USER_PATTERN)
    email: str | None = Field(default=None, max_length=MAX_EMAIL, pattern=EMAIL_PATTERN)

    @model_validator(mode="after")
    def _reachable(self) -> Self:
        if not self.slack_user and not self.email:
            raise ValueError(f"email: {REACH}")
        return self


def validate_person(values: dict[str, Any]) -> PersonDraft | dict[str, str]:
    """The person, or a message per field (an email that is not one, no way to reach them)."""
    try:
        return PersonDraft.model_validate({k: v for k, v in values.items() if v not in (None, "")})
    except ValidationError as exc:
        return field_errors(exc, PERSON_MESSAGES)


class Person(PersonDraft):
    """A stored person: the draft, the account, and who added them, when."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: int
    account_id: int
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class PeopleCount:
    """Seed 002's two metrics: the number of champions and of advocates."""

    champions: int = 0
    advocates: int = 0

    def __add__(self, other: PeopleCount) -> PeopleCount:
        return PeopleCount(self.champions + other.champions, self.advocates + other.advocates)


def count_people(people: list[Person]) -> PeopleCount:
    return PeopleCount(
        sum(1 for p in people if p.kind is PersonKind.CHAMPION),
        sum(1 for p in people if p.kind is PersonKind.ADVOCATE),
    )


def by_kind(people: list[Person]) -> list[Person]:
    """Champions first, then advocates, each by name: the order every list shows."""
    order = list(PersonKind)
    return sorted(people, key=lambda p: (order.index(p.kind), p.name.casefold(), p.id))
