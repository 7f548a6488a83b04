"""The App Home tab, published whenever someone opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.home import home_view
from bot.deps import Deps
from bot.domain.schedule import Timetable
from bot.ids import Event
from bot.services.home import home_data
from handlers.partners import approvers_of


def register(app: AsyncApp, deps: Deps, timetables: list[Timetable]) -> None:
    approvers = approvers_of(app, deps)  # the home shows approvers the pending nominations

    @app.event(Event.APP_HOME_OPENED)
    async def home_opened(event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab") != "home":
            return
        view = home_view(await home_data(deps, timetables, event["user"], approvers))
        await client.views_publish(user_id=event["user"], view=view)
