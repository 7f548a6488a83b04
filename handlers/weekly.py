"""The weekly update draft's Post button: the EM (or an admin) posts the week's update."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.blocks.weekly import weekly_posted
from bot.deps import Deps
from bot.domain.updates import Week
from bot.ids import Action
from bot.metadata import WeeklyPost
from bot.services.weekly import post_week
from handlers.buttons import Clicked, on_click


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_post(click: Clicked[WeeklyPost]) -> None:
        week = Week(click.value.week)
        await post_week(deps, week, click.user_id)
        posted = weekly_posted(week, deps.settings.updates_channel(), click.user_id)
        await click.redraw(posted.blocks)

    on_click(app, Action.WEEKLY_POST, WeeklyPost, on_post)
