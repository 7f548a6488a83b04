"""When the weekly update runs by default: its schedule follows `[updates]` draft_weekday,
draft_time and autopost_time.

A module of its own, apart from `jobs/weekly_update.py`, because the catalog needs the
schedule without the job's services, store and blocks: `jobs list` and the config check
import it at start-up (benchmarks/cli_start.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings


def cron_for(settings: Settings) -> str:
    """On the draft's weekday at draft_time and at autopost_time (cron counts weekdays from
    Sunday = 0). Times with different minutes also run at the crossed ones: harmless, as a
    run only sends what is due and not yet sent."""
    policy = settings.updates
    times = [policy.draft_time, *([policy.autopost_time] if policy.autopost_time else [])]
    minutes = ",".join(sorted({str(t.minute) for t in times}, key=int))
    hours = ",".join(sorted({str(t.hour) for t in times}, key=int))
    return f"{minutes} {hours} * * {(policy.draft_weekday + 1) % 7}"
