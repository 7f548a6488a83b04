"""Health rules at and around every threshold, the 60-day grace, missing data, zero."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from bot.domain.health import (
    HealthPolicy,
    Status,
    Threshold,
    UsageFigures,
    assess,
    trend,
)

TODAY = date(2026, 11, 23)
POLICY = HealthPolicy()


def healthy(**overrides: object) -> UsageFigures:
    base: dict[str, object] = {
        "latest_day": TODAY,
        "mau": 900,
        "licensed_seats": 1000,
        "dau_4week_average": 500.0,
        "last_month_mau": 1000,
        "completions_shown": 1000,
        "completions_accepted": 300,
        "assistant_dau": 400,
        "available_developers": 1000,
        "production_start": date(2026, 1, 1),
    }
    return UsageFigures(**(base | overrides))  # type: ignore[arg-type]


def measure(figures: UsageFigures, name: str) -> tuple[Status | None, str]:
    found = next(m for m in assess(figures, POLICY, TODAY).measures if m.name == name)
    return found.status, found.reason


@pytest.mark.parametrize(
    ("mau", "status"),
    [
        (800, Status.GREEN),
        (799, Status.YELLOW),
        (600, Status.YELLOW),
        (599, Status.RED),
        (0, Status.RED),
    ],
)
def test_utilization_thresholds(mau: int, status: Status) -> None:
    assert measure(healthy(mau=mau), "utilization")[0] is status


@pytest.mark.parametrize(
    ("avg", "status"),
    [(400.0, Status.GREEN), (399.9, Status.YELLOW), (250.0, Status.YELLOW), (249.9, Status.RED)],
)
def test_consumption_thresholds(avg: float, status: Status) -> None:
    assert measure(healthy(dau_4week_average=avg), "consumption")[0] is status


@pytest.mark.parametrize(
    ("accepted", "status"),
    [(250, Status.GREEN), (249, Status.YELLOW), (150, Status.YELLOW), (149, Status.RED)],
)
def test_acceptance_thresholds(accepted: int, status: Status) -> None:
    assert measure(healthy(completions_accepted=accepted), "acceptance")[0] is status


@pytest.mark.parametrize(
    ("dau", "status"),
    [(300, Status.GREEN), (299, Status.YELLOW), (150, Status.YELLOW), (149, Status.RED)],
)
def test_assistant_adoption_thresholds(dau: int, status: Status) -> None:
    assert measure(healthy(assistant_dau=dau), "assistant_adoption")[0] is status


@pytest.mark.parametrize(
    ("days_in_production", "judged"), [(0, False), (59, False), (60, True), (400, True)]
)
def test_utilization_is_expected_from_sixty_days_after_production_start(
    days_in_production: int, judged: bool
) -> None:
    figures = healthy(mau=100, production_start=TODAY - timedelta(days=days_in_production))
    status, reason = measure(figures, "utilization")
    assert (status is Status.RED) if judged else (status is None)
    if not judged:
        assert "expected from" in reason


def test_production_not_started_yet_is_not_judged_on_utilization() -> None:
    assert (
        measure(healthy(mau=0, production_start=TODAY + timedelta(days=10)), "utilization")[0]
        is None
    )


@pytest.mark.parametrize(
    ("change", "name", "words"),
    [
        ({"licensed_seats": 0}, "utilization", "licensed seats not set"),
        ({"licensed_seats": None}, "utilization", "licensed seats not set"),
        ({"last_month_mau": 0}, "consumption", "no MAU last month"),
        ({"completions_shown": 0}, "acceptance", "no completions shown"),
        ({"available_developers": None}, "assistant_adoption", "available developers not set"),
    ],
)
def test_division_by_zero_and_missing_data_leave_a_measure_unjudged(
    change: dict[str, object], name: str, words: str
) -> None:
    status, reason = measure(healthy(**change), name)
    assert status is None and words in reason


def test_status_is_the_worst_measure_with_reasons_worst_first() -> None:
    health = assess(healthy(mau=700, completions_accepted=100), POLICY, TODAY)
    assert health.status is Status.RED
    assert health.reasons == [
        "Completion acceptance 10%, below 15% (target 25%)",
        "Utilization (MAU / licensed seats) 70%, below the 80% target",
    ]


def test_all_green_and_no_data_at_all() -> None:
    assert assess(healthy(), POLICY, TODAY).status is Status.GREEN
    empty = assess(UsageFigures(latest_day=None), POLICY, TODAY)
    assert (empty.status, empty.stale) == (None, True)


@pytest.mark.parametrize(("age", "stale"), [(0, False), (3, False), (4, True)])
def test_stale_after_the_configured_days(age: int, stale: bool) -> None:
    figures = healthy(latest_day=TODAY - timedelta(days=age))
    assert assess(figures, POLICY, TODAY).stale is stale


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="yellow must not be above green"):
        Threshold(green=0.5, yellow=0.6)


def test_trend_against_a_week_ago() -> None:
    assert trend(Status.RED, Status.GREEN) == "worse"
    assert trend(Status.GREEN, Status.YELLOW) == "better"
    assert trend(Status.YELLOW, Status.YELLOW) == "same"
    assert trend(Status.GREEN, None) == "new"
