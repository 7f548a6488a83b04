"""The weekly update draft's buttons: Post (the EM or an admin posts the week's update) and
Edit (opens their own team-wide entry of the week)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.blocks.updates import update_modal
from bot.blocks.weekly import weekly_posted
from bot.deps import Deps
from bot.domain.updates import Week
from bot.ids import Action
from bot.metadata import UpdateForm, WeeklyPost
from bot.services.updates import accounts_to_write_about
from bot.services.weekly import own_team_entry, post_week
from handlers.buttons import Clicked, on_click


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_post(click: Clicked[WeeklyPost]) -> None:
        week = Week(click.value.week)
        await post_week(deps, week, click.user_id)
        posted = weekly_posted(week, deps.settings.updates_channel(), click.user_id)
        await click.redraw(posted.blocks)

    async def on_edit(click: Clicked[WeeklyPost]) -> None:
        week = Week(click.value.week)
        entry = await own_team_entry(deps, week, click.user_id)
        view = update_modal(UpdateForm(), await accounts_to_write_about(deps), week, entry)
        await click.client.views_open(trigger_id=click.body["trigger_id"], view=view)

    on_click(app, Action.WEEKLY_POST, WeeklyPost, on_post)
    on_click(app, Action.WEEKLY_EDIT, WeeklyPost, on_edit)
