"""The HTTP side: Slack posts to /slack/events; load balancers ask /healthz.

Nothing gets in unsigned. The signature is checked on the raw bytes before anything is
parsed: Bolt parses first, so a malformed body or timestamp became a 500 there, and its
error handler then wrote to whatever response_url or user the forged body named.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import AsyncIterator
from datetime import datetime
from http import HTTPStatus

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from multidict import CIMultiDictProxy
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.blocks import phrases
from bot.deps import Deps
from bot.startup.app import open_http
from bot.startup.metrics_api import metrics_route
from handlers.payloads import payload_problem, web_api_host

EVENTS_PATH = "/slack/events"
MAX_EVENT_BYTES = 1024**2
"""aiohttp's default, made explicit: Slack's largest payloads (a 100-block modal submitted,
a click on a 50-block message) stay far below it, and nobody unsigned gets the process to
buffer more than this to find out. /api/metrics raises its own limit."""
SIGNATURE_WINDOW_SECONDS = 300
"""Slack's rule: a request signed longer ago (or ahead) than this may be a replay."""
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
"""Seconds since the epoch as plain ASCII digits: not "1e3", " 12", "١٢" or 5,000 digits."""

log = logging.getLogger(__name__)


def build_web_app(app: AsyncApp, deps: Deps) -> web.Application:
    """Our own aiohttp application, so start-up and shutdown hooks have a place to live."""
    secret = deps.settings.slack_signing_secret
    assert secret is not None  # create_app required it for HTTP
    signing_key = secret.get_secret_value().encode()
    api_host = web_api_host(app)

    async def events(request: web.Request) -> web.Response:
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _refused(413, f"the body is over {MAX_EVENT_BYTES} bytes")
        problem = _signature_problem(request.headers, body, signing_key, deps.clock())
        if problem:
            return _refused(401, problem)
        bolt_request = _bolt_request(request, body)
        if bolt_request is None:
            return _refused(400, "signed, but not a Slack payload", phrases.MALFORMED_REQUEST)
        # Before Bolt too: it builds every listener's arguments (body["actions"][0] …)
        # before any middleware of ours could refuse what they would fail on.
        incomplete = payload_problem(bolt_request.body, api_host)
        if incomplete:
            return _refused(400, f"signed but malformed: {incomplete}", phrases.MALFORMED_REQUEST)
        return await to_aiohttp_response(await app.async_dispatch(bolt_request))

    async def healthz(_request: web.Request) -> web.Response:
        database = await deps.db.ping()
        return web.json_response(
            {"status": "ok" if database else "degraded", "database": "ok" if database else "down"},
            status=200 if database else 503,
        )

    async def http_session(_web_app: web.Application) -> AsyncIterator[None]:
        http = await open_http(app)
        yield
        await http.close()

    web_app = web.Application(client_max_size=MAX_EVENT_BYTES)
    web_app.router.add_post(EVENTS_PATH, events)
    web_app.router.add_get("/healthz", healthz)
    web_app.add_routes([metrics_route(deps)])
    web_app.cleanup_ctx.append(http_session)
    return web_app


def _signature_problem(
    headers: CIMultiDictProxy[str], body: bytes, key: bytes, now: datetime
) -> str | None:
    """Why a request is not Slack's, in words fit for the log (no header value, no body).

    `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`, the timestamp within five minutes
    of the app's clock. Each header exactly once: two would leave "which one" to chance.
    """
    stamps = headers.getall("X-Slack-Request-Timestamp", [])
    signatures = headers.getall("X-Slack-Signature", [])
    if len(stamps) != 1 or len(signatures) != 1:
        return "not exactly one X-Slack-Request-Timestamp and one X-Slack-Signature"
    if not _TIMESTAMP.fullmatch(stamps[0]):
        return "the timestamp is not a whole number of seconds"
    if abs(now.timestamp() - int(stamps[0])) > SIGNATURE_WINDOW_SECONDS:
        return f"the timestamp is more than {SIGNATURE_WINDOW_SECONDS} s from now"
    signed = b"v0:" + stamps[0].encode() + b":" + body
    expected = b"v0=" + hmac.new(key, signed, hashlib.sha256).hexdigest().encode()
    if not hmac.compare_digest(expected, signatures[0].encode(errors="replace")):
        return "the signature does not match"
    return None


def _bolt_request(request: web.Request, body: bytes) -> AsyncBoltRequest | None:
    """The same bytes, for Bolt; None for a signed body that is no Slack payload, which
    Bolt's parsing raises on: not UTF-8 or not JSON (ValueError), JSON nested past the
    parser's recursion (RecursionError), JSON that is not an object (AttributeError)."""
    try:
        return AsyncBoltRequest(
            body=body.decode(), query=request.query_string, headers=dict(request.headers)
        )
    except (ValueError, RecursionError, AttributeError):
        return None


def _refused(status: int, reason: str, answer: str | None = None) -> web.Response:
    """One log line with the reason; the caller learns little more than the status."""
    log.warning("Refused a request to %s (%d): %s", EVENTS_PATH, status, reason)
    return web.Response(status=status, text=answer or HTTPStatus(status).phrase)


class AccessLog(AbstractAccessLogger):
    """aiohttp's access log without the query string, the Referer or any other header:
    a token sent as `?token=…` (by a misconfigured caller, or in a link someone followed)
    would otherwise be written to the log in clear."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        version = f"HTTP/{request.version.major}.{request.version.minor}"
        self.logger.info(
            '%s "%s %s %s" %d %d %.3fs',
            request.remote or "-",
            request.method,
            request.rel_url.raw_path,
            version,
            response.status,
            response.body_length,
            time,
        )
