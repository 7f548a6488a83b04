"""iARR (seed 000: "iARR (expansion or net new) realized"): one closed deal at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.domain.field_errors import field_errors
from bot.domain.words import trailing_date


class IarrKind(StrEnum):
    EXPANSION = "expansion"
    NEW = "new"


class IarrInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    account: str = Field(min_length=1)
    kind: IarrKind  # before amount: a missing kind is the likelier mistake to name first
    amount: int = Field(gt=0)
    day: date


@dataclass(frozen=True)
class IarrEvent:
    """A deal as recorded: what the answer's Undo takes back, and who may."""

    id: int
    account_id: int
    account_name: str
    day: date
    amount: int
    kind: IarrKind
    actor: str
    """Who recorded it."""


def parse_iarr_command(text: str, today: date) -> IarrInput | str:
    """`ACCOUNT AMOUNT expansion|new [DATE]`: the input, or what is wrong with it."""
    words, day = trailing_date(text.split(), today)
    if len(words) < 3:
        return "give the account, the amount and whether it is expansion or new"
    *name, amount, kind = words
    try:
        parsed = IarrInput(
            account=" ".join(name), amount=amount.replace(",", ""), kind=kind.lower(), day=day
        )
    except ValidationError as exc:
        field, message = next(iter(field_errors(exc).items()))
        return {
            "amount": "the amount must be a whole number above 0",
            "kind": "say whether it is expansion or new",
        }.get(field, f"{field}: {message}")
    if parsed.day > today:
        return f"{parsed.day.isoformat()} is in the future"
    return parsed
