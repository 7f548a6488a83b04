"""`health-alerts` (daily): an alert when an account enters a state, and once a week the
red accounts that have no get-well plan (seeds 003, 004).

It also records every account's status of the day: trend and "since when" come from it.
"""

from __future__ import annotations

from datetime import datetime

from bot.blocks.alerts import health_alert, red_without_plan
from bot.deps import Deps
from bot.domain.clock import local_day
from bot.services.alerts import alert_round, remember_round
from jobs.job import Job, Outbound, Plan


async def plan(deps: Deps, occurrence: datetime) -> Plan:
    found = await alert_round(deps, local_day(occurrence, deps.settings.team.zone))
    currency = deps.settings.team.currency
    messages = [
        Outbound(
            e.channel, health_alert(e.item, e.previous, e.ack, currency if e.show_arr else None)
        )
        for e in found.entered
    ]
    if found.neglected:
        messages.append(Outbound(found.neglected_channel, red_without_plan(found.neglected)))
    return Plan(messages, apply=lambda session: remember_round(session, found, occurrence))


DESCRIPTION = "Health alerts on change; weekly red accounts without a plan."
JOB = Job("health-alerts", "0 9 * * *", DESCRIPTION, plan)
