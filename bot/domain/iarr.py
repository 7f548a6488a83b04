"""iARR (seed 000: "iARR (expansion or net new) realized"): one closed deal at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.domain.field_errors import Overrides, field_errors
from bot.domain.numbers import SUMMED_MAX, WholeNumber
from bot.domain.words import trailing_date


class IarrKind(StrEnum):
    EXPANSION = "expansion"
    NEW = "new"


class IarrInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    account: str = Field(min_length=1)
    kind: IarrKind  # before amount: a missing kind is the likelier mistake to name first
    amount: WholeNumber = Field(gt=0, le=SUMMED_MAX)
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


_ABOVE_ZERO = "must be a whole number above 0"
_AMOUNT_WORDS: Overrides = {
    kind: {"amount": _ABOVE_ZERO} for kind in ("int_parsing", "int_from_float", "greater_than")
}
"""One sentence for every amount that is not a positive number; a too large one says so."""


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
        field, message = next(iter(field_errors(exc, _AMOUNT_WORDS).items()))
        return {
            "amount": f"the amount {message}",
            "kind": "say whether it is expansion or new",
        }.get(field, f"{field}: {message}")
    if parsed.day > today:
        return f"{parsed.day.isoformat()} is in the future"
    return parsed
