"""Who is reminded to write the weekly update at an instant: each at their own time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.update_reminders import (
    WeekReminders,
    could_be_due,
    due,
    reminder_at,
    snooze_till_tomorrow,
)
from bot.domain.updates import UpdatePolicy, Week

BERLIN = ZoneInfo("Europe/Berlin")
LA = ZoneInfo("America/Los_Angeles")
POLICY = UpdatePolicy()  # Thursday 15:00
WEEK = Week(date(2026, 11, 23))
ZONES = {"U0LEAD": BERLIN, "U0MEMBER": LA}


def utc(day: int, hour: int, minute: int = 0, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_each_is_due_from_their_own_local_time() -> None:
    assert due(utc(26, 13, 59), WEEK, POLICY, ZONES, WeekReminders(), BERLIN) == []
    assert due(utc(26, 14), WEEK, POLICY, ZONES, WeekReminders(), BERLIN) == ["U0LEAD"]
    assert due(utc(26, 22, 59), WEEK, POLICY, ZONES, WeekReminders(), BERLIN) == ["U0LEAD"]
    assert due(utc(26, 23), WEEK, POLICY, ZONES, WeekReminders(), BERLIN) == ["U0LEAD", "U0MEMBER"]


def test_after_downtime_everyone_whose_time_passed_is_due() -> None:
    assert due(utc(28, 8), WEEK, POLICY, ZONES, WeekReminders(), BERLIN) == ["U0LEAD", "U0MEMBER"]


def test_the_reminded_the_written_the_away_and_a_posted_week_are_not() -> None:
    late = utc(27, 12)
    assert due(
        late, WEEK, POLICY, ZONES, WeekReminders(reminded=frozenset({"U0LEAD"})), BERLIN
    ) == ["U0MEMBER"]
    assert due(
        late, WEEK, POLICY, ZONES, WeekReminders(written=frozenset({"U0MEMBER"})), BERLIN
    ) == ["U0LEAD"]
    assert due(late, WEEK, POLICY, ZONES, WeekReminders(posted=True), BERLIN) == []


def test_away_ends_after_its_last_day_in_their_own_zone() -> None:
    away = WeekReminders(away={"U0MEMBER": date(2026, 11, 26)})
    # 07:00 UTC on the 27th is still the 26th in Los Angeles.
    assert due(utc(27, 7), WEEK, POLICY, ZONES, away, BERLIN) == ["U0LEAD"]
    assert due(utc(27, 8), WEEK, POLICY, ZONES, away, BERLIN) == ["U0LEAD", "U0MEMBER"]


def test_a_snooze_reminds_once_more_when_it_comes_due() -> None:
    reminded = frozenset(ZONES)
    snoozed = WeekReminders(reminded=reminded, snoozed={"U0LEAD": utc(26, 15)})
    assert due(utc(26, 14, 30), WEEK, POLICY, ZONES, snoozed, BERLIN) == []
    assert due(utc(26, 15), WEEK, POLICY, ZONES, snoozed, BERLIN) == ["U0LEAD"]


def test_a_dst_week_moves_the_utc_moment_not_the_local_one() -> None:
    """Los Angeles moves to summer time on 2027-03-14; Berlin only on 2027-03-28."""
    before, after = Week(date(2027, 3, 8)), Week(date(2027, 3, 15))
    assert reminder_at(before, POLICY, LA, BERLIN).astimezone(UTC) == utc(
        11, 23, month=3, year=2027
    )
    assert reminder_at(after, POLICY, LA, BERLIN).astimezone(UTC) == utc(18, 22, month=3, year=2027)
    assert reminder_at(after, POLICY, BERLIN, BERLIN).astimezone(UTC) == utc(
        18, 14, month=3, year=2027
    )
    assert due(utc(18, 22, month=3, year=2027), after, POLICY, ZONES, WeekReminders(), BERLIN) == [
        "U0LEAD",
        "U0MEMBER",
    ]


def test_snooze_till_tomorrow_is_nine_their_time() -> None:
    at = utc(26, 23, 30)  # 15:30 in Los Angeles, already Friday in Berlin
    assert snooze_till_tomorrow(at, LA) == datetime(2026, 11, 27, 9, tzinfo=LA)
    assert snooze_till_tomorrow(at, BERLIN) == datetime(2026, 11, 28, 9, tzinfo=BERLIN)
    assert snooze_till_tomorrow(at, LA) - at > timedelta(hours=17)


def test_only_those_who_could_be_due_are_looked_up() -> None:
    state = WeekReminders(
        reminded=frozenset({"U0A", "U0B"}), snoozed={"U0B": utc(26, 15)}, written=frozenset({"U0C"})
    )
    assert could_be_due(["U0A", "U0B", "U0C", "U0D", "U0D"], state) == ["U0B", "U0D"]
    assert could_be_due(["U0D"], WeekReminders(posted=True)) == []


def test_a_reminder_moment_past_the_team_weeks_end_comes_in_its_last_hour() -> None:
    sunday = UpdatePolicy(reminder_weekday=6)  # 15:00 Sunday in Honolulu: Monday in Berlin
    honolulu = ZoneInfo("Pacific/Honolulu")
    last_hour = datetime(2026, 11, 29, 23, tzinfo=BERLIN)
    assert reminder_at(WEEK, sunday, honolulu, BERLIN) == last_hour
    assert reminder_at(WEEK, sunday, LA, BERLIN).astimezone(UTC) == last_hour.astimezone(UTC)
    zones = {"U0FARWEST": honolulu, "U0LEAD": BERLIN}
    assert due(utc(29, 14), WEEK, sunday, zones, WeekReminders(), BERLIN) == ["U0LEAD"]
    reminded = WeekReminders(reminded=frozenset({"U0LEAD"}))
    assert due(utc(29, 21, 59), WEEK, sunday, zones, reminded, BERLIN) == []
    assert due(utc(29, 22), WEEK, sunday, zones, reminded, BERLIN) == ["U0FARWEST"]
