"""`okr-quarter-summary` (16:00 team time on the last day of each fiscal quarter): each
team's results of the quarter to `[team] strategic_channel` — final values, statuses and
what changed since each key result's first check-in (issue 14).

Cron cannot say "the last day of a fiscal quarter" (the fiscal year may start in any
month), so the job runs every day at 16:00 and plans nothing unless that day, in team
time, is its quarter's last (`bot.domain.okrs.is_quarter_end`). A run caught up after
downtime on the next morning finds a new quarter and sends nothing: the summary is of
the day it was due.
"""

from __future__ import annotations

from datetime import datetime

from bot.blocks.okrs import quarter_summary_message
from bot.blocks.retention import retention_appended
from bot.deps import Deps
from bot.domain.clock import local_day
from bot.domain.okrs import MEASURED_TEAM, is_quarter_end, team_key
from bot.services.okrs import current_quarter, quarter_summary
from bot.services.retention import quarter_retention
from jobs.job import Job, Outbound, Plan


async def plan(deps: Deps, occurrence: datetime) -> Plan:
    team = deps.settings.team
    day = local_day(occurrence, team.zone)
    if not is_quarter_end(day, team.fiscal_year_start_month):
        return Plan()
    quarter = current_quarter(deps, day)
    # Strategic's post carries the quarter's retention figures (issue 15), its ARR amounts
    # only where the team shows sensitive figures in channels.
    figures = await quarter_retention(deps, quarter)
    amounts = team.show_sensitive_in_channels
    return Plan(
        [
            Outbound(
                team.strategic_channel,
                retention_appended(
                    quarter_summary_message(quarter, summary), figures, amounts, team.currency
                )
                if team_key(summary.team) == team_key(MEASURED_TEAM)
                else quarter_summary_message(quarter, summary),
                ref=f"okr-summary:{quarter.label}:{team_key(summary.team)}",
            )
            for summary in await quarter_summary(deps, quarter)
        ]
    )


DESCRIPTION = "The quarter's OKR results per team, on its last day."
JOB = Job("okr-quarter-summary", "0 16 * * *", DESCRIPTION, plan, previewed=False)
