"""Slack listeners: thin adapters from Slack payloads to use cases and back to blocks."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.deps import Deps
from bot.domain.schedule import Timetable
from handlers import (
    accounts,
    alerts,
    commands,
    errors,
    health,
    help,
    history,
    home,
    iarr,
    initiatives,
    journey,
    membership,
    needs,
    okrs,
    partners,
    payloads,
    people,
    plans,
    renewals,
    update_reminders,
    updates,
    weekly,
)


def register_handlers(app: AsyncApp, deps: Deps, timetables: list[Timetable]) -> None:
    """Each feature registers its listeners; the `/strategic` router gets their sub-commands.

    `timetables`: the scheduled jobs, which the App Home previews (handlers know no jobs).
    """
    payloads.register(app)
    membership.register(app, deps)  # the team's door, before every listener
    errors.register(app)
    commands.register(
        app,
        deps,
        {
            **help.SUBCOMMANDS,
            **accounts.SUBCOMMANDS,
            **health.SUBCOMMANDS,
            **plans.SUBCOMMANDS,
            **iarr.SUBCOMMANDS,
            **journey.SUBCOMMANDS,
            **history.SUBCOMMANDS,
            **renewals.SUBCOMMANDS,
            **updates.SUBCOMMANDS,
            **update_reminders.SUBCOMMANDS,
            **partners.SUBCOMMANDS,
            **okrs.SUBCOMMANDS,
            **people.SUBCOMMANDS,
            **initiatives.SUBCOMMANDS,
            **needs.SUBCOMMANDS,
        },
    )
    accounts.register(app, deps)
    alerts.register(app, deps)
    home.register(app, deps, timetables)
    journey.register(app, deps)
    plans.register(app, deps)
    renewals.register(app, deps)
    iarr.register(app, deps)
    updates.register(app, deps)
    update_reminders.register(app, deps)
    weekly.register(app, deps)
    partners.register(app, deps)
    okrs.register(app, deps)
    people.register(app, deps)
    initiatives.register(app, deps)
    needs.register(app, deps)
