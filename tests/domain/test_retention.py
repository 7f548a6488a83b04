"""Retention figures on small worked examples, the arithmetic written out beside each."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.fiscal import fiscal_quarter
from bot.domain.iarr import IarrKind
from bot.domain.retention import (
    ArrChange,
    Deal,
    Decision,
    RenewalOutcome,
    arr_at,
    renewal_outcomes,
    retention,
)

Q4 = fiscal_quarter(date(2026, 11, 23))
"""FY27-Q4: 2026-11-01 … 2027-01-31."""


def at(day: int, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def test_a_quarter_of_four_renewals_worked_out() -> None:
    outcomes = [
        # A: up 100,000, renewed flat                      -> keeps 100,000
        RenewalOutcome(1, date(2026, 11, 30), False, 100_000, 100_000),
        # B: up 200,000, renewed at 150,000                 -> contraction 50,000
        RenewalOutcome(2, date(2026, 12, 15), False, 200_000, 150_000),
        # C: up 300,000, churned                            -> churn 300,000
        RenewalOutcome(3, date(2027, 1, 10), True, 300_000, 0),
        # D: up 400,000, renewed flat                       -> keeps 400,000
        RenewalOutcome(4, date(2027, 1, 31), False, 400_000, 400_000),
        # E: ends in the next quarter: not in this cohort
        RenewalOutcome(5, date(2027, 2, 1), True, 999_000, 0),
    ]
    deals = [
        Deal(1, date(2026, 12, 1), 60_000, IarrKind.EXPANSION),  # A expands: counts in NRR
        Deal(4, date(2027, 1, 5), 40_000, IarrKind.EXPANSION),  # D expands: counts in NRR
        Deal(9, date(2026, 12, 2), 25_000, IarrKind.EXPANSION),  # not in the cohort: iARR only
        Deal(9, date(2026, 11, 2), 75_000, IarrKind.NEW),  # new logo: iARR only
        Deal(1, date(2026, 10, 31), 500_000, IarrKind.EXPANSION),  # last quarter: nowhere
    ]
    r = retention(Q4, outcomes, deals)
    # up for renewal: 100,000 + 200,000 + 300,000 + 400,000 = 1,000,000
    assert (r.arr_up, r.churned_arr, r.contraction) == (1_000_000, 300_000, 50_000)
    # GRR = (1,000,000 - 300,000 - 50,000) / 1,000,000 = 650,000 / 1,000,000
    assert r.gross == pytest.approx(0.65)
    # NRR = (650,000 + 60,000 + 40,000) / 1,000,000 = 750,000 / 1,000,000
    assert r.expansion == 100_000 and r.net == pytest.approx(0.75)
    # logo retention: A, B and D of four renewed = 3 / 4
    assert (r.renewed, r.decided, r.churned) == (3, 4, 1) and r.logo == pytest.approx(0.75)
    # iARR closed in the quarter: 60,000 + 40,000 + 25,000 + 75,000 = 200,000
    assert r.iarr_closed == 200_000


def test_no_renewal_decided_has_no_ratio_but_still_its_iarr() -> None:
    r = retention(Q4, [], [Deal(1, date(2026, 12, 1), 10_000, IarrKind.NEW)])
    assert (r.gross, r.net, r.logo) == (None, None, None)
    assert r.iarr_closed == 10_000


def test_the_arr_in_effect_at_a_moment() -> None:
    # 100,000 from the account's creation on 1 Dec, 80,000 from an edit on 10 Dec
    changes = [ArrChange(at(1), None, 100_000), ArrChange(at(10), 100_000, 80_000)]
    assert arr_at(changes, at(5), 80_000) == 100_000  # after the first change
    assert arr_at(changes, at(20), 80_000) == 80_000  # after the edit
    # before any change: what the first one started from (unset: 0)
    assert arr_at(changes, at(1, month=11), 80_000) == 0
    assert arr_at([], at(5), 70_000) == 70_000  # never audited: its ARR now
    assert arr_at([], at(5), None) == 0


def test_outcomes_read_the_arr_before_the_decision_and_at_the_close() -> None:
    history = {
        # 1: 200,000, cut to 150,000 after its renewal (on 20 Dec): contraction 50,000
        1: [ArrChange(at(1, 1), None, 200_000), ArrChange(at(20), 200_000, 150_000)],
        # 2: 100,000, raised to 130,000 after renewing: growth, not more than it was up for
        2: [ArrChange(at(1, 1), None, 100_000), ArrChange(at(20), 100_000, 130_000)],
    }
    current: dict[int, int | None] = {1: 150_000, 2: 130_000, 3: 90_000}
    decisions = [
        Decision(1, date(2026, 12, 15), False, at(15)),
        Decision(2, date(2026, 12, 15), False, at(15)),
        # 3 was marked churned, then the AE corrected it to renewed: the last one counts
        Decision(3, date(2026, 12, 15), True, at(15)),
        Decision(3, date(2026, 12, 15), False, at(16)),
    ]
    close = datetime(2027, 2, 1, tzinfo=UTC)
    found = renewal_outcomes(decisions, history, current, close)
    assert found == [
        RenewalOutcome(1, date(2026, 12, 15), False, 200_000, 150_000),  # min(200k, 150k)
        RenewalOutcome(2, date(2026, 12, 15), False, 100_000, 100_000),  # min(100k, 130k)
        RenewalOutcome(3, date(2026, 12, 15), False, 90_000, 90_000),  # never audited: now
    ]
    # As of the 18th (the quarter under way), account 1 had not been cut yet.
    early = renewal_outcomes(decisions, history, current, at(18))
    assert early[0].arr_renewed == 200_000


def test_a_churn_keeps_nothing() -> None:
    history = {1: [ArrChange(at(1, 1), None, 50_000)]}
    [churned] = renewal_outcomes(
        [Decision(1, date(2026, 12, 1), True, at(1))], history, {1: 50_000}, at(31)
    )
    assert (churned.arr_up, churned.arr_renewed) == (50_000, 0)
    r = retention(Q4, [churned], [])
    # GRR = (50,000 - 50,000 - 0) / 50,000 = 0; logo 0 of 1
    assert (r.gross, r.net, r.logo) == (0.0, 0.0, 0.0)


def test_a_change_in_the_same_instant_as_the_moment_is_in_effect() -> None:
    # added with 100,000 and decided in the same second (an import, a test clock)
    assert arr_at([ArrChange(at(1), None, 100_000)], at(1), 100_000) == 100_000
