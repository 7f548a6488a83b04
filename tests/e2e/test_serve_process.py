"""`strategic-bot serve` as deployed: a separate process, signed HTTP in, the Web API out."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.app_client import payload
from tests.conftest import SECRET, TOKEN
from tests.signing import signed_headers
from tests.slack_api import FakeSlackApi

ROOT = Path(__file__).parent.parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def served(tmp_path: Path, slack_api: FakeSlackApi) -> AsyncIterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    env |= {
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": f"{slack_api.url}/api",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        _, log = await asyncio.wait_for(process.communicate(), 30)
    assert b"POST /slack/events" in log  # the access log is on, and
    assert TOKEN.encode() not in log and SECRET.encode() not in log  # it holds no secret


async def _wait_healthy(url: str, process: asyncio.subprocess.Process) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(300):
            if process.returncode is not None:
                assert process.stderr is not None
                raise AssertionError((await process.stderr.read()).decode())
            try:
                async with http.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        assert await response.json() == {"status": "ok", "database": "ok"}
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("serve did not become healthy in 30 s")


async def test_serve_answers_a_signed_command_and_refuses_an_unsigned_one(
    served: str, slack_api: FakeSlackApi
) -> None:
    form = payload("slash_command") | {
        "text": "account list",
        "response_url": slack_api.response_url(),
    }
    body = urllib.parse.urlencode(form)
    content = {"Content-Type": "application/x-www-form-urlencoded"}
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{served}/slack/events", data=body, headers=content) as refused:
            assert refused.status == 401
        headers = content | signed_headers(SECRET, body)
        async with http.post(f"{served}/slack/events", data=body, headers=headers) as accepted:
            assert accepted.status == 200
            answer = await accepted.json()

    assert "No strategic accounts yet" in answer["text"]
    assert [c.headers.get("Authorization") for c in slack_api.calls_to("auth.test")] == [
        f"Bearer {TOKEN}"
    ]
