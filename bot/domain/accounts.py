"""What a strategic account is, and what makes one valid (seed 001: the strategic accounts list)."""

from __future__ import annotations

import difflib
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import ConfigDict, Field, ValidationError, model_validator

from bot.domain.csv_rows import valid_fields
from bot.domain.field_errors import TypedForm, field_errors
from bot.domain.numbers import BigCount, Count
from bot.domain.slack_ids import SLACK_CHANNEL_PATTERN, SLACK_USER_PATTERN

MAX_NAME = 80
CONTRACT_ORDER = "the contract must end after it starts"


def contract_in_order(start: date | None, end: date | None) -> bool:
    return not (start and end and end <= start)


class PartnerStatus(StrEnum):
    """Where an account stands on the road to strategic partner (seed 000)."""

    PROSPECT = "prospect"
    NOMINATED = "nominated"
    PARTNER = "partner"
    DECLINED = "declined"
    CHURNED = "churned"


class AccountDraft(TypedForm):
    """The fields a person types or a CSV row carries; validation is the same for both."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_NAME)
    tier: int = Field(ge=1, le=3)
    industry: str | None = Field(default=None, max_length=80)
    lead_engineer: str | None = Field(default=None, pattern=SLACK_USER_PATTERN)
    ta_ce: str | None = Field(default=None, pattern=SLACK_USER_PATTERN)
    ae: str | None = Field(default=None, pattern=SLACK_USER_PATTERN)
    exec_sponsor: str | None = Field(default=None, pattern=SLACK_USER_PATTERN)
    channel: str | None = Field(default=None, pattern=SLACK_CHANNEL_PATTERN)
    contract_start: date | None = None
    contract_end: date | None = None
    production_start: date | None = None
    licensed_seats: Count | None = None
    available_developers: Count | None = None
    arr: BigCount | None = None
    partner_status: PartnerStatus = PartnerStatus.PROSPECT
    success_plan_url: str | None = Field(default=None, max_length=500, pattern=r"^https?://\S+$")

    @model_validator(mode="after")
    def _contract_in_order(self) -> AccountDraft:
        if not contract_in_order(self.contract_start, self.contract_end):
            raise ValueError(f"contract_end: {CONTRACT_ORDER}")
        return self

    def fields(self) -> dict[str, Any]:
        return self.model_dump()

    def given_fields(self) -> dict[str, Any]:
        """Only the fields the input carried: a CSV without an `arr` column keeps the ARR."""
        return self.model_dump(include=self.model_fields_set)


class Account(AccountDraft):
    """An account as stored: the draft plus identity and lifecycle."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: int
    archived_at: datetime | None = None
    created_at: datetime
    updated_at: datetime

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def owners(self) -> dict[str, str | None]:
        return {
            "Lead engineer": self.lead_engineer,
            "TA/CE": self.ta_ce,
            "AE": self.ae,
            "Exec sponsor": self.exec_sponsor,
        }


_USER_ID = "must be a Slack user ID such as U0123ABCD"
FIELD_MESSAGES = {
    "string_pattern_mismatch": {
        "lead_engineer": _USER_ID,
        "ta_ce": _USER_ID,
        "ae": _USER_ID,
        "exec_sponsor": _USER_ID,
        "channel": "must be a Slack channel ID such as C0123ABCD",
        "success_plan_url": "must be a link starting with http:// or https://",
    },
    "enum": {"*": "must be one of " + ", ".join(s.value for s in PartnerStatus)},
}


def validate_draft(values: dict[str, Any]) -> AccountDraft | dict[str, str]:
    """The draft, or the errors by field: callers show errors next to each field, all of
    them at once (an end before the start too, which the model checks only once every
    field is valid)."""
    try:
        return AccountDraft.model_validate(values)
    except ValidationError as exc:
        errors = field_errors(exc, FIELD_MESSAGES, extra="is not a field of an account")
        valid = valid_fields(AccountDraft, values)
        if not contract_in_order(valid.get("contract_start"), valid.get("contract_end")):
            errors.setdefault("contract_end", CONTRACT_ORDER)
        return errors


def name_key(name: str) -> str:
    """The form of a name that uniqueness is checked on: 'ACME corp ' equals 'Acme Corp'."""
    return " ".join(name.split()).casefold()


def close_names(wanted: str, names: list[str], limit: int = 3) -> list[str]:
    """Names a person probably meant when they typed one that does not exist."""
    by_key = {name_key(n): n for n in names}
    keys = difflib.get_close_matches(name_key(wanted), list(by_key), n=limit, cutoff=0.5)
    prefix = [n for k, n in by_key.items() if k.startswith(name_key(wanted)) and k not in keys]
    return ([by_key[k] for k in keys] + prefix)[:limit]


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field -> [old, new] for what differs; what the audit log records."""
    return {
        field: [_plain(before.get(field)), _plain(value)]
        for field, value in after.items()
        if before.get(field) != value
    }


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value


def may_manage(account: Account, user_id: str, admins: list[str]) -> bool:
    """Owners and admins change an account and see its sensitive figures.

    With no admins configured the whole team is trusted, as a small team starts out.
    """
    if not admins:
        return True
    return user_id in admins or user_id in account.owners.values()
