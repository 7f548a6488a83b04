"""Get-well plans (seed 004): a red account must have one — an owner, what will be done, by when."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.domain.field_errors import field_errors
from bot.domain.health import AccountHealth, Status
from bot.domain.slack_ids import SLACK_USER_PATTERN

MAX_PLAN = 2900  # shown inside a 3,000-character section with its heading


PLAN_MESSAGES = {
    "string_pattern_mismatch": {"*": "choose a person"},
    "string_too_long": {"*": f"keep it under {MAX_PLAN} characters"},
}


class PlanDraft(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    owner: str = Field(pattern=SLACK_USER_PATTERN)
    text: str = Field(min_length=1, max_length=MAX_PLAN)
    due: date


def validate_plan(values: dict[str, Any], today: date) -> PlanDraft | dict[str, str]:
    """The plan, or a message per field; a due date in the past is refused."""
    try:
        plan = PlanDraft.model_validate({k: v for k, v in values.items() if v not in (None, "")})
    except ValidationError as exc:
        return field_errors(exc, PLAN_MESSAGES)
    if plan.due < today:
        return {"due": "the due date has passed; choose today or later"}
    return plan


class GetWellPlan(PlanDraft):
    """A stored plan: the draft and who last changed it, when."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")

    account_id: int
    updated_by: str
    updated_at: datetime


def red_without_plan(items: list[AccountHealth], planned: set[int]) -> list[AccountHealth]:
    """Red accounts with no get-well plan: each is itself an alert (seed 004), listed on the
    App Home and, once a week, in the channel."""
    return [i for i in items if i.health.status is Status.RED and i.account.id not in planned]
