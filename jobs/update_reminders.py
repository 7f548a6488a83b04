"""`update-reminders` (hourly): DM each person asked for the weekly update once their own
Thursday 15:00 (`[updates] reminder_weekday`/`reminder_time`) has passed, or their snooze
has (issue 11). Their time zone is Slack's (`users.info`), else the team's."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, tzinfo
from functools import partial
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.update_reminders import update_reminder
from bot.deps import Deps
from bot.domain.update_reminders import could_be_due, due, snooze_till_tomorrow
from bot.services.update_reminders import record_reminded, reminder_round
from jobs.delivery import delivery_client
from jobs.job import Job, Outbound, Plan

log = logging.getLogger(__name__)


async def time_zones(
    client: AsyncWebClient | None, people: Iterable[str], fallback: tzinfo
) -> dict[str, tzinfo]:
    """Each person's zone as Slack has it, looked up once per run; the team's when Slack
    does not say, names one this machine does not know, or there is no Slack to ask (no
    bot token: the demo, a dry run offline)."""
    if client is None:
        return dict.fromkeys(people, fallback)
    zones: dict[str, tzinfo] = {}
    for person in people:
        try:
            name = (await client.users_info(user=person))["user"].get("tz")
            zones[person] = ZoneInfo(name) if name else fallback
        except (SlackApiError, ZoneInfoNotFoundError, ValueError) as exc:
            log.warning("update-reminders: no time zone for %s (%s); team time used", person, exc)
            zones[person] = fallback
    return zones


async def plan(deps: Deps, occurrence: datetime) -> Plan:
    """As of the occurrence, so a catch-up run reminds whoever's time passed meanwhile."""
    found = await reminder_round(deps, occurrence)
    candidates = could_be_due(found.asked, found.state)
    if not candidates:
        return Plan()
    client = delivery_client(deps) if deps.settings.slack_bot_token else None
    zones = await time_zones(client, candidates, deps.settings.team.zone)
    team_zone = deps.settings.team.zone
    people = due(occurrence, found.week, deps.settings.updates, zones, found.state, team_zone)
    messages = [
        Outbound(p, update_reminder(found.week, snooze_till_tomorrow(occurrence, zones[p])))
        for p in people
    ]
    return Plan(messages, partial(record_reminded, week=found.week, people=people, at=occurrence))


DESCRIPTION = "Weekly update reminders, at each person's own Thursday 15:00."
JOB = Job("update-reminders", "0 * * * *", DESCRIPTION, plan, previewed=False)
