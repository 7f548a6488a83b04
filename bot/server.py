"""The HTTP side: Slack posts to /slack/events; load balancers ask /healthz."""

from __future__ import annotations

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from bot.deps import Deps

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

    async def close_database(_app: web.Application) -> None:
        await deps.db.dispose()

    web_app = web.Application()
    web_app.router.add_post(EVENTS_PATH, events)
    web_app.router.add_get("/healthz", healthz)
    web_app.on_cleanup.append(close_database)
    return web_app
