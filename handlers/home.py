"""The App Home tab, published whenever someone opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.home import home_view
from bot.deps import Deps
from bot.ids import Event
from bot.services.home import home_data
from jobs.catalog import load_jobs


def register(app: AsyncApp, deps: Deps) -> None:
    jobs = load_jobs(deps.settings)

    @app.event(Event.APP_HOME_OPENED)
    async def home_opened(event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab") != "home":
            return
        view = home_view(await home_data(deps, jobs), event["user"], deps.settings.team.admins)
        await client.views_publish(user_id=event["user"], view=view)
