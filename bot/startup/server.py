"""The HTTP side: Slack posts to /slack/events; load balancers ask /healthz."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from bot.deps import Deps
from bot.startup.app import open_http
from bot.startup.metrics_api import metrics_route

EVENTS_PATH = "/slack/events"


def build_web_app(app: AsyncApp, deps: Deps) -> web.Application:
    """Our own aiohttp application, so start-up and shutdown hooks have a place to live."""

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

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

    web_app = web.Application()
    web_app.router.add_post(EVENTS_PATH, events)
    web_app.router.add_get("/healthz", healthz)
    web_app.add_routes([metrics_route(deps)])
    web_app.cleanup_ctx.append(http_session)
    return web_app
