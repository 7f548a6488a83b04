"""pydantic's validation errors in plain words, one message per field.

Every input model (an account, a day's usage, a plan, an iARR deal) reports through this
one translator, so a modal, a CSV report and the metrics API say the same thing for the
same mistake. A model only adds what is its own: a pattern's meaning, its extra fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError, field_validator


class TypedForm(BaseModel):
    """An input model of what a person typed (a modal, a CSV row): forms and CSV cells
    send "" for "not given", which means None, not an empty name."""

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_missing(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value


Overrides = Mapping[str, Mapping[str, str]]
"""pydantic error type -> field -> message; the field "*" stands for every field."""

_DATE = "must be a date written YYYY-MM-DD"
_WHOLE = "must be a whole number"
_BY_TYPE = {
    "int_parsing": _WHOLE,
    "int_from_float": _WHOLE,
    "int_type": _WHOLE,
    "finite_number": _WHOLE,
    "int_parsing_size": "is far too large",
    "boolean_as_number": "must be a number, not true or false",
    "string_type": "must be text",
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "missing": "is required",
}


def field_errors(
    error: ValidationError, overrides: Overrides | None = None, extra: str = "is not a field"
) -> dict[str, str]:
    """The first problem of each field; a model-level `ValueError("field: reason")` is
    filed under that field."""
    errors: dict[str, str] = {}
    for item in error.errors():
        field, message = _located(item)
        errors.setdefault(field, _worded(item, field, message, overrides or {}, extra))
    return errors


def _located(item: Any) -> tuple[str, str]:
    field = ".".join(str(part) for part in item["loc"])
    message = str(item["msg"]).removeprefix("Value error, ")
    if not field and ": " in message:
        field, message = message.split(": ", 1)
    return field, message


def _worded(item: Any, field: str, message: str, overrides: Overrides, extra: str) -> str:
    kind = item["type"]
    own = overrides.get(kind, {})
    if field in own or "*" in own:
        return own.get(field) or own["*"]
    if kind == "extra_forbidden":
        return extra
    bounds = item.get("ctx", {})
    if kind == "greater_than_equal" and bounds.get("ge") == 0:
        return "must not be negative"
    if kind == "greater_than_equal":
        return f"must be at least {bounds['ge']:,}"
    if kind == "less_than_equal":
        return f"must be at most {bounds['le']:,}"
    if item.get("input", "") is None:
        return "is required"
    return _BY_TYPE.get(kind, message)
