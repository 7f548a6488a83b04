"""What Slack puts in view.state.values when a person fills in one of our modals."""

from __future__ import annotations

from typing import Any

from bot.blocks.forms import FieldSpec, Kind
from bot.ids import FIELD_ACTION

_ELEMENT = {
    Kind.TEXT: ("plain_text_input", "value"),
    Kind.NUMBER: ("number_input", "value"),
    Kind.URL: ("url_text_input", "value"),
    Kind.DATE: ("datepicker", "selected_date"),
    Kind.USER: ("users_select", "selected_user"),
    Kind.CHANNEL: ("conversations_select", "selected_conversation"),
}


def state_values(specs: tuple[FieldSpec, ...], filled: dict[str, Any]) -> dict[str, Any]:
    """Every field of the form, with `filled` typed in and the rest left empty, as Slack sends."""
    values: dict[str, Any] = {}
    for spec in specs:
        value = filled.get(spec.block_id)
        element: dict[str, Any]
        if spec.kind is Kind.CHOICE:
            element = {"type": "static_select", "selected_option": _option(spec, value)}
        elif spec.kind is Kind.CHECKBOX:
            ticked = _option(spec, value)
            element = {"type": "checkboxes", "selected_options": [ticked] if ticked else []}
        else:
            kind, key = _ELEMENT[spec.kind]
            element = {"type": kind, key: None if value is None else str(value)}
        values[spec.block_id] = {FIELD_ACTION: element}
    return values


def _option(spec: FieldSpec, value: Any) -> dict[str, Any] | None:
    """The option chosen, as Slack sends it. A select whose options come with the modal
    (the entry's accounts) has none in the table that reads it: its value is its text."""
    if value is None:
        return None
    text = dict(spec.choices)[str(value)] if spec.choices else str(value)
    return {"text": {"type": "plain_text", "text": text}, "value": str(value)}


def initial_values(view: dict[str, Any]) -> dict[str, Any]:
    """What a modal was prefilled with, by block_id: to check an edit form shows the account."""
    keys = ("initial_value", "initial_date", "initial_user", "initial_conversation")
    found: dict[str, Any] = {}
    for block in view["blocks"]:
        element = block.get("element", {})
        if "initial_option" in element:
            found[block["block_id"]] = element["initial_option"]["value"]
        for key in keys:
            if key in element:
                found[block["block_id"]] = element[key]
    return found
