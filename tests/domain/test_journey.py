"""The journey of seed 002 by tier, activity states, and the property that it fits the contract."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.journey import DEFAULT_JOURNEY, Activity, State, journey, state

START, END = date(2026, 2, 1), date(2027, 1, 31)


def keys(tier: int) -> list[str]:
    return [a.key for a in journey(tier, START, END, DEFAULT_JOURNEY)]


def test_business_reviews_by_tier() -> None:
    assert [k for k in keys(1) if k.startswith("qbr")] == ["qbr:q2", "qbr:q3", "qbr:q4"]
    assert [k for k in keys(2) if k.startswith("qbr")] == ["qbr:q3"]
    assert [k for k in keys(3) if k.startswith("qbr")] == []


@pytest.mark.parametrize("tier", [1, 2, 3])
def test_every_tier_plans_accounts_and_renewal_and_is_onboarded(tier: int) -> None:
    found = keys(tier)
    for key in (
        "onboard-planning",
        "production-planning",
        "kickoff",
        "enablement:q1",
        "production-rollout:q1",
        "account-planning:q2",
        "account-planning:q3",
        "renewal-planning:q4",
    ):
        assert key in found
    nurture = [k for k in found if k.startswith("nurture:")]
    assert nurture[0] == "nurture:2026-05-01" and len(nurture) == 9  # monthly from Q2


def test_due_dates() -> None:
    by_key = {a.key: a for a in journey(1, START, END, DEFAULT_JOURNEY)}
    assert by_key["onboard-planning"].due == date(2026, 1, 18)  # before the start
    assert by_key["kickoff"].due == date(2026, 2, 15)
    assert (by_key["qbr:q3"].opens, by_key["qbr:q3"].due) == (date(2026, 8, 1), date(2026, 10, 31))
    assert by_key["renewal-planning:q4"].due == END


def test_a_two_year_contract_onboards_once_and_plans_renewal_once() -> None:
    found = [a.key for a in journey(1, START, date(2028, 1, 31), DEFAULT_JOURNEY)]
    assert [k for k in found if k.startswith("enablement")] == ["enablement:q1"]
    assert [k for k in found if k.startswith("renewal")] == ["renewal-planning:q8"]
    assert "qbr:q6" in found and "account-planning:q7" in found


@pytest.mark.parametrize(
    ("today", "done", "due_within", "expected"),
    [
        (date(2026, 7, 20), False, 14, State.UPCOMING),
        (date(2026, 7, 20), False, 103, State.DUE),  # due in 103 days: within the window
        (date(2026, 8, 1), False, 14, State.DUE),  # its quarter has begun
        (date(2026, 10, 31), False, 14, State.DUE),
        (date(2026, 11, 1), False, 14, State.OVERDUE),
        (date(2026, 11, 1), True, 14, State.DONE),
    ],
)
def test_states(today: date, done: bool, due_within: int, expected: State) -> None:
    activity = Activity("qbr:q3", "QBR", date(2026, 8, 1), date(2026, 10, 31), ("ae",))
    assert state(activity, done, today, due_within) is expected


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 1, 1)),
    length=st.integers(min_value=0, max_value=4 * 366),
    tier=st.sampled_from([1, 2, 3]),
)
def test_every_activity_after_the_start_falls_inside_the_contract(
    start: date, length: int, tier: int
) -> None:
    end = start + timedelta(days=length)
    for activity in journey(tier, start, end, DEFAULT_JOURNEY):
        if activity.key in ("onboard-planning", "production-planning"):
            assert activity.due < start  # by definition before the contract starts
            continue
        assert start <= activity.opens <= activity.due <= end, activity
