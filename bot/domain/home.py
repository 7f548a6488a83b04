"""What the App Home shows one person: the portfolio at a glance (PRODUCT.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.accounts import Account
from bot.domain.fiscal import FiscalQuarter
from bot.domain.health import AccountHealth
from bot.domain.needs import NeedsSummary
from bot.domain.okrs import KeyResult
from bot.domain.partners import Nomination
from bot.domain.people import PeopleCount
from bot.domain.retention import Retention
from bot.domain.schedule import Sent, Upcoming


@dataclass(frozen=True)
class HomeData:
    items: list[AccountHealth]
    """Worst first."""
    renewals: list[Account]
    """Contracts ending within 90 days, soonest first."""
    red_without_plan: list[AccountHealth]
    assistant_dau: int
    quarter: FiscalQuarter
    iarr: int
    coming: list[Upcoming]
    sent: list[Sent]
    arr_shown: set[int]
    """The renewals whose ARR the viewer may see (their owners and admins)."""
    nominations: list[Nomination] | None = None
    """Pending partner nominations, to an approver; None for anyone else."""
    measured: list[KeyResult] = field(default_factory=list)
    """The key results the bot measures itself, this quarter as of today (issue 14)."""
    people: PeopleCount = field(default_factory=PeopleCount)
    """Champions and advocates across the active accounts (seed 002's metrics)."""
    retention: list[Retention] = field(default_factory=list)
    """The last fiscal quarter's retention figures and this one's so far (issue 15)."""
    retention_amounts: bool = False
    """Whether the viewer sees the ARR behind the retention ratios: the admins."""
    currency: str = "USD"
    """`[team] currency`, which every amount is written in."""
    needs: dict[int, NeedsSummary] = field(default_factory=dict)
    """By account id, the accounts with open customer needs: the count and the top ones."""
