"""`strategic-bot socket`, end to end: the real command in its own process, connected to a
loopback Socket Mode server (tests/socket_mode_server.py) and the fake Web API.

Over Socket Mode Slack sends the same payloads as over HTTP, in envelopes the app must
ack within 3 seconds, with the ack carrying what an HTTP answer's body would (a usage
error, a modal's field errors). A slash command, a button click and a modal submission
go through here to the same listeners, store and Web API calls as over HTTP, and so
does an Events API event (the App Home).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.blocks.accounts import ACCOUNT_FIELDS
from bot.deps import Deps
from bot.services.accounts import list_accounts
from storage.models import JourneyDoneRow
from tests.app_client import payload
from tests.factories import make_account
from tests.forms import state_values
from tests.processes import AppProcess, app_env, start, stop
from tests.slack_api import ApiCall, FakeSlackApi
from tests.socket_mode_server import SocketModeServer

APP_TOKEN = "xapp-1-A0APP-1-socket-test"


@pytest.fixture
async def socket_server() -> AsyncIterator[SocketModeServer]:
    async with SocketModeServer() as server:
        yield server


@pytest.fixture
async def bot(
    deps: Deps, slack_api: FakeSlackApi, socket_server: SocketModeServer, tmp_path: Path
) -> AsyncIterator[AppProcess]:
    """`python -m bot socket` connected and greeted; stopped (and its log shown) after."""
    slack_api.socket_mode_url = socket_server.url
    env = app_env(f"{slack_api.url}/api", deps.settings.database_url, SLACK_APP_TOKEN=APP_TOKEN)
    env.pop("SLACK_SIGNING_SECRET")  # Socket Mode needs none: Slack signs nothing there
    process = await start("socket", env=env, cwd=tmp_path, log=tmp_path / "socket.log")
    try:
        await socket_server.wait_connected()
    except TimeoutError:
        await stop(process)
        raise AssertionError(f"socket never connected:\n{process.output()}") from None
    yield process
    await stop(process)
    assert "Traceback" not in process.output(), process.output()


def command(slack_api: FakeSlackApi, text: str, user: str = "U0ALICE") -> dict[str, Any]:
    """`/strategic TEXT` as Socket Mode carries it: the HTTP form's fields, as JSON."""
    return payload("slash_command") | {
        "text": text,
        "user_id": user,
        "response_url": slack_api.response_url(),
        "trigger_id": f"{time.time_ns()}.{uuid.uuid4().hex}",
    }


def click(
    slack_api: FakeSlackApi, message: dict[str, Any], block: dict[str, Any], user: str
) -> dict[str, Any]:
    """A click on the button of `block` in `message`, posted in C0GENERAL."""
    button = block["accessory"]
    body = payload("block_actions")
    body["user"]["id"] = user
    body["container"].update(message_ts=message["ts"], channel_id="C0GENERAL")
    body["channel"]["id"] = "C0GENERAL"
    body["message"].update(ts=message["ts"], text=message["text"], blocks=message["blocks"])
    body["response_url"] = slack_api.response_url()
    body["actions"][0].update(
        action_id=button["action_id"],
        block_id=block.get("block_id", ""),
        value=button["value"],
        text=button["text"],
        action_ts=f"{time.time():.6f}",
    )
    return body


def submission(view: dict[str, Any], values: dict[str, Any], user: str) -> dict[str, Any]:
    body = payload("view_submission")
    body["user"]["id"] = user
    body["view"].update(
        callback_id=view["callback_id"],
        private_metadata=view.get("private_metadata", ""),
        blocks=view["blocks"],
        state={"values": values},
    )
    return body


async def answer(slack_api: FakeSlackApi, count: int) -> ApiCall:
    """The `count`-th answer the app sent through a response_url."""
    return (await slack_api.wait_for("response_url", count=count, timeout=10))[-1]


