"""Who is reminded to write the weekly update, and when (issue 11).

Each person is asked at their own local `reminder_weekday`/`reminder_time` of the team
week: Thursday 15:00 in Berlin and Thursday 15:00 in Los Angeles are nine hours apart.
The rule answers "who is due at this instant", so a run after downtime still finds
everyone whose time passed while the bot was down.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.domain.clock import local_day
from bot.domain.updates import UpdatePolicy, Week

SNOOZE_HOUR = timedelta(hours=1)
SNOOZE_MORNING = time(9, 0)
"""A snooze "till tomorrow" reminds at this time of the person's next day."""


@dataclass(frozen=True)
class WeekReminders:
    """What the week holds already: who was reminded, snoozed, is away, has written."""

    reminded: frozenset[str] = frozenset()
    snoozed: Mapping[str, datetime] = field(default_factory=dict)
    """By person: when a snooze asks to be reminded again (once)."""
    away: Mapping[str, date] = field(default_factory=dict)
    """By person: the last day (their own) they are away."""
    written: frozenset[str] = frozenset()
    posted: bool = False
    """The week's post has gone out: nobody is asked any more."""


def reminder_at(week: Week, policy: UpdatePolicy, zone: tzinfo, team_zone: tzinfo) -> datetime:
    """The person's own reminder moment in `week`, as an aware local time; for someone far
    west of the team whose moment falls after the team's week has ended (a Sunday
    reminder in Honolulu for a team in Berlin), the last hour of the team's week, or the
    week would pass without their reminder."""
    day = week.monday + timedelta(days=policy.reminder_weekday)
    own = datetime.combine(day, policy.reminder_time, tzinfo=zone)
    last_hour = datetime.combine(week.sunday, time(23, 0), tzinfo=team_zone)
    return min(own, last_hour, key=lambda moment: moment.astimezone(UTC))


def due(
    at: datetime,
    week: Week,
    policy: UpdatePolicy,
    zones: Mapping[str, tzinfo],
    state: WeekReminders,
    team_zone: tzinfo,
) -> list[str]:
    """The people (keys of `zones`, each with their time zone) to remind at `at`, sorted.

    A snooze that has come due reminds once more; otherwise a person is reminded once a
    week, after their own moment. Writing an entry, being away or the post stop it.
    """
    if state.posted:
        return []
    return sorted(
        person
        for person, zone in zones.items()
        if person not in state.written
        and not _away(state.away.get(person), at, zone)
        and _time_came(person, at, week, policy, (zone, team_zone), state)
    )


def could_be_due(asked: Iterable[str], state: WeekReminders) -> list[str]:
    """Those of `asked` whose time zone `due` needs: nobody else can be due this week, so
    nobody else is looked up in Slack."""
    if state.posted:
        return []
    return [
        p
        for p in dict.fromkeys(asked)
        if p not in state.written and (p not in state.reminded or p in state.snoozed)
    ]


def _away(until: date | None, at: datetime, zone: tzinfo) -> bool:
    return until is not None and local_day(at, zone) <= until


def _time_came(
    person: str,
    at: datetime,
    week: Week,
    policy: UpdatePolicy,
    zones: tuple[tzinfo, tzinfo],
    state: WeekReminders,
) -> bool:
    """`zones`: the person's and the team's."""
    if (snoozed := state.snoozed.get(person)) is not None:
        return snoozed <= at
    return person not in state.reminded and reminder_at(week, policy, *zones) <= at


def snooze_till_tomorrow(at: datetime, zone: tzinfo) -> datetime:
    """9:00 on the person's next day."""
    return datetime.combine(local_day(at, zone) + timedelta(days=1), SNOOZE_MORNING, tzinfo=zone)
