"""Incoming usage figures: each implausible or malformed value refused with its reason."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.metrics import SnapshotInput, validate_snapshot

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
