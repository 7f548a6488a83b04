"""Incoming usage figures: each implausible or malformed value refused with its reason."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.metrics import SnapshotInput, parse_metrics_command, validate_snapshot
from bot.domain.numbers import INTEGER_MAX, SUMMED_MAX

TODAY = date(2026, 11, 23)
GOOD = {"account": "Acme", "day": "2026-11-22", "dau": "50", "mau": "100", "seats": "120"}


def test_a_good_snapshot_with_optional_figures() -> None:
    snapshot = validate_snapshot(GOOD | {"shown": "10", "accepted": "3"}, TODAY)
    assert isinstance(snapshot, SnapshotInput)
    assert (snapshot.dau, snapshot.accepted, snapshot.assistant_dau) == (50, 3, None)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"dau": "-1"}, "dau", "must not be negative"),
        ({"mau": "lots"}, "mau", "whole number"),
        ({"dau": "101"}, "dau", "cannot exceed 100 monthly users"),
        ({"mau": "1201", "dau": "1"}, "mau", "more than 10 times the 120 licensed seats"),
        ({"accepted": "5"}, "accepted", "more completions accepted than shown"),
        ({"shown": "4", "accepted": "5"}, "accepted", "more completions accepted than shown"),
        ({"day": "2026-11-24"}, "day", "in the future"),
        ({"day": "22/11/2026"}, "day", "YYYY-MM-DD"),
        ({"seats": None}, "seats", "required"),
        ({"wau": "3"}, "wau", "is not a metric"),
    ],
)
def test_bad_figures_are_refused_with_the_reason(
    change: dict[str, str | None], field: str, words: str
) -> None:
    values = {k: v for k, v in (GOOD | change).items() if v is not None}
    errors = validate_snapshot(values, TODAY)
    assert isinstance(errors, dict)
    assert field in errors and words in errors[field], errors


def test_mau_at_exactly_ten_times_the_seats_is_allowed() -> None:
    assert isinstance(validate_snapshot(GOOD | {"mau": "1200"}, TODAY), SnapshotInput)


LARGEST = GOOD | {
    "dau": INTEGER_MAX,
    "mau": INTEGER_MAX,
    "seats": INTEGER_MAX,
    "assistant_dau": INTEGER_MAX,
    "shown": SUMMED_MAX,
    "accepted": SUMMED_MAX,
}
"""What the store's columns hold: Integer for people and seats, BigInteger for completions.
Each case changes one field of it, so the others are shown valid at their largest."""


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("dau", INTEGER_MAX + 1, "must be at most 2,147,483,647"),
        ("mau", INTEGER_MAX + 1, "must be at most 2,147,483,647"),
        ("seats", str(10**20), "must be at most 2,147,483,647"),
        ("assistant_dau", INTEGER_MAX + 1, "must be at most 2,147,483,647"),
        ("shown", SUMMED_MAX + 1, "must be at most 1,000,000,000,000"),
        ("accepted", "9" * 400, "must be at most 1,000,000,000,000"),
        ("seats", "9" * 5000, "is far too large"),
        ("dau", True, "must be a number, not true or false"),
        ("seats", False, "must be a number, not true or false"),
        ("shown", True, "must be a number, not true or false"),
        ("mau", float("inf"), "must be a whole number"),
        ("mau", [100], "must be a whole number"),
        ("account", 42, "must be text"),
    ],
)
def test_figures_past_their_column_and_booleans_are_refused(
    field: str, value: object, words: str
) -> None:
    assert validate_snapshot(LARGEST | {field: value}, TODAY) == {field: words}


def test_the_command_refuses_seats_past_the_column() -> None:
    text = "ACME dau=1 mau=1 seats=100000000000000000000"
    assert parse_metrics_command(text, TODAY) == {"seats": "must be at most 2,147,483,647"}
