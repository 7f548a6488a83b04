"""The weekly update's rules on plain data: ISO weeks, entries as typed, open blockers, policy."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from bot.domain.updates import (
    MAX_TEXT,
    TEAM_WIDE,
    Blocker,
    EntryDraft,
    UpdatePolicy,
    Week,
    open_weeks,
    parse_week,
    validate_entry,
    week_of,
    weeks_in,
)

# ---------------------------------------------------------------- weeks


@pytest.mark.parametrize(
    ("day", "name", "monday"),
    [
        (date(2026, 11, 30), "2026-W49", date(2026, 11, 30)),  # a Monday is its own week's
        (date(2026, 12, 6), "2026-W49", date(2026, 11, 30)),  # Sunday ends it
        (date(2026, 12, 31), "2026-W53", date(2026, 12, 28)),  # 2026 begins on a Thursday
        (date(2027, 1, 3), "2026-W53", date(2026, 12, 28)),  # January, and still 2026's
        (date(2027, 1, 4), "2027-W01", date(2027, 1, 4)),
        (date(2024, 12, 30), "2025-W01", date(2024, 12, 30)),  # December, and 2025's
        (date(2021, 1, 3), "2020-W53", date(2020, 12, 28)),  # a leap year begun on Wednesday
        (date(2027, 12, 31), "2027-W52", date(2027, 12, 27)),
    ],
)
def test_week_of_names_the_iso_week(day: date, name: str, monday: date) -> None:
    week = week_of(day)
    assert (str(week), week.monday, week.sunday) == (name, monday, monday + timedelta(days=6))


@pytest.mark.parametrize(("year", "weeks"), [(2020, 53), (2025, 52), (2026, 53), (2027, 52)])
def test_a_year_has_52_or_53_weeks(year: int, weeks: int) -> None:
    assert weeks_in(year) == weeks


@pytest.mark.parametrize(
    ("text", "monday"),
    [
        ("2026-W49", date(2026, 11, 30)),
        (" 2026-w49 ", date(2026, 11, 30)),
        ("2026-W53", date(2026, 12, 28)),
        ("2027-W01", date(2027, 1, 4)),
        ("2025-W01", date(2024, 12, 30)),
    ],
)
def test_parse_week(text: str, monday: date) -> None:
    assert parse_week(text) == Week(monday)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2026-W60", "2026 has weeks W01 to W53"),
        ("2026-W00", "2026 has weeks W01 to W53"),
        ("2027-W53", "2027 has weeks W01 to W52"),
        ("next week", "like 2026-W49"),
        ("2026-49", "like 2026-W49"),
        ("W49", "like 2026-W49"),
        ("2026-W049", "like 2026-W49"),
        ("2026-12-01", "like 2026-W49"),
        ("9999-W52", "like 2026-W49"),  # its Sunday is past the calendar's end
        ("0001-W01", "like 2026-W49"),  # its Monday is before the calendar's start
    ],
)
def test_parse_week_says_what_is_wrong(text: str, why: str) -> None:
    refused = parse_week(text)
    assert isinstance(refused, str) and why in refused


def test_every_week_name_reads_back_as_its_week() -> None:
    week = week_of(date(2019, 12, 30))
    while week.monday.year < 2032:
        assert parse_week(str(week)) == week
        assert week.before() < week and week_of(week.sunday) == week
        week = Week(week.monday + timedelta(weeks=1))


def test_a_week_starts_on_a_monday() -> None:
    with pytest.raises(ValueError, match="starts on a Monday"):
        Week(date(2026, 12, 1))


# ---------------------------------------------------------------- entries as typed


def _typed(**values: Any) -> dict[str, Any]:
    return {"account": TEAM_WIDE, "progress": None, "blockers": None, "upcoming": None} | values


def test_an_entry_about_the_team_or_an_account() -> None:
    team = validate_entry(_typed(progress="  Shipped SSO.  "))
    assert team == EntryDraft(account_id=None, progress="Shipped SSO.")
    account = validate_entry(_typed(account="7", blockers="Legal review", still_open="yes"))
    assert account == EntryDraft(account_id=7, blockers="Legal review", still_open=True)


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        (_typed(account=None, progress="x"), "account", "choose an account, or Team-wide"),
        (_typed(account="Acme", progress="x"), "account", "choose an account, or Team-wide"),
        (_typed(), "progress", "write the progress, the blockers or what is upcoming"),
        (_typed(progress=" \n ", upcoming="   "), "progress", "write the progress"),
        (_typed(upcoming="x" * (MAX_TEXT + 1)), "upcoming", "keep it to 3,000 characters"),
        (_typed(progress="x", still_open="yes"), "blockers", "the blocker that is still open"),
        (_typed(blockers="x", still_open="maybe"), "still_open", "boolean"),
    ],
)
def test_what_an_entry_cannot_be(values: dict[str, Any], field: str, words: str) -> None:
    errors = validate_entry(values)
    assert isinstance(errors, dict) and words in errors[field], errors


def test_three_thousand_characters_fit() -> None:
    draft = validate_entry(_typed(progress="x" * MAX_TEXT, blockers="y" * MAX_TEXT))
    assert isinstance(draft, EntryDraft) and draft.progress == "x" * MAX_TEXT


# ---------------------------------------------------------------- blockers that stay open

W49 = Week(date(2026, 11, 30))


def _weeks_ago(n: int, text: str, still_open: bool = False) -> Blocker:
    return Blocker(Week(W49.monday - timedelta(weeks=n)), text, still_open)


@pytest.mark.parametrize(
    ("current", "earlier", "weeks"),
    [
        (Blocker(W49, "Legal review"), [], 1),
        (Blocker(W49, "Legal review"), [_weeks_ago(1, "SSO certificate")], 1),
        (Blocker(W49, "legal   REVIEW "), [_weeks_ago(1, "Legal review")], 2),
        (
            Blocker(W49, "Legal review"),
            [_weeks_ago(1, "Legal review"), _weeks_ago(2, "legal review"), _weeks_ago(4, "x")],
            3,
        ),
        (Blocker(W49, "Legal review"), [_weeks_ago(2, "Legal review")], 1),  # a week without
        (Blocker(W49, "Legal sign-off", still_open=True), [_weeks_ago(1, "Legal review")], 2),
        (Blocker(W49, "Legal review", still_open=True), [], 1),
        (
            Blocker(W49, "Legal sign-off", still_open=True),
            [_weeks_ago(1, "Legal review"), _weeks_ago(2, "Procurement")],
            2,  # last week's was new then: neither repeated nor marked
        ),
        (
            Blocker(W49, "Legal sign-off", still_open=True),
            [_weeks_ago(1, "Legal review", still_open=True), _weeks_ago(2, "Procurement")],
            3,
        ),
    ],
)
def test_open_weeks(current: Blocker, earlier: list[Blocker], weeks: int) -> None:
    assert open_weeks(current, earlier) == weeks


# ---------------------------------------------------------------- policy


def test_the_policy_defaults() -> None:
    policy = UpdatePolicy()
    assert (policy.reminder_weekday, policy.reminder_time) == (3, time(15, 0))
    assert (policy.draft_weekday, policy.draft_time) == (4, time(14, 0))
    assert policy.autopost_time == time(16, 0)
    assert (policy.members, policy.channel) == ([], None)


def test_times_are_written_hh_mm_and_an_empty_autopost_turns_it_off() -> None:
    policy = UpdatePolicy.model_validate(
        {"reminder_time": "09:30", "draft_time": "23:59", "autopost_time": ""}
    )
    assert (policy.reminder_time, policy.draft_time) == (time(9, 30), time(23, 59))
    assert policy.autopost_time is None


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"reminder_time": "9:30"}, 'written "HH:MM"'),
        ({"draft_time": "24:00"}, 'written "HH:MM"'),
        ({"autopost_time": "16:00:00"}, 'written "HH:MM"'),
        ({"reminder_time": ""}, 'written "HH:MM"'),
        ({"draft_time": 1400}, 'written "HH:MM"'),
        ({"reminder_weekday": 7}, "a weekday from 0 (Monday) to 6 (Sunday)"),
        ({"draft_weekday": -1}, "a weekday from 0 (Monday) to 6 (Sunday)"),
        ({"members": ["U0ALICE", "bob"]}, "bob are not Slack user IDs"),
        ({"channel": ""}, "at least 1 character"),
        ({"reminder": "15:00"}, "Extra inputs are not permitted"),
    ],
)
def test_the_policy_refuses(values: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(words)):
        UpdatePolicy.model_validate(values)
