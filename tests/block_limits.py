"""Block Kit checks for payloads the app sends to the fake Slack API.

Real Slack rejects an oversized or malformed message with ``invalid_blocks``
long after the code that built it was reviewed; checking every payload in the
test harness turns those production-only failures into test failures. The
structure comes from slack_sdk's own models (unknown block types, missing
required fields, the limits slack_sdk knows about) and the rules below add the
documented limits slack_sdk does not enforce. Every check returns readable
strings rather than raising so that one test run shows all problems at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from slack_sdk.models.blocks import Block

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_TEXT = 40000
VIEW_TYPES = ("modal", "home")
SELECT_OPTION_GROUPS_MAX = 100

# (block type or "*", field, max length). A field may hold a plain string or a
# text object; for text objects the length of its "text" is what Slack limits.
BLOCK_LENGTHS: list[tuple[str, str, int]] = [
    ("*", "block_id", 255),
    ("section", "text", 3000),
    ("header", "text", 150),
    ("input", "label", 2000),
    ("input", "hint", 2000),
]

# Same shape, for interactive elements (actions/context elements, section
# accessories, input elements).
ELEMENT_LENGTHS: list[tuple[str, str, int]] = [
    ("*", "action_id", 255),
    ("*", "placeholder", 150),
    ("button", "text", 75),
    ("button", "value", 2000),
    ("button", "url", 3000),
]

# (field, max length) for every option object wherever it appears.
OPTION_LENGTHS: list[tuple[str, int]] = [("text", 75), ("value", 150), ("description", 75)]

# (block type, list field) -> maximum number of items.
BLOCK_COUNTS: dict[tuple[str, str], int] = {
    ("section", "fields"): 10,
    ("context", "elements"): 10,
    ("actions", "elements"): 25,
}

# Element type -> maximum number of options (per option group, too).
OPTION_COUNTS: dict[str, int] = {
    "static_select": 100,
    "multi_static_select": 100,
    "overflow": 5,
    "radio_buttons": 10,
    "checkboxes": 10,
}

SECTION_FIELD_MAX = 2000

# (view field, max length); title/submit/close are text objects.
VIEW_LENGTHS: list[tuple[str, int]] = [
    ("title", 24),
    ("submit", 24),
    ("close", 24),
    ("private_metadata", 3000),
    ("callback_id", 255),
    ("external_id", 255),
]


def check_message(payload: dict[str, Any]) -> list[str]:
    """Check a chat.* / response_url payload the way Slack would reject it.

    A missing ``text`` next to ``blocks`` is reported too: Slack accepts it, but
    notifications and screen readers then show nothing, and this app promises
    to always send a fallback.
    """
    problems: list[str] = []
    text = payload.get("text")
    if isinstance(text, str) and len(text) > MAX_MESSAGE_TEXT:
        problems.append(f"text is {len(text)} chars (max {MAX_MESSAGE_TEXT})")
    blocks = _decode_list(payload.get("blocks"), "blocks", problems)
    if blocks:
        if not (isinstance(text, str) and text.strip()):
            problems.append("text fallback missing: message has blocks but no non-empty text")
        problems += _check_blocks(blocks, "blocks", MAX_MESSAGE_BLOCKS)
    attachments = _decode_list(payload.get("attachments"), "attachments", problems)
    for i, attachment in enumerate(attachments):
        if isinstance(attachment, dict) and "blocks" in attachment:
            inner = _decode_list(attachment["blocks"], f"attachments[{i}].blocks", problems)
            problems += _check_blocks(inner, f"attachments[{i}].blocks", MAX_MESSAGE_BLOCKS)
    return problems


def check_view(view: Any) -> list[str]:
    """Check a views.* ``view`` argument; accepts the JSON string form-encoded calls send."""
    problems: list[str] = []
    if isinstance(view, str):
        try:
            view = json.loads(view)
        except ValueError as exc:
            return [f"view is not valid JSON: {exc}"]
    if not isinstance(view, dict):
        return [f"view must be an object, got {type(view).__name__}"]
    view_type = view.get("type")
    if view_type not in VIEW_TYPES:
        problems.append(f"view type {view_type!r} is not one of {VIEW_TYPES}")
    for field, limit in VIEW_LENGTHS:
        problems += _length(view, field, limit, "view")
    blocks = _decode_list(view.get("blocks"), "blocks", problems)
    if view_type == "modal":
        if not view.get("title"):
            problems.append("view: a modal needs a title")
        has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
        if has_input and not view.get("submit"):
            problems.append("view: a modal with input blocks needs a submit button")
    problems += _check_blocks(blocks, "blocks", MAX_VIEW_BLOCKS)
    return problems


def _decode_list(value: Any, where: str, problems: list[str]) -> list[Any]:
    """Form-encoded Web API calls carry lists as JSON strings; accept both shapes."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            problems.append(f"{where} is not valid JSON: {exc}")
            return []
    if not isinstance(value, list):
        problems.append(f"{where} must be a list, got {type(value).__name__}")
        return []
    return value


def _check_blocks(blocks: list[Any], where: str, max_blocks: int) -> list[str]:
    """Checks that span blocks (count, block_id uniqueness) plus each block's own rules."""
    problems: list[str] = []
    if len(blocks) > max_blocks:
        problems.append(f"{where}: {len(blocks)} blocks (max {max_blocks})")
    seen_ids: set[str] = set()
    for i, block in enumerate(blocks):
        label = f"{where}[{i}]"
        if not isinstance(block, dict):
            problems.append(f"{label}: block must be an object, got {type(block).__name__}")
            continue
        label = f"{label} ({block.get('type')})"
        problems += _repeated(block, "block_id", seen_ids, label, "")
        problems += [f"{label}: {p}" for p in _check_block(block)]
    return problems


