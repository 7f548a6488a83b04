"""Modal fields built from a table, and read back from `view.state` by the same table.

Building and reading live together so a field's element type and the way its value is
read can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from slack_sdk.models.blocks import (
    CheckboxesElement,
    ConversationFilter,
    ConversationSelectElement,
    DatePickerElement,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UrlInputElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.ids import FIELD_ACTION, Callback


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    USER = "user"
    CHANNEL = "channel"
    URL = "url"
    CHOICE = "choice"
    CHECKBOX = "checkbox"
    """One box to tick: its value is the one choice's when ticked, None when not."""


@dataclass(frozen=True)
class FieldSpec:
    block_id: str
    label: str
    kind: Kind
    optional: bool = True
    hint: str | None = None
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int | None = None
    multiline: bool = False


def form_modal(callback_id: Callback, title: str, state: BaseModel, blocks: list[Any]) -> View:
    """A modal form: Save and Cancel, and the state it needs at submit in private_metadata."""
    return View(
        type="modal",
        callback_id=callback_id,
        title=title,
        submit="Save",
        close="Cancel",
        private_metadata=state.model_dump_json(exclude_none=True),
        blocks=blocks,
    )


def input_block(spec: FieldSpec, initial: Any = None) -> InputBlock:
    return InputBlock(
        block_id=spec.block_id,
        label=spec.label,
        hint=spec.hint,
        optional=spec.optional,
        element=_element(spec, None if initial is None else str(initial)),
    )


def _element(spec: FieldSpec, initial: str | None) -> Any:
    match spec.kind:
        case Kind.TEXT:
            return PlainTextInputElement(
                action_id=FIELD_ACTION,
                initial_value=initial,
                max_length=spec.max_length,
                multiline=spec.multiline or None,
            )
        case Kind.NUMBER:
            return NumberInputElement(
                action_id=FIELD_ACTION, is_decimal_allowed=False, initial_value=initial
            )
        case Kind.DATE:
            return DatePickerElement(action_id=FIELD_ACTION, initial_date=initial)
        case Kind.USER:
            return UserSelectElement(action_id=FIELD_ACTION, initial_user=initial)
        case Kind.CHANNEL:
            return ConversationSelectElement(
                action_id=FIELD_ACTION,
                initial_conversation=initial,
                filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
            )
        case Kind.URL:
            return UrlInputElement(action_id=FIELD_ACTION, initial_value=initial)
        case Kind.CHOICE:
            options = [Option(value=value, text=text) for value, text in spec.choices]
            chosen = next((o for o in options if o.value == initial), None)
            return StaticSelectElement(
                action_id=FIELD_ACTION, options=options, initial_option=chosen
            )
        case Kind.CHECKBOX:
            options = [Option(value=value, text=text) for value, text in spec.choices]
            ticked = [o for o in options if o.value == initial]
            return CheckboxesElement(
                action_id=FIELD_ACTION, options=options, initial_options=ticked or None
            )


_STATE_KEY = {
    Kind.TEXT: "value",
    Kind.NUMBER: "value",
    Kind.URL: "value",
    Kind.DATE: "selected_date",
    Kind.USER: "selected_user",
    Kind.CHANNEL: "selected_conversation",
}


def read_values(specs: tuple[FieldSpec, ...], state: dict[str, Any]) -> dict[str, str | None]:
    """The submitted value of every field (None when left empty), keyed by block_id."""
    values: dict[str, str | None] = {}
    for spec in specs:
        element = state.get("values", {}).get(spec.block_id, {}).get(FIELD_ACTION, {})
        if spec.kind is Kind.CHOICE:
            values[spec.block_id] = (element.get("selected_option") or {}).get("value")
        elif spec.kind is Kind.CHECKBOX:
            values[spec.block_id] = next(
                (o.get("value") for o in element.get("selected_options") or []), None
            )
        else:
            values[spec.block_id] = element.get(_STATE_KEY[spec.kind])
    return values
