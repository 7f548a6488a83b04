"""When a job's occurrences fall: cron in the team's time zone, once per wall-clock time.

The runner asks: which occurrences fell in a window, which one "now" means, and which
missed ones to run or skip after downtime.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class WallClockCron(Protocol):
    """A cron expression's fire times on a clock without transitions (naive wall time
    carried as UTC). `jobs.cron` adapts APScheduler's CronTrigger, which has this method."""

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None: ...


@dataclass(frozen=True)
class Schedule:
    """A cron expression read in wall-clock time of one time zone.

    APScheduler 3's CronTrigger, given a zone, fires twice on the autumn night the clocks
    go back and can then stall on the repeated hour. So the trigger here runs on naive
    wall-clock time (a zone without transitions) and each wall time becomes one instant:
    a repeated time takes its first instant; a skipped one the instant just after the gap.
    """

    cron: str
    timezone: str
    _wall: WallClockCron

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def instant(self, wall: datetime) -> datetime:
        """The UTC instant a naive wall-clock time stands for (fold=0: the first one)."""
        return wall.replace(tzinfo=self.zone, fold=0).astimezone(UTC)

    def wall(self, instant: datetime) -> datetime:
        return instant.astimezone(self.zone).replace(tzinfo=None)

    def occurrences(self, after: datetime, until: datetime) -> list[datetime]:
        """Every occurrence in (after, until] as UTC instants, oldest first."""
        margin = self._margin(after) + self._margin(until)
        start = (self.wall(after) - margin).replace(tzinfo=UTC)
        stop = (self.wall(until) + margin).replace(tzinfo=UTC)
        found: list[datetime] = []
        current = self._wall.get_next_fire_time(None, start)
        while current is not None and current <= stop:
            moment = self.instant(current.replace(tzinfo=None))
            # A wall time the spring change skips lands on the instant after the gap,
            # which the first wall time after the gap also is: that instant once.
            if after < moment <= until and (not found or moment > found[-1]):
                found.append(moment)
            current = self._wall.get_next_fire_time(current, current + timedelta(microseconds=1))
        return found

    def _margin(self, moment: datetime) -> timedelta:
        """Widen the wall-clock window near a clock change, where wall and instant diverge."""
        day = timedelta(days=1)
        before, after = (self.zone.utcoffset(self.wall(moment + d)) for d in (-day, day))
        return timedelta(hours=3) if before != after else timedelta(0)

    def latest(self, at: datetime) -> datetime:
        """The occurrence that "as of `at`" means: the last one at or before it."""
        for window in WINDOWS:  # small windows first: a job every 2 s has 43,200 a day
            found = self.occurrences(at - window, at)
            if found:
                return found[-1]
        raise ValueError(f"{self.cron!r} has no occurrence in the year before {at:%Y-%m-%d}")

    def next_after(self, at: datetime) -> datetime | None:
        for window in WINDOWS:
            found = self.occurrences(at, at + window)
            if found:
                return found[0]
        return None


@dataclass(frozen=True)
class Timetable:
    """A scheduled job as people see it: its name, what it does and when it runs."""

    name: str
    description: str
    schedule: Schedule
    previewed: bool = True
    """Listed among the week's posts (`upcoming`); see `jobs.job.Job.previewed`."""


@dataclass(frozen=True)
class Upcoming:
    """One occurrence the bot will post in the coming days."""

    at: datetime
    job: str
    description: str


@dataclass(frozen=True)
class Sent:
    """A message the bot delivered, for "what it last sent"."""

    at: datetime
    job: str
    channel: str


@dataclass(frozen=True)
class JobRun:
    """One occurrence as recorded: run (done) by a replica, or skipped after downtime."""

    job: str
    scheduled_for: datetime
    status: str
    replica: str
    messages: int
    note: str | None


def upcoming(
    timetables: list[Timetable], now: datetime, within: timedelta = timedelta(days=7)
) -> list[Upcoming]:
    """Every occurrence of every previewed job within `within` of `now`, soonest first."""
    found = [
        Upcoming(moment, t.name, t.description)
        for t in timetables
        if t.previewed
        for moment in t.schedule.occurrences(now, now + within)
    ]
    return sorted(found, key=lambda u: (u.at, u.job))


WINDOWS = tuple(timedelta(minutes=m) for m in (2, 120, 2 * 1440, 40 * 1440, 400 * 1440))


@dataclass(frozen=True)
class CatchUp:
    run: datetime | None
    """The one missed occurrence to run now: the latest, if it is inside the grace window."""
    skipped_from: datetime | None = None
    skipped_until: datetime | None = None
    """Missed occurrences older than the grace window, first and last: never run."""


def plan_catch_up(
    schedule: Schedule, last: datetime | None, now: datetime, grace: timedelta
) -> CatchUp:
    """A job missed three times runs once, for the latest; the too-old are only noted.

    `last` is the newest occurrence already recorded. With none (a first start) nothing
    counts as missed before the grace window. Only the ends of the skipped range are
    computed, so a job that fires every few seconds costs no more than a daily one.
    """
    latest = schedule.latest(now)
    if last is not None and latest <= last:
        return CatchUp(run=None)
    run = latest if latest >= now - grace else None
    if last is None:
        return CatchUp(run=run)
    first_missed = schedule.next_after(last)
    newest_old = (
        schedule.latest(now - grace) if first_missed and first_missed < now - grace else None
    )
    if newest_old is None or newest_old <= last:
        return CatchUp(run=run)
    return CatchUp(run=run, skipped_from=first_missed, skipped_until=newest_old)
