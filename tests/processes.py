"""The app as deployed, in separate processes: `serve` replicas and one-off CLI commands.

Each process gets a clean environment (nothing of the developer's shell that configures
the app), writes its output to a log file the test can read after the fact (a pipe nobody
drains would stall a chatty process), and every wait is bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from tests.app_client import payload
from tests.conftest import SECRET, TOKEN
from tests.signing import signed_headers

ROOT = Path(__file__).parent.parent
# Variables that configure the app: the tests set what they mean, nothing else leaks in.
APP_VARIABLES = ("SLACK_", "DATABASE_URL", "STRATEGIC_BOT", "TEAM__", "SCHEDULER__")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def app_env(slack_api_url: str, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of an app process talking to `slack_api_url` (ending in /api)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(APP_VARIABLES)}
    env |= {
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack_api_url,
        "DATABASE_URL": database_url,
    }
    return env | extra


@dataclass
class AppProcess:
    """A running `python -m bot …`, its output going to `log`."""

    process: asyncio.subprocess.Process
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


async def start(*args: str, env: dict[str, str], cwd: Path, log: Path) -> AppProcess:
    """Start `python -m bot ARGS…` in `cwd`; stdout and stderr both go to `log`."""
    with log.open("wb") as sink:  # the child keeps its own copy of the descriptor
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *args,
            env=env,
            cwd=cwd,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=sink,
            stderr=sink,
        )
    return AppProcess(process, log)


async def start_serve(env: dict[str, str], cwd: Path, name: str) -> tuple[AppProcess, str]:
    """A `serve` process in `cwd` on a free loopback port, healthy; it and its base URL."""
    port = free_port()
    served = await start(
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        env=env,
        cwd=cwd,
        log=cwd / f"{name}.log",
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_healthy(served, url)
    except BaseException:
        await stop(served)
        raise
    return served, url


async def wait_healthy(served: AppProcess, url: str, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            if served.process.returncode is not None:
                raise AssertionError(
                    f"serve exited with {served.process.returncode}:\n{served.output()}"
                )
            with contextlib.suppress(aiohttp.ClientConnectionError):
                async with http.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        assert await response.json() == {"status": "ok", "database": "ok"}
                        return
            await asyncio.sleep(0.1)
    raise AssertionError(f"serve did not become healthy in {within:.0f} s:\n{served.output()}")


async def stop(served: AppProcess, within: float = 30.0) -> int:
    """SIGTERM, as an orchestrator stops a replica; SIGKILL (and fail) if it hangs."""
    if served.process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            served.process.send_signal(signal.SIGTERM)
    try:
        return await asyncio.wait_for(served.process.wait(), within)
    except TimeoutError:
        await kill(served)
        raise AssertionError(
            f"pid {served.pid} ignored SIGTERM for {within:.0f} s:\n{served.output()}"
        ) from None


async def kill(served: AppProcess) -> int:
    """SIGKILL: no handler runs, no transaction commits, no answer is awaited."""
    if served.process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            served.process.kill()
    return await asyncio.wait_for(served.process.wait(), 10)


async def run(
    *args: str, env: dict[str, str], cwd: Path, log: Path, within: float = 30.0
) -> tuple[int, str]:
    """Run a CLI command to its end; its exit code and output."""
    command = await start(*args, env=env, cwd=cwd, log=log)
    try:
        code = await asyncio.wait_for(command.process.wait(), within)
    except TimeoutError:
        await kill(command)
        raise AssertionError(
            f"`{' '.join(args)}` did not finish in {within:.0f} s:\n{command.output()}"
        ) from None
    return code, command.output()


async def signed_command(url: str, response_url: str, text: str) -> int:
    """`/strategic TEXT` signed as Slack signs it, POSTed to an app process at `url`; the
    HTTP status of its ack (the answer follows through `response_url`)."""
    form = payload("slash_command") | {"text": text, "response_url": response_url}
    body = urllib.parse.urlencode(form)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} | signed_headers(SECRET, body)
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{url}/slack/events", data=body, headers=headers) as response,
    ):
        return response.status
