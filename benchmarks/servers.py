"""Child processes of the benchmarks: the fake Slack Web API and the bare Bolt app.

The benchmarks start each of these as its own process (``benchmarks/harness.py``), like
production where Slack is elsewhere and the app is alone in its process::

    python -m benchmarks.servers slack-api --port-file F
    python -m benchmarks.servers bare --port P

``slack-api`` serves :class:`tests.slack_api.FakeSlackApi` on an OS-chosen loopback port
plus a small control server on another, writes both URLs to F as JSON, and serves until
terminated. The control server answers ``GET /_bench/count?method=response_url`` with how
many calls of that method arrived since the last ``POST /_bench/reset`` (add
``arrivals=1`` for when each response_url was called, by its path, on the
``time.monotonic()`` clock all processes share), so the benchmark can wait for every
`account show` to have answered, and tell how long each card took, without holding the
calls in its own process.

``bare`` is a Bolt app whose only listener acks `/strategic`, served with
``aiohttp.web.run_app`` and logging set up like ``strategic-bot serve`` (access log on),
configured from the same environment variables: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET,
SLACK_API_URL.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.slack_api import FakeSlackApi

# The path Slack posts to (bot.server.EVENTS_PATH), spelled out so neither this module nor
# the load generator loads the app; a drift shows up as every request failing with 404.
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
COUNT_PATH = "/_bench/count"
RESET_PATH = "/_bench/reset"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # as in bot.cli.main


class CountingSlackApi(FakeSlackApi):
    """FakeSlackApi whose calls are folded into per-method totals, so memory stays flat.

    Thousands of recorded calls (each with its payload and headers) would otherwise pile up
    over a run; every count query folds the calls so far into the totals and resets.
    """

    def __init__(self) -> None:
        super().__init__()
        self.totals: dict[str, int] = {}
        self.violation_total = 0
        self.first_violations: list[str] = []
        self.arrivals: dict[str, float] = {}

    def fold(self) -> None:
        for call in self.calls:
            self.totals[call.method] = self.totals.get(call.method, 0) + 1
            if call.method == "response_url":
                self.arrivals[call.path] = call.at
        self.violation_total += len(self.violations)
        self.first_violations += self.violations[: max(0, 5 - len(self.first_violations))]
        self.reset()

    def clear_totals(self) -> None:
        self.fold()
        self.totals.clear()
        self.arrivals.clear()
        self.violation_total = 0
        self.first_violations.clear()


async def serve_slack_api(port_file: Path) -> None:
    api = CountingSlackApi()

    async def count(request: web.Request) -> web.Response:
        api.fold()
        method = request.query.get("method", "response_url")
        body: dict[str, Any] = {
            "count": api.totals.get(method, 0),
            "violations": api.violation_total,
            "first_violations": api.first_violations,
        }
        if request.query.get("arrivals"):
            body["arrivals"] = api.arrivals
        return web.json_response(body)

    async def reset(_request: web.Request) -> web.Response:
        api.clear_totals()
        return web.json_response({"ok": True})

    control = web.Application()
    control.router.add_get(COUNT_PATH, count)
    control.router.add_post(RESET_PATH, reset)
    runner = web.AppRunner(control, access_log=None)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await api.start()
    try:
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        control_port = runner.addresses[0][1]
        urls = {"api": api.url, "control": f"http://127.0.0.1:{control_port}"}
        partial = port_file.with_name(port_file.name + ".tmp")
        partial.write_text(json.dumps(urls))
        partial.replace(port_file)  # the reader never sees half a file
        await stop.wait()
    finally:
        await runner.cleanup()
        await api.stop()


def serve_bare(host: str, port: int) -> None:
    """A Bolt app whose only listener acks: the floor our app is compared with."""
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncAck, AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    base_url = os.environ["SLACK_API_URL"]
    app = AsyncApp(
        client=AsyncWebClient(
            token=os.environ["SLACK_BOT_TOKEN"],
            base_url=base_url if base_url.endswith("/") else base_url + "/",
        ),
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    )

    @app.command("/strategic")
    async def _ack_only(ack: AsyncAck) -> None:
        await ack()

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    web_app = web.Application()
    web_app.router.add_post(EVENTS_PATH, events)
    web_app.router.add_get(HEALTH_PATH, healthz)
    web.run_app(web_app, host=host, port=port, print=None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    slack = commands.add_parser("slack-api", help="the fake Slack Web API and response_url sink")
    slack.add_argument("--port-file", type=Path, required=True, help="where to write the URLs")
    bare = commands.add_parser("bare", help="a Bolt app that only acks /strategic")
    bare.add_argument("--host", default="127.0.0.1")
    bare.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    if args.command == "slack-api":
        logging.basicConfig(level=logging.WARNING, format=LOG_FORMAT)
        asyncio.run(serve_slack_api(args.port_file))
    else:
        logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)  # access log, like serve
        serve_bare(args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
