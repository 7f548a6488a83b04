"""The customer journey by tier (seed 002), as data: what is due when, for whom.

The table is configuration (`[journey]`), so a team can change its journey without
code; the default is the handbook's. Each activity happens before the contract starts,
at its start, in given quarters of each contract year, or monthly from a quarter on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.accounts import Account
from bot.domain.contract import add_months, contract_quarters, months

Role = Literal["ae", "ta_ce", "lead_engineer", "exec_sponsor"]


class ActivitySpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9_-]+$")
    title: str
    when: Literal["before_start", "at_start", "quarter", "monthly"]
    tiers: list[int] = [1, 2, 3]
    quarters: list[int] = []
    """For "quarter": quarters of each contract year (1-4); for "monthly": from this quarter."""
    owners: list[Role] = ["ae", "ta_ce"]
    days: int = 14
    """before_start: due this many days before the start; at_start: this many days after."""
    first_year_only: bool = False
    last_year_only: bool = False


def _spec(key: str, title: str, when: str, **more: object) -> ActivitySpec:
    return ActivitySpec.model_validate({"key": key, "title": title, "when": when, **more})


DEFAULT_JOURNEY: list[ActivitySpec] = [
    _spec("onboard-planning", "Onboard planning: onboarding and engagement plans", "before_start"),
    _spec(
        "production-planning",
        "Production planning: the technical design document",
        "before_start",
        owners=["ta_ce"],
    ),
    _spec("kickoff", "Kickoff meeting with the 30/60/90-day plan", "at_start"),
    _spec(
        "enablement",
        "Customer enablement",
        "quarter",
        quarters=[1],
        owners=["ta_ce"],
        first_year_only=True,
    ),
    _spec(
        "production-rollout",
        "Production rollout",
        "quarter",
        quarters=[1],
        owners=["ta_ce"],
        first_year_only=True,
    ),
    _spec(
        "qbr", "Business review (QBR) with the customer", "quarter", tiers=[1], quarters=[2, 3, 4]
    ),
    _spec("qbr", "Business review (QBR) with the customer", "quarter", tiers=[2], quarters=[3]),
    _spec("account-planning", "Account planning", "quarter", quarters=[2, 3]),
    _spec("renewal-planning", "Renewal planning", "quarter", quarters=[4], last_year_only=True),
    _spec("nurture", "Monthly nurture and enablement", "monthly", quarters=[2], owners=["ta_ce"]),
]


class JourneyPolicy(BaseModel):
    """`[journey]`: the activities, and how far ahead an activity counts as due."""

    model_config = ConfigDict(extra="forbid")

    activities: list[ActivitySpec] = Field(default_factory=lambda: list(DEFAULT_JOURNEY))
    due_within_days: int = Field(default=14, ge=0)
    mark_done_by: Literal["owners", "anyone"] = "owners"
    """Who may mark an activity done: the account's owners and admins, or the whole team."""


class State(StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"


@dataclass(frozen=True)
class Activity:
    key: str
    """Unique within the contract: `qbr:q3`, `nurture:2027-05-01`, `kickoff`."""
    title: str
    opens: date
    due: date
    owners: tuple[Role, ...]


def journey(
    tier: int, start: date | None, end: date | None, specs: list[ActivitySpec]
) -> list[Activity]:
    """Every activity of the contract for a tier, by due date. Raises NoSchedule."""
    quarters = contract_quarters(start, end)
    assert start is not None and end is not None  # contract_quarters raised otherwise
    last_year = quarters[-1].year
    found: list[Activity] = []
    for spec in (s for s in specs if tier in s.tiers):
        owners = tuple(spec.owners)
        if spec.when == "before_start":
            due = start - timedelta(days=spec.days)
            found.append(Activity(spec.key, spec.title, due - timedelta(days=30), due, owners))
        elif spec.when == "at_start":
            due = min(start + timedelta(days=spec.days), end)
            found.append(Activity(spec.key, spec.title, start, due, owners))
        elif spec.when == "quarter":
            for q in quarters:
                if q.of_year not in spec.quarters:
                    continue
                if (spec.first_year_only and q.year != 1) or (
                    spec.last_year_only and q.year != last_year
                ):
                    continue
                found.append(
                    Activity(f"{spec.key}:q{q.number}", spec.title, q.start, q.end, owners)
                )
        else:
            first = add_months(start, 3 * (min(spec.quarters or [1]) - 1))
            for opens, due in months(first, end) if first <= end else []:
                found.append(
                    Activity(f"{spec.key}:{opens.isoformat()}", spec.title, opens, due, owners)
                )
    return sorted(found, key=lambda a: (a.due, a.key))


def state(activity: Activity, done: bool, today: date, due_within_days: int) -> State:
    if done:
        return State.DONE
    if today > activity.due:
        return State.OVERDUE
    if today >= activity.opens or (activity.due - today).days <= due_within_days:
        return State.DUE
    return State.UPCOMING


@dataclass(frozen=True)
class DoneMark:
    """Who marked an activity done, when."""

    by: str
    at: datetime


@dataclass(frozen=True)
class JourneyItem:
    activity: Activity
    state: State
    done_by: str | None = None
    done_at: datetime | None = None


@dataclass(frozen=True)
class AccountJourney:
    account: Account
    items: list[JourneyItem]

    def item(self, key: str) -> JourneyItem:
        return next(i for i in self.items if i.activity.key == key)

    @property
    def contract_end(self) -> date:
        assert self.account.contract_end is not None  # a journey exists only with one
        return self.account.contract_end


def pressing(journey: AccountJourney, until: date) -> list[JourneyItem]:
    """What a reminder names: everything overdue, and what is due by `until`."""
    return [
        i
        for i in journey.items
        if i.state is State.OVERDUE or (i.state is State.DUE and i.activity.due <= until)
    ]


def reminder_targets(
    journey: AccountJourney, items: list[JourneyItem]
) -> list[tuple[str, list[JourneyItem]]]:
    """Where a journey reminder goes (seed 002): the account's channel with every item, or,
    without one, each owner by DM with the items that are theirs."""
    account = journey.account
    if account.channel:
        return [(account.channel, items)]
    by_owner: dict[str, list[JourneyItem]] = {}
    for item in items:
        for role in item.activity.owners:
            person = getattr(account, role)
            if person:
                by_owner.setdefault(person, []).append(item)
    return list(by_owner.items())
