"""Days as the team counts them: a scheduled moment or "now" read in the team's time zone."""

from __future__ import annotations

from datetime import date, datetime, tzinfo


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The date `moment` falls on in `zone`: 23:30 UTC on a Monday is Tuesday in Berlin."""
    return moment.astimezone(zone).date()