def _repeated(item: dict[str, Any], key: str, seen: set[str], where: str, scope: str) -> list[str]:
    """Slack refuses an ID used twice where it must be unique; remember it in `seen`."""
    value = item.get(key)
    if value is None:
        return []
    problem = [f"{where}: duplicate {key} {value!r}{scope}"] if value in seen else []
    seen.add(value)
    return problem


def _check_block(block: dict[str, Any]) -> list[str]:
    """One block: slack_sdk's validation first, then the limits it does not know."""
    problems = _sdk_problems(block)
    block_type = str(block.get("type"))
    for rule_type, field, limit in BLOCK_LENGTHS:
        if rule_type in ("*", block_type):
            problems += _length(block, field, limit)
    for (rule_type, field), limit in BLOCK_COUNTS.items():
        items = block.get(field)
        if rule_type == block_type and isinstance(items, list) and len(items) > limit:
            problems.append(f"{field} has {len(items)} items (max {limit})")
    if block_type == "section":
        for j, item in enumerate(block.get("fields") or []):
            problems += _length({"text": item}, "text", SECTION_FIELD_MAX, f"fields[{j}]")
    action_ids: set[str] = set()
    for where, element in _elements(block):
        problems += _repeated(element, "action_id", action_ids, where, " in one block")
        problems += [f"{where}: {p}" for p in _check_element(element)]
    return problems


def _sdk_problems(block: dict[str, Any]) -> list[str]:
    """Run slack_sdk's model validation and spot anything it silently dropped.

    slack_sdk ignores unknown fields and unknown element types instead of
    failing; Slack would not, so keys missing from the round trip are reported.
    """
    try:
        parsed = Block.parse(block)
        if parsed is None:
            return [f"unknown block type {block.get('type')!r}"]
        rendered = parsed.to_dict()
    except Exception as exc:  # SlackObjectFormationError, TypeError on bad kwargs, ...
        return [f"slack_sdk rejected it: {type(exc).__name__}: {exc}"]
    return [
        f"{path} was ignored by slack_sdk (unknown field or element type?)"
        for path in _dropped(block, rendered, "")
    ]


def _dropped(before: Any, after: Any, path: str) -> Iterator[str]:
    """Yield paths present in the input but absent after slack_sdk's round trip."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key, value in before.items():
            if key not in after:
                yield f"{path}.{key}".lstrip(".")
            else:
                yield from _dropped(value, after[key], f"{path}.{key}")
    elif isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            yield f"{path.lstrip('.')} items ({len(before)} sent, {len(after)} understood)"
        else:
            for i, (b, a) in enumerate(zip(before, after, strict=True)):
                yield from _dropped(b, a, f"{path}[{i}]")


def _elements(block: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Interactive elements of a block, wherever this block type keeps them."""
    for i, element in enumerate(block.get("elements") or []):
        if isinstance(element, dict) and block.get("type") in ("actions", "context"):
            yield f"elements[{i}]", element
    for field in ("accessory", "element"):
        if isinstance(block.get(field), dict):
            yield field, block[field]


def _check_element(element: dict[str, Any]) -> list[str]:
    """Per-element limits, including every option object it carries."""
    problems: list[str] = []
    element_type = str(element.get("type"))
    for rule_type, field, limit in ELEMENT_LENGTHS:
        if rule_type in ("*", element_type):
            problems += _length(element, field, limit)
    max_options = OPTION_COUNTS.get(element_type)
    options = element.get("options") or []
    groups = element.get("option_groups") or []
    if max_options is not None:
        if len(options) > max_options:
            problems.append(f"options has {len(options)} items (max {max_options})")
        if len(groups) > SELECT_OPTION_GROUPS_MAX:
            problems.append(
                f"option_groups has {len(groups)} items (max {SELECT_OPTION_GROUPS_MAX})"
            )
    all_options: list[tuple[str, Any]] = [(f"options[{k}]", o) for k, o in enumerate(options)]
    for g, group in enumerate(groups):
        group_options = (group.get("options") or []) if isinstance(group, dict) else []
        if max_options is not None and len(group_options) > max_options:
            problems.append(
                f"option_groups[{g}].options has {len(group_options)} items (max {max_options})"
            )
        all_options += [
            (f"option_groups[{g}].options[{k}]", o) for k, o in enumerate(group_options)
        ]
    initial = (
        [("initial_option", element.get("initial_option"))] if element.get("initial_option") else []
    )
    initial += [
        (f"initial_options[{k}]", o) for k, o in enumerate(element.get("initial_options") or [])
    ]
    for where, option in all_options + initial:
        if not isinstance(option, dict):
            problems.append(f"{where}: option must be an object")
            continue
        for field, limit in OPTION_LENGTHS:
            problems += _length(option, field, limit, where)
    if all_options:
        values = {o.get("value") for _, o in all_options if isinstance(o, dict)}
        for where, option in initial:
            if isinstance(option, dict) and option.get("value") not in values:
                problems.append(f"{where}: value {option.get('value')!r} is not one of the options")
    return problems


def _text_of(value: Any) -> str | None:
    """Length-limited fields are either plain strings or text objects."""
    if isinstance(value, dict):
        text = value.get("text")
        return text if isinstance(text, str) else None
    return value if isinstance(value, str) else None


def _length(obj: dict[str, Any], field: str, limit: int, where: str = "") -> list[str]:
    """One max-length rule; an empty text object is also invalid in Slack."""
    value = obj.get(field)
    name = f"{where}.{field}" if where else field
    text = _text_of(value)
    if text is None:
        return []
    if isinstance(value, dict) and not text:
        return [f"{name} text is empty"]
    if len(text) > limit:
        return [f"{name} is {len(text)} chars (max {limit})"]
    return []
