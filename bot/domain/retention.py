"""Retention per fiscal quarter (seed 003: "Retention (Gross Retention)", "Growth (Net
Retention)"; seed 004: "100% logo retention on Q2 renewals"; seed 001: "iARR closed from
strategic customers"), from plain facts the store keeps: the renewal decisions of the
audit log, each account's ARR history, and the iARR deals.

The cohort of a quarter is the contracts that came up for renewal in it (their end date
falls in the quarter) and were decided, renewed or churned. For each:

- ARR up for renewal: the account's ARR just before the decision;
- ARR renewed: its ARR as of the quarter's close (now, for the quarter under way), at
  most the ARR up for renewal (growth counts once, as expansion iARR), none when churned;
- contraction: what a renewed account's ARR lost, up minus renewed.

Gross revenue retention = (up - churned - contraction) / up, net revenue retention adds
the expansion iARR the cohort's accounts closed in the quarter, logo retention is renewed
over decided. Each is None when no renewal was decided (nothing to divide by).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.fiscal import FiscalQuarter
from bot.domain.iarr import IarrKind


@dataclass(frozen=True)
class ArrChange:
    """One audited change of an account's ARR: `old` and `new` as recorded (None: unset)."""

    at: datetime
    old: int | None
    new: int | None


def arr_at(changes: list[ArrChange], moment: datetime, current: int | None) -> int:
    """The ARR in effect at `moment`: the last change made up to it (one made in the same
    instant counts: an account added and decided at once had its ARR), or else what the
    first later change started from, or else (never changed) the current ARR; unset is 0.
    Changes of one instant keep their given order (the audit log's)."""
    ordered = sorted(changes, key=lambda c: c.at)
    before = [c for c in ordered if c.at <= moment]
    if before:
        value = before[-1].new
    elif ordered:
        value = ordered[0].old
    else:
        value = current
    return value or 0


@dataclass(frozen=True)
class Decision:
    """A renewal decided: which account, the contract end it decided, churned or not, when."""

    account_id: int
    contract_end: date
    churned: bool
    at: datetime


@dataclass(frozen=True)
class RenewalOutcome:
    account_id: int
    contract_end: date
    churned: bool
    arr_up: int
    arr_renewed: int


def renewal_outcomes(
    decisions: list[Decision],
    history: dict[int, list[ArrChange]],
    current_arr: dict[int, int | None],
    as_of: datetime,
) -> list[RenewalOutcome]:
    """Each contract end's last decision (a churn corrected to a renewal counts once, as
    the renewal) with its ARR up for renewal and renewed; `as_of`: the quarter's close,
    or now while it runs (a decision made later is read as of itself)."""
    last: dict[tuple[int, date], Decision] = {}
    for decision in sorted(decisions, key=lambda d: d.at):
        last[(decision.account_id, decision.contract_end)] = decision
    outcomes = []
    for decision in last.values():
        changes = history.get(decision.account_id, [])
        current = current_arr.get(decision.account_id)
        up = arr_at(changes, decision.at, current)
        after = arr_at(changes, max(as_of, decision.at), current)
        renewed = 0 if decision.churned else min(up, after)
        outcomes.append(
            RenewalOutcome(
                decision.account_id, decision.contract_end, decision.churned, up, renewed
            )
        )
    return sorted(outcomes, key=lambda o: (o.contract_end, o.account_id))


@dataclass(frozen=True)
class Deal:
    """An iARR deal closed: which account, the day, the amount, expansion or new."""

    account_id: int
    day: date
    amount: int
    kind: IarrKind


@dataclass(frozen=True)
class Retention:
    quarter: FiscalQuarter
    decided: int
    renewed: int
    arr_up: int
    churned_arr: int
    contraction: int
    expansion: int
    """Expansion iARR closed in the quarter by the accounts up for renewal in it."""
    iarr_closed: int
    """Every iARR deal of the quarter, expansion and new, from any strategic account."""

    @property
    def churned(self) -> int:
        return self.decided - self.renewed

    @property
    def gross(self) -> float | None:
        if not self.arr_up:
            return None
        return (self.arr_up - self.churned_arr - self.contraction) / self.arr_up

    @property
    def net(self) -> float | None:
        if not self.arr_up:
            return None
        return (self.arr_up - self.churned_arr - self.contraction + self.expansion) / self.arr_up

    @property
    def logo(self) -> float | None:
        return self.renewed / self.decided if self.decided else None


def retention(
    quarter: FiscalQuarter, outcomes: Iterable[RenewalOutcome], deals: Iterable[Deal]
) -> Retention:
    """The quarter's figures from the outcomes of its renewals and the iARR deals; outcomes
    and deals outside the quarter are left out here, so callers may pass more."""
    cohort = [o for o in outcomes if quarter.start <= o.contract_end <= quarter.end]
    in_quarter = [d for d in deals if quarter.start <= d.day <= quarter.end]
    members = {o.account_id for o in cohort}
    return Retention(
        quarter=quarter,
        decided=len(cohort),
        renewed=sum(1 for o in cohort if not o.churned),
        arr_up=sum(o.arr_up for o in cohort),
        churned_arr=sum(o.arr_up for o in cohort if o.churned),
        contraction=sum(o.arr_up - o.arr_renewed for o in cohort if not o.churned),
        expansion=sum(
            d.amount for d in in_quarter if d.kind is IarrKind.EXPANSION and d.account_id in members
        ),
        iarr_closed=sum(d.amount for d in in_quarter),
    )
