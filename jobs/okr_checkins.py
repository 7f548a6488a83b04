"""`okr-checkins` (Mondays 10:00 team time): each owner of manual key results of the
current fiscal quarter gets one DM listing them, each with a Check in button (issue 14).
Measured key results are the bot's own and ask nobody."""

from __future__ import annotations

from datetime import datetime

from bot.blocks.okrs import checkin_dm
from bot.deps import Deps
from bot.domain.clock import local_day
from bot.domain.okrs import checkin_dm_ref
from bot.services.okrs import checkins_due
from jobs.job import Job, Outbound, Plan


async def plan(deps: Deps, occurrence: datetime) -> Plan:
    """One DM per owner, named by the quarter, the day and the owner: a second run of the
    same occurrence (or a catch-up) queues nothing new."""
    day = local_day(occurrence, deps.settings.team.zone)
    quarter, owed = await checkins_due(deps, day)
    return Plan(
        [
            Outbound(owner, checkin_dm(quarter, owned, day), ref=checkin_dm_ref(day, owner))
            for owner, owned in sorted(owed.items())
        ]
    )


DESCRIPTION = "OKR check-ins: each key result's owner is asked where it stands."
JOB = Job("okr-checkins", "0 10 * * 1", DESCRIPTION, plan)
