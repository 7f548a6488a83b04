"""Building the Bolt app: one Web API client pointed at SLACK_API_URL, and every listener."""

from __future__ import annotations

import gc
import logging

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.startup.collector import COLLECTOR
from handlers import register_handlers
from jobs.catalog import load_jobs


def web_client(deps: Deps) -> AsyncWebClient:
    """The client Bolt copies into every request: base URL, retries and timeout included."""
    settings = deps.settings
    settings.require("slack_bot_token")
    assert settings.slack_bot_token is not None  # for mypy: require() raised otherwise
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
    )


class _OurClientsToken(logging.Filter):
    """Drops Bolt's "As you gave `client` as well, `token` will be unused." at start-up.

    Bolt reads SLACK_BOT_TOKEN from the environment itself and warns whenever it is set
    and a client is given too. Ours is given on purpose (base URL, retries, timeout) and
    holds that very token, so the warning says nothing, at every start. Bolt's other
    warnings pass.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


_TOKEN_WARNING = _OurClientsToken()


def create_app(deps: Deps, *, socket_mode: bool = False) -> AsyncApp:
    """The app for HTTP (signatures checked) or Socket Mode (Slack skips signatures there)."""
    logging.getLogger("slack_bolt.AsyncApp").addFilter(_TOKEN_WARNING)  # added once only
    settings = deps.settings
    settings.require("slack_bot_token", *([] if socket_mode else ["slack_signing_secret"]))
    secret = settings.slack_signing_secret
    app = AsyncApp(
        client=web_client(deps),
        signing_secret=secret.get_secret_value() if secret else None,
        # Over HTTP, bot/startup/server.py verifies every signature on the raw bytes before
        # Bolt sees the request (Bolt parsed first, then checked); in Socket Mode Slack
        # skips signatures. A second check here would only cost each ack an HMAC.
        request_verification_enabled=False,
        raise_error_for_unhandled_request=False,
    )
    app.use(COLLECTOR.touched)
    register_handlers(app, deps, [j.timetable for j in load_jobs(settings).values()])
    return app


async def open_http(app: AsyncApp) -> aiohttp.ClientSession:
    """One HTTP session for every Slack call of this process, opened inside the running loop.

    Bolt copies `app.client.session` into each request's client; without it slack_sdk
    opens and closes a connection pool for every single API call.
    """
    session = aiohttp.ClientSession()
    app.client.session = session
    return session


def freeze_startup_objects() -> None:
    """Keep what start-up built (modules, the Bolt app, SQLAlchemy's and pydantic's
    schemas: most of the heap) out of every later garbage collection.

    A full collection walks every tracked object, and a burst of commands triggers some:
    without this, each stalled the event loop for tens of milliseconds, which showed as
    the worst acks of a burst (benchmarks/ack.py). Later full collections wait for a
    quiet moment (bot/startup/collector.py).
    """
    gc.collect()
    gc.freeze()
    COLLECTOR.take_over()
