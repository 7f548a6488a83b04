"""app.yaml is a valid Slack manifest and declares exactly what the code registers and calls.

Slack's schema checks the shape; it does not know command, event or scope names, so the
tests below hold those against the code: `bot/ids.py`, the listeners, and every Web API
method called in bot/, handlers/ and jobs/.
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from slack_sdk.web.async_client import AsyncWebClient

from bot.ids import COMMAND, Event
from tests.app_client import AppClient, payload
from tests.slack_api import FakeSlackApi

ROOT = Path(__file__).parent.parent
SCHEMAS = Path(__file__).parent / "data" / "slack-manifest-schema"
SOURCE_DIRS = ("bot", "handlers", "jobs")

# Bot scopes each Web API method needs (Slack's method pages, "Required scopes").
# A method the code starts calling must be added here before this test passes.
NO_SCOPE: frozenset[str] = frozenset()
SCOPES_BY_METHOD: dict[str, frozenset[str]] = {
    "api_test": NO_SCOPE,
    "auth_test": NO_SCOPE,
    "chat_getPermalink": NO_SCOPE,
    "views_open": NO_SCOPE,
    "views_publish": NO_SCOPE,
    "views_push": NO_SCOPE,
    "views_update": NO_SCOPE,
    "chat_postMessage": frozenset({"chat:write"}),
    "chat_postEphemeral": frozenset({"chat:write"}),
    "chat_update": frozenset({"chat:write"}),
    "chat_delete": frozenset({"chat:write"}),
    "chat_scheduleMessage": frozenset({"chat:write"}),
    "chat_deleteScheduledMessage": frozenset({"chat:write"}),
    "conversations_open": frozenset({"im:write"}),
    # history is read to find a message that may already be posted, in channels and DMs
    "conversations_history": frozenset({"channels:history", "groups:history", "im:history"}),
    "conversations_replies": frozenset({"channels:history", "groups:history"}),
    "conversations_info": frozenset({"channels:read"}),
    # channel settings written as #names are looked up at start-up, private ones too
    "conversations_list": frozenset({"channels:read", "groups:read"}),
    "conversations_join": frozenset({"channels:join"}),
    "conversations_members": frozenset({"channels:read"}),
    "users_info": frozenset({"users:read"}),
    "users_list": frozenset({"users:read"}),
    "users_lookupByEmail": frozenset({"users:read", "users:read.email"}),
    "usergroups_list": frozenset({"usergroups:read"}),
    "usergroups_users_list": frozenset({"usergroups:read"}),
    "files_upload_v2": frozenset({"files:write"}),
    "reactions_add": frozenset({"reactions:write"}),
}
WEB_API_METHODS = frozenset(
    name
    for name in dir(AsyncWebClient)
    if not name.startswith("_") and callable(getattr(AsyncWebClient, name))
)

# What each listener registration may pass: only the ids app.yaml declares.
ALLOWED_IDS = {
    "command": {"COMMAND"},
    "event": {f"Event.{name}" for name in Event.__members__},
}


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "app.yaml").read_text())
    return loaded


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _validator() -> Draft7Validator:
    """Slack's schema, each versioned file registered under the URL the root refers to it by."""
    root = json.loads((SCHEMAS / "manifest.schema.json").read_text())
    registry: Registry[Any] = Registry().with_resources(
        (url, Resource.from_contents(json.loads((SCHEMAS / url.rsplit("/", 1)[1]).read_text())))
        for url in set(_refs(root))
    )
    return Draft7Validator(root, registry=registry)


def _problems(manifest: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """Schema errors as (path, message), looking inside oneOf to the field that failed."""

    def leaves(error: ValidationError) -> Iterator[ValidationError]:
        if not error.context:
            yield error
        for sub in error.context:
            yield from leaves(sub)

    return [
        (tuple(leaf.absolute_path), leaf.message)
        for error in _validator().iter_errors(manifest)
        for leaf in leaves(error)
    ]


def _calls() -> Iterator[tuple[str, ast.Call]]:
    """Every call in the app's source, with where it is."""
    for directory in SOURCE_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Call):
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", node


def _method(call: ast.Call) -> str | None:
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def test_manifest_is_valid_for_slacks_schema(manifest: dict[str, Any]) -> None:
    assert _problems(manifest) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("features", "slash_commands", 0, "command"), "strategic"),
        (("settings", "event_subscriptions", "request_url"), "not a url"),
    ],
)
def test_the_schema_rejects_a_broken_manifest(
    manifest: dict[str, Any], path: tuple[str | int, ...], value: str
) -> None:
    broken = copy.deepcopy(manifest)
    parent: Any = broken
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    assert path in {where for where, _ in _problems(broken)}


def test_commands_and_events_are_the_ids(manifest: dict[str, Any]) -> None:
    assert {c["command"] for c in manifest["features"]["slash_commands"]} == {COMMAND}
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        e.value for e in Event
    }


def test_listeners_register_only_declared_ids() -> None:
    found = []
    for where, call in _calls():
        kind = _method(call)
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        if kind not in ALLOWED_IDS or not (isinstance(receiver, ast.Name) and receiver.id == "app"):
            continue
        passed = ast.unparse(call.args[0]) if call.args else ast.unparse(call)
        assert passed in ALLOWED_IDS[kind], (
            f"{where}: app.{kind}({passed}) - register with one of {sorted(ALLOWED_IDS[kind])} "
            "from bot/ids.py, and declare it in app.yaml"
        )
        found.append(passed)
    assert "COMMAND" in found, "the scan found no app.command(COMMAND): is it still reading code?"


async def test_the_command_is_handled(slack: AppClient) -> None:
    response = await slack.command("help")
    assert response.status == 200, "Bolt answers 404 when no listener takes the command"


async def test_app_home_opened_publishes_the_home_view(
    slack: AppClient, slack_api: FakeSlackApi
) -> None:
    assert set(Event) == {Event.APP_HOME_OPENED}, "a new Event needs its own handled-test here"
    if importlib.util.find_spec("handlers.home") is None:
        pytest.skip("handlers/home.py (the app_home_opened listener) does not exist yet")
    response = await slack.event(payload("app_home_opened"))
    assert response.status == 200, "Bolt answers 404 when no listener takes the event"
    [published] = await slack_api.wait_for("views.publish")
    assert published.params["user_id"] == "U0ALICE"
    assert published.params["view"]["type"] == "home"


def test_scopes_are_exactly_what_the_code_calls_for(manifest: dict[str, Any]) -> None:
    called = {
        method: where for where, call in _calls() if (method := _method(call)) in WEB_API_METHODS
    }
    unknown = {m: w for m, w in called.items() if m not in SCOPES_BY_METHOD}
    assert not unknown, (
        f"Web API methods with no entry in SCOPES_BY_METHOD: {unknown}; add each with the "
        "bot scopes its Slack method page lists, then the scopes to app.yaml"
    )
    # The "commands" scope comes with the slash command, not with a Web API call.
    needed = {"commands"}.union(*(SCOPES_BY_METHOD[m] for m in called))
    asked = set(manifest["oauth_config"]["scopes"]["bot"])
    assert asked == needed, (
        f"app.yaml bot scopes: add {sorted(needed - asked)}, remove {sorted(asked - needed)}"
    )
