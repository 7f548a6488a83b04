"""Schedules on wall-clock time: one run per day across daylight saving, catch-up rules."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.schedule import Schedule, plan_catch_up
from jobs.cron import parse_schedule

# (zone, spring-forward day, fall-back day) in 2026
DST_DAYS = [
    ("Europe/Berlin", "2026-03-29", "2026-10-25"),
    ("America/New_York", "2026-03-08", "2026-11-01"),
]


def local_days(schedule: Schedule, moments: list[datetime]) -> Counter[str]:
    return Counter(m.astimezone(schedule.zone).date().isoformat() for m in moments)


@pytest.mark.parametrize(("zone", "spring", "autumn"), DST_DAYS)
@pytest.mark.parametrize("cron", ["0 9 * * *", "30 2 * * *", "0 1 * * *", "59 23 * * *"])
def test_a_daily_job_runs_exactly_once_on_each_dst_day(
    zone: str, spring: str, autumn: str, cron: str
) -> None:
    schedule = parse_schedule(cron, zone)
    for day in (spring, autumn):
        middle = datetime.fromisoformat(day).replace(tzinfo=UTC)
        moments = schedule.occurrences(middle - timedelta(days=3), middle + timedelta(days=3))
        per_day = local_days(schedule, moments)
        assert per_day[day] == 1, (cron, zone, day, moments)
        assert set(per_day.values()) == {1}
        assert moments == sorted(set(moments))


def test_nine_oclock_stays_nine_oclock_across_the_change() -> None:
    schedule = parse_schedule("0 9 * * *", "Europe/Berlin")
    moments = schedule.occurrences(
        datetime(2026, 3, 27, tzinfo=UTC), datetime(2026, 3, 31, tzinfo=UTC)
    )
    assert [m.astimezone(schedule.zone).hour for m in moments] == [9, 9, 9, 9]
    assert [m.hour for m in moments] == [8, 8, 7, 7]  # UTC shifts with the clocks


def test_a_time_skipped_by_the_spring_change_runs_once_just_after_the_gap() -> None:
    schedule = parse_schedule("30 2 * * *", "Europe/Berlin")
    [moment] = schedule.occurrences(
        datetime(2026, 3, 29, tzinfo=UTC), datetime(2026, 3, 29, 12, tzinfo=UTC)
    )
    assert moment == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 summer time


def test_a_time_repeated_by_the_autumn_change_runs_at_its_first_instant() -> None:
    schedule = parse_schedule("30 2 * * *", "Europe/Berlin")
    [moment] = schedule.occurrences(
        datetime(2026, 10, 24, 23, tzinfo=UTC), datetime(2026, 10, 25, 12, tzinfo=UTC)
    )
    assert moment == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 summer time


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1)),
    zone=st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Sydney", "UTC"]),
    hour=st.integers(0, 23),
)
def test_daily_occurrences_are_one_per_local_day(start: datetime, zone: str, hour: int) -> None:
    schedule = parse_schedule(f"15 {hour} * * *", zone)
    begin = start.replace(tzinfo=UTC)
    moments = schedule.occurrences(begin, begin + timedelta(days=10))
    days = local_days(schedule, moments)
    assert all(count == 1 for count in days.values())
    assert len(moments) in (9, 10, 11)


def test_crontab_weekdays_count_from_sunday() -> None:
    schedule = parse_schedule("0 9 * * 1-5", "UTC")
    moments = schedule.occurrences(
        datetime(2026, 11, 22, tzinfo=UTC), datetime(2026, 11, 29, tzinfo=UTC)
    )
    assert [m.strftime("%a") for m in moments] == ["Mon", "Tue", "Wed", "Thu", "Fri"]
    sunday = parse_schedule("0 9 * * 0", "UTC").latest(datetime(2026, 11, 25, tzinfo=UTC))
    assert sunday.strftime("%a %d") == "Sun 22"


def test_latest_and_next() -> None:
    schedule = parse_schedule("0 9 * * 5", "UTC")  # Fridays
    friday = datetime(2026, 11, 27, 9, tzinfo=UTC)
    assert schedule.latest(friday) == friday
    assert schedule.latest(friday - timedelta(seconds=1)) == friday - timedelta(days=7)
    assert schedule.next_after(friday) == friday + timedelta(days=7)


def test_six_fields_start_with_seconds_and_bad_cron_is_refused() -> None:
    every_two = parse_schedule("*/2 * * * * *", "UTC")
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    assert len(every_two.occurrences(now, now + timedelta(minutes=1))) == 30
    with pytest.raises(ValueError, match="not a cron expression"):
        parse_schedule("every monday", "UTC")


HOURLY = parse_schedule("0 * * * *", "UTC")
NOON = datetime(2026, 11, 23, 12, tzinfo=UTC)


def test_catch_up_runs_the_latest_fresh_miss_once_and_skips_the_old() -> None:
    plan = plan_catch_up(HOURLY, NOON - timedelta(hours=30), NOON, grace=timedelta(hours=6))
    assert plan.run == NOON
    assert (plan.skipped_from, plan.skipped_until) == (
        NOON - timedelta(hours=29),
        NOON - timedelta(hours=6),
    )


def test_catch_up_inside_the_grace_skips_nothing() -> None:
    plan = plan_catch_up(
        HOURLY, NOON - timedelta(hours=3), NOON + timedelta(minutes=5), grace=timedelta(hours=6)
    )
    assert (plan.run, plan.skipped_until) == (NOON, None)


def test_catch_up_with_nothing_missed_or_all_too_old() -> None:
    assert plan_catch_up(HOURLY, NOON, NOON + timedelta(minutes=59), timedelta(hours=1)).run is None
    stale = plan_catch_up(
        HOURLY, NOON - timedelta(hours=5), NOON + timedelta(minutes=30), grace=timedelta(minutes=10)
    )
    assert stale.run is None and stale.skipped_until == NOON


def test_first_start_runs_only_a_fresh_latest_occurrence() -> None:
    assert plan_catch_up(HOURLY, None, NOON + timedelta(minutes=5), timedelta(hours=1)).run == NOON
    plan = plan_catch_up(HOURLY, None, NOON + timedelta(minutes=5), timedelta(minutes=1))
    assert (plan.run, plan.skipped_until) == (None, None)


def test_catch_up_of_a_job_every_two_seconds_is_cheap() -> None:
    every_two = parse_schedule("*/2 * * * * *", "UTC")
    plan = plan_catch_up(every_two, NOON - timedelta(days=3), NOON, timedelta(hours=6))
    assert plan.run == NOON and plan.skipped_until == NOON - timedelta(hours=6)


def test_an_hourly_job_has_each_instant_once_on_new_yorks_spring_day() -> None:
    """02:00 does not exist on 2027-03-14: it and 03:00 are both 07:00 UTC, run once."""
    hourly = parse_schedule("0 * * * *", "America/New_York")
    day = hourly.occurrences(
        datetime(2027, 3, 14, 4, tzinfo=UTC), datetime(2027, 3, 14, 9, tzinfo=UTC)
    )
    assert [m.hour for m in day] == [5, 6, 7, 8, 9]


def _transitions(zone: ZoneInfo, year: int) -> list[datetime]:
    """The instants (to the hour) where `zone`'s UTC offset changes during `year`."""
    found = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    while moment.year == year:
        step = moment + timedelta(hours=1)
        if moment.astimezone(zone).utcoffset() != step.astimezone(zone).utcoffset():
            found.append(step)
        moment = step
    return found


def test_every_zones_clock_changes_give_each_hourly_instant_once() -> None:
    """Around every transition of every zone in 2027: strictly increasing instants (none
    twice), and every whole wall hour that exists runs (none lost; a repeated one once)."""
    checked = 0
    for name in sorted(available_timezones()):
        zone = ZoneInfo(name)
        transitions = _transitions(zone, 2027)
        if not transitions:
            continue
        hourly = parse_schedule("0 * * * *", name)
        for change in transitions:
            moments = hourly.occurrences(change - timedelta(hours=6), change + timedelta(hours=6))
            assert moments == sorted(set(moments)), (name, change, moments)
            expected = [
                change + timedelta(hours=h)
                for h in range(-5, 7)
                if (change + timedelta(hours=h)).astimezone(zone).minute == 0
            ]
            walls = {hourly.wall(m) for m in moments}
            assert {hourly.wall(e) for e in expected} <= walls, (name, change, moments)
            checked += 1
    assert checked > 100  # the scan found the world's clock changes
