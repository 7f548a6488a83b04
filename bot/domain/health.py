"""Account health: green, yellow or red, with the reasons and numbers behind it.

The measures come from the handbook: utilization (MAU / licensed seats, seed 003: at
least 80 %, expected within 60 days of production start and at all times after),
consumption (4-week average DAU / last month's MAU, seed 003), completion acceptance and
assistant DAU / available developers (seed 000, targets TBD: set them in configuration).
The inputs arrive already aggregated (the store does that in SQL); this module only
judges them, so every threshold and edge case is testable without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import IntEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.domain.accounts import Account


class Status(IntEnum):
    """Ordered so that the worst measure wins with max()."""

    GREEN = 0
    YELLOW = 1
    RED = 2

    @property
    def label(self) -> str:
        return self.name.lower()


class Threshold(BaseModel):
    """A measure is green at or above `green`, yellow at or above `yellow`, red below."""

    model_config = ConfigDict(extra="forbid")

    green: float = Field(ge=0)
    yellow: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Threshold:
        if self.yellow > self.green:
            raise ValueError("yellow must not be above green")
        return self

    def judge(self, value: float) -> Status:
        if value >= self.green:
            return Status.GREEN
        return Status.YELLOW if value >= self.yellow else Status.RED


class HealthPolicy(BaseModel):
    """`[health]` in the team's TOML; defaults from the handbook where it gives one."""

    model_config = ConfigDict(extra="forbid")

    utilization: Threshold = Threshold(green=0.80, yellow=0.60)
    consumption: Threshold = Threshold(green=0.40, yellow=0.25)
    acceptance: Threshold = Threshold(green=0.25, yellow=0.15)
    assistant_adoption: Threshold = Threshold(green=0.30, yellow=0.15)
    utilization_grace_days: int = Field(default=60, ge=0)
    stale_after_days: int = Field(default=3, ge=1)
    no_plan_weekday: int = Field(default=0, ge=0, le=6)
    """The day (Monday = 0) the health job lists red accounts that have no plan."""


# The value objects below are slotted but not frozen: a frozen dataclass's __init__ sets
# each field through object.__setattr__, about 3 µs an object, and judging a 10,000-account
# portfolio builds over 100,000 of them. Nothing mutates them after construction.


@dataclass(slots=True)
class UsageFigures:
    """What the store aggregates per account as of a day (None: no data for it).

    The store selects its columns in this order, under these names, and builds each
    instance positionally (`tests/test_metrics_store.py` checks the two agree).
    """

    latest_day: date | None
    mau: int | None = None
    licensed_seats: int | None = None
    dau_4week_average: float | None = None
    last_month_mau: int | None = None
    completions_shown: int | None = None
    completions_accepted: int | None = None
    assistant_dau: int | None = None
    available_developers: int | None = None
    production_start: date | None = None


@dataclass(slots=True)
class Measure:
    name: str
    value: float | None
    threshold: Threshold
    status: Status | None
    """None when the measure cannot be judged (no data, nothing to divide by, grace)."""
    note: str = ""
    """Why there is no value, or why a value is not judged yet."""

    @property
    def label(self) -> str:
        return LABELS[self.name]

    @property
    def reason(self) -> str:
        """In plain words with the numbers; built when read, since most never are."""
        if self.value is None:
            return f"{self.label}: {self.note}"
        green, yellow = self.threshold.green, self.threshold.yellow
        verdict = {
            Status.GREEN: f"at or above the {green:.0%} target",
            Status.YELLOW: f"below the {green:.0%} target",
            Status.RED: f"below {yellow:.0%} (target {green:.0%})",
        }[self.threshold.judge(self.value)]
        text = f"{self.label} {self.value:.0%}, {verdict}"
        return f"{text}; {self.note}" if self.note else text


@dataclass(slots=True)
class Health:
    status: Status | None
    """None when no measure could be judged: the account has no health score yet."""
    measures: list[Measure] = field(default_factory=list)
    stale: bool = False

    @property
    def reasons(self) -> list[str]:
        """The measures that made the status, worst first."""
        judged = [m for m in self.measures if m.status not in (None, Status.GREEN)]
        return [m.reason for m in sorted(judged, key=lambda m: -int(m.status or 0))]


LABELS = {
    "utilization": "Utilization (MAU / licensed seats)",
    "consumption": "Consumption (4-week avg DAU / last month's MAU)",
    "acceptance": "Completion acceptance",
    "assistant_adoption": "Assistant DAU / available developers",
}


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def _measure(name: str, value: float | None, threshold: Threshold, missing: str) -> Measure:
    if value is None:
        return Measure(name, None, threshold, None, missing)
    return Measure(name, value, threshold, threshold.judge(value))


def assess(figures: UsageFigures, policy: HealthPolicy, today: date) -> Health:
    """Judge every measure; the account's status is the worst judged one."""
    utilization = _ratio(figures.mau, figures.licensed_seats)
    measures = [
        _utilization(figures, utilization, policy, today),
        _measure(
            "consumption",
            _ratio(figures.dau_4week_average, figures.last_month_mau),
            policy.consumption,
            "no MAU last month",
        ),
        _measure(
            "acceptance",
            _ratio(figures.completions_accepted, figures.completions_shown),
            policy.acceptance,
            "no completions shown",
        ),
        _measure(
            "assistant_adoption",
            _ratio(figures.assistant_dau, figures.available_developers),
            policy.assistant_adoption,
            "available developers not set",
        ),
    ]
    judged = [m.status for m in measures if m.status is not None]
    stale = figures.latest_day is None or (
        today - figures.latest_day > timedelta(days=policy.stale_after_days)
    )
    return Health(max(judged) if judged else None, measures, stale)


def _utilization(
    figures: UsageFigures, value: float | None, policy: HealthPolicy, today: date
) -> Measure:
    """Before 60 days of production the 80 % is a goal, not yet a verdict."""
    measure = _measure("utilization", value, policy.utilization, "licensed seats not set")
    start = figures.production_start
    expected_from = start + timedelta(days=policy.utilization_grace_days) if start else None
    if measure.status is None or expected_from is None or today >= expected_from:
        return measure
    return Measure(
        measure.name, value, measure.threshold, None, f"expected from {expected_from.isoformat()}"
    )


def trend(now: Status | None, week_ago: Status | None) -> str:
    """'better', 'worse', 'same' or 'new' against seven days earlier."""
    if now is None or week_ago is None:
        return "new"
    if now == week_ago:
        return "same"
    return "better" if now < week_ago else "worse"


_RANK = {Status.RED: 0, None: 1, Status.YELLOW: 2, Status.GREEN: 3}


@dataclass(slots=True)
class AccountHealth:
    """One per account in a portfolio: slotted, not frozen, for the cost noted on Health."""

    account: Account
    health: Health
    trend: str
    """Against seven days earlier: better, worse, same or new."""
    figures: UsageFigures
    weekly: list[Health] | None = None
    """For one account's detail: the last 12 weeks, oldest first."""
    since: date | None = None
    """For one account's detail: since when it has had this status (daily health history)."""

    @property
    def rank(self) -> tuple[int, str]:
        """Worst first; accounts with no score yet right after the red ones."""
        return _RANK[self.health.status], self.account.name.casefold()
