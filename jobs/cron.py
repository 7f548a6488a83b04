"""Cron expressions read by APScheduler's CronTrigger, as `bot.domain.schedule` needs them.

The domain keeps the rules (wall-clock time, daylight saving, catch-up); this module only
parses the crontab text, so the domain imports no scheduler library.
"""

from __future__ import annotations

from datetime import UTC

from apscheduler.triggers.cron import CronTrigger

from bot.domain.schedule import Schedule

FIELDS = ("second", "minute", "hour", "day", "month", "day_of_week")


def parse_schedule(cron: str, timezone: str) -> Schedule:
    """Five crontab fields (minute hour day month weekday), or six with seconds first.

    The trigger runs in UTC standing for naive wall-clock time: `Schedule` turns each
    wall time into its instant in `timezone` (see its docstring for why).
    """
    parts = cron.split()
    if len(parts) == 5:
        parts = ["0", *parts]
    if len(parts) != 6:
        raise ValueError(f"{cron!r} is not a cron expression: give 5 fields (m h dom mon dow)")
    values = _crontab_weekdays(dict(zip(FIELDS, parts, strict=True)))
    return Schedule(cron, timezone, CronTrigger(timezone=UTC, **values))


def _crontab_weekdays(values: dict[str, str]) -> dict[str, str]:
    """crontab counts weekdays from Sunday = 0, APScheduler from Monday = 0: use names."""
    names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    dow = values["day_of_week"]
    if not any(ch.isdigit() for ch in dow):
        return values
    converted = []
    for token in dow.split(","):
        body, _, step = token.partition("/")
        ends = [names[int(p)] if p.isdigit() else p for p in body.split("-")]
        converted.append("-".join(ends) + (f"/{step}" if step else ""))
    return values | {"day_of_week": ",".join(converted)}
