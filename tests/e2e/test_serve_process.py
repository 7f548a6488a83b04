"""`strategic-bot serve` as deployed: a separate process, signed HTTP in, the Web API out."""

from __future__ import annotations

import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.app_client import payload
from tests.conftest import SECRET, TOKEN
from tests.processes import AppProcess, app_env, start_serve, stop
from tests.signing import signed_headers
from tests.slack_api import FakeSlackApi


@pytest.fixture
async def served(tmp_path: Path, slack_api: FakeSlackApi) -> AsyncIterator[tuple[AppProcess, str]]:
    env = app_env(f"{slack_api.url}/api", f"sqlite:///{tmp_path / 'served.db'}")
    process, url = await start_serve(env, tmp_path, "serve")
    try:
        yield process, url
    finally:
        await stop(process)


async def test_serve_answers_a_signed_command_and_refuses_an_unsigned_one(
    served: tuple[AppProcess, str], slack_api: FakeSlackApi
) -> None:
    process, url = served
    form = payload("slash_command") | {
        "text": "account list",
        "response_url": slack_api.response_url(),
    }
    body = urllib.parse.urlencode(form)
    content = {"Content-Type": "application/x-www-form-urlencoded"}
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{url}/slack/events", data=body, headers=content) as refused:
            assert refused.status == 401
        headers = content | signed_headers(SECRET, body)
        async with http.post(f"{url}/slack/events", data=body, headers=headers) as accepted:
            assert accepted.status == 200

    [answer] = await slack_api.wait_for("response_url")
    assert "No strategic accounts yet" in answer.params["text"]
    assert [c.headers.get("Authorization") for c in slack_api.calls_to("auth.test")] == [
        f"Bearer {TOKEN}"
    ]
    await stop(process)
    log = process.output()
    assert "POST /slack/events" in log  # the access log is on, and
    assert TOKEN not in log and SECRET not in log  # it holds no secret