async def test_a_command_a_click_and_a_modal_over_socket_mode(
    bot: AppProcess, socket_server: SocketModeServer, slack_api: FakeSlackApi, deps: Deps
) -> None:
    # The subprocess runs on the real clock: a contract a month old has an overdue kickoff.
    started = date.today() - timedelta(days=30)
    ended = started + timedelta(days=364)
    await make_account(deps, contract_start=started.isoformat(), contract_end=ended.isoformat())

    # A usage error rides in the ack itself, as in an HTTP answer's body.
    ack = await socket_server.send(
        "slash_commands", command(slack_api, "bogus"), accepts_response_payload=True
    )
    assert ack.payload is not None and ack.payload["response_type"] == "ephemeral"
    assert "`bogus` is not a /strategic command." in ack.payload["text"]

    # A slash command: acked empty, its answer follows by response_url.
    ack = await socket_server.send(
        "slash_commands", command(slack_api, "journey Acme Corp"), accepts_response_payload=True
    )
    assert ack.payload is None
    journey = (await answer(slack_api, 1)).params
    assert journey["response_type"] == "ephemeral"
    assert "Acme Corp: customer journey" in json.dumps(journey)

    # A button click: Mark done on the kickoff, redrawn in place, stored once.
    kickoff = next(
        b for b in journey["blocks"] if b.get("accessory") and "Kickoff" in b["text"]["text"]
    )
    message = {"ts": slack_api.add_message("C0GENERAL", journey["text"]), **journey}
    ack = await socket_server.send("interactive", click(slack_api, message, kickoff, "U0AE"))
    assert ack.payload is None
    redrawn = (await answer(slack_api, 2)).params
    assert redrawn["replace_original"] is True
    assert "· done · done by <@U0AE>" in json.dumps(redrawn["blocks"], ensure_ascii=False)
    async with deps.db.session() as session:
        marks = await session.scalar(select(func.count()).select_from(JourneyDoneRow))
    assert marks == 1

    # A modal: `account add` opens it through the Web API with the bot token...
    await socket_server.send("slash_commands", command(slack_api, "account add"))
    opened = (await slack_api.wait_for("views.open", timeout=10))[-1]
    assert opened.headers["Authorization"] == "Bearer xoxb-test-token"
    view = opened.params["view"]

    # ...a bad field comes back in the ack, as Slack shows it under the field...
    bad = {"name": "Globex", "tier": "2", "partner_status": "partner", "licensed_seats": "-5"}
    ack = await socket_server.send(
        "interactive",
        submission(view, state_values(ACCOUNT_FIELDS, bad), "U0ALICE"),
        accepts_response_payload=True,
    )
    assert ack.payload is not None and ack.payload["response_action"] == "errors"
    assert list(ack.payload["errors"]) == ["licensed_seats"]
    assert [a.name for a in await list_accounts(deps)] == ["Acme Corp"]

    # ...and a good one saves the account and confirms.
    good = bad | {"licensed_seats": "4000", "lead_engineer": "U0LEAD"}
    ack = await socket_server.send(
        "interactive",
        submission(view, state_values(ACCOUNT_FIELDS, good), "U0ALICE"),
        accepts_response_payload=True,
    )
    assert ack.payload is None  # a plain ack closes the modal
    assert "Added Globex" in (await answer(slack_api, 3)).params["text"]
    globex = next(a for a in await list_accounts(deps) if a.name == "Globex")
    assert (globex.tier, globex.licensed_seats, globex.lead_engineer) == (2, 4000, "U0LEAD")

    assert all(a.seconds < 3.0 for a in socket_server.acks)
    assert socket_server.unexpected == []
    connects = slack_api.calls_to("apps.connections.open")
    assert [c.headers["Authorization"] for c in connects] == [f"Bearer {APP_TOKEN}"]


async def test_an_event_over_socket_mode_publishes_the_app_home(
    bot: AppProcess, socket_server: SocketModeServer, slack_api: FakeSlackApi, deps: Deps
) -> None:
    """Events API envelopes too: opening the App Home publishes the portfolio view."""
    await make_account(deps)

    ack = await socket_server.send("events_api", payload("app_home_opened"))

    assert ack.payload is None
    [published] = await slack_api.wait_for("views.publish", timeout=10)
    assert published.params["user_id"] == "U0ALICE"
    assert "Acme Corp" in json.dumps(published.params["view"])


async def test_it_reconnects_when_slack_asks_and_keeps_answering(
    bot: AppProcess, socket_server: SocketModeServer, slack_api: FakeSlackApi
) -> None:
    """Slack sends `disconnect` before it retires a server; the app opens a new connection
    (a new apps.connections.open) and the next command is answered over it."""
    await socket_server.disconnect()
    await socket_server.wait_connected(count=2)
    assert len(slack_api.calls_to("apps.connections.open")) == 2

    ack = await socket_server.send("slash_commands", command(slack_api, "account list"))
    assert ack.payload is None
    listing = (await answer(slack_api, 1)).params
    assert listing["response_type"] == "ephemeral"


async def test_sigterm_closes_the_connection_and_exits_cleanly(
    bot: AppProcess, socket_server: SocketModeServer
) -> None:
    """As systemd stops it: the connection is closed and the exit code is 0, not -15."""
    assert await stop(bot) == 0
    assert "Traceback" not in bot.output()
